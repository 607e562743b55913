// What a Claude Code hook does, wherever it runs: the events sitrep serves, the part of the hook
// input it reads, and each event's answer given a brief source and a place for the session's
// state. The local `sitrep hook` keeps that state in ~/.sitrep (hooks.ts); `POST
// /hooks/claude-code` keeps it in the database per token and session (http/hooks.ts).
import {
  type Brief,
  type BriefResponse,
  HOOK_EVENTS,
  type HookEvent,
  SitrepError,
  describeIssues,
} from '@sitrep/shared';
import { z } from 'zod';

export const isHookEvent = (event: string): event is HookEvent =>
  (HOOK_EVENTS as readonly string[]).includes(event);

/** The fields of Claude Code's hook input that sitrep reads; others pass through untouched. */
export const HookInput = z.looseObject({
  session_id: z.string().max(200).optional(),
  /** The session's transcript (JSONL) on the harness's machine: a local hook reads its usage. */
  transcript_path: z.string().max(4096).optional(),
  cwd: z.string().max(4096).optional(),
  hook_event_name: z.string().max(64).optional(),
  stop_hook_active: z.boolean().optional(),
});
export type HookInput = z.infer<typeof HookInput>;

/** The hook input in `text` (empty means `{}`); a SitrepError saying what is wrong with it. */
export function parseHookInput(text: string): HookInput {
  let raw: unknown;
  try {
    raw = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new SitrepError('request.malformed_json', 'the hook input is not JSON');
  }
  const input = HookInput.safeParse(raw);
  if (!input.success)
    throw new SitrepError(
      'request.invalid',
      `bad hook input: ${describeIssues(input.error.issues).join('; ')}`,
    );
  return input.data;
}

/** A Stop that Claude Code sent again after a hook made it go on: the turn was counted already. */
export const isRepeatedStop = (event: HookEvent, input: HookInput): boolean =>
  event === 'Stop' && input.stop_hook_active === true;

/** The brief budget for a hook: small enough to sit in every prompt's context. */
export const HOOK_BRIEF_TOKENS = 1_500;

/** Where one hook client keeps what it needs between calls. */
export interface HookState {
  /** Where this client's last brief left off, or undefined before its first. */
  lastBrief(): Promise<number | string | undefined>;
  saveBrief(brief: Pick<Brief, 'seq' | 'watermark'>): Promise<void>;
  recordTurn(input: HookInput): Promise<void>;
}

export interface HookWork {
  state: HookState;
  brief(query: { since: number | string | undefined; maxTokens: number }): Promise<BriefResponse>;
  /** A line said after the brief (a local client's entries still queued). */
  note?: string | undefined;
}

/** The JSON a hook answers with (printed on stdout, or the HTTP response body). */
export interface HookAnswer {
  hookSpecificOutput: { hookEventName: HookEvent; additionalContext: string };
}

/**
 * SessionStart and UserPromptSubmit answer with the brief as additional context: the standing
 * facts, and what is new since the client's last brief once it has had one; Stop records the turn
 * and says nothing (null).
 */
export async function answerHook(
  event: HookEvent,
  input: HookInput,
  work: HookWork,
): Promise<HookAnswer | null> {
  if (event === 'Stop') {
    if (!isRepeatedStop(event, input)) await work.state.recordTurn(input);
    return null;
  }
  const since = await work.state.lastBrief();
  const { brief, markdown } = await work.brief({ since, maxTokens: HOOK_BRIEF_TOKENS });
  await work.state.saveBrief(brief);
  const additionalContext = work.note ? `${markdown}\n\n${work.note}` : markdown;
  return { hookSpecificOutput: { hookEventName: event, additionalContext } };
}
