// Claude Code hooks: `sitrep hook <event>` with the hook's JSON on stdin. SessionStart and
// UserPromptSubmit add the brief as additional context; Stop flushes the offline queue and
// records the turn. A hook never blocks the harness: it finishes within its time budget, and
// when sitrep is away it says so on stderr and exits 1 (Claude Code's non-blocking error), the
// queue kept on disk for the next try.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SitrepError, describeIssues } from '@sitrep/shared';
import { NodeClient } from '@sitrep/shared/node';
import { z } from 'zod';
import { lastBrief, saveBrief } from './briefState.js';
import { type HarnessConfig, harnessConfig } from './HarnessConfig.js';

export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** The fields of Claude Code's hook input that sitrep reads; others pass through untouched. */
export const HookInput = z.looseObject({
  session_id: z.string().max(200).optional(),
  transcript_path: z.string().max(4096).optional(),
  cwd: z.string().max(4096).optional(),
  hook_event_name: z.string().max(64).optional(),
  source: z.string().max(64).optional(),
  prompt: z.string().optional(),
  stop_hook_active: z.boolean().optional(),
});

const TurnCount = z.looseObject({ turns: z.number().int().min(0) });

/** The turns counted so far: a count kept for the user, so a missing or damaged file starts it again. */
async function turnsSoFar(file: string): Promise<number> {
  try {
    return TurnCount.parse(JSON.parse(await readFile(file, 'utf8'))).turns;
  } catch {
    return 0;
  }
}

export interface HookOutcome {
  stdout: string;
  stderr: string;
  code: 0 | 1;
}

/** The brief budget for a hook: small enough to sit in every prompt's context. */
const HOOK_BRIEF_TOKENS = 1_500;

function clientFor(cfg: HarnessConfig): NodeClient {
  if (!cfg.incident)
    throw new SitrepError(
      'cli.usage',
      'no incident: set SITREP_INCIDENT or run `sitrep init claude-code --incident <id>`',
    );
  if (!cfg.token)
    throw new SitrepError(
      'cli.usage',
      'no token: set SITREP_TOKEN or run `sitrep init claude-code --token <token>`',
    );
  return new NodeClient({
    url: cfg.url,
    token: cfg.token,
    incident: cfg.incident,
    author: cfg.author,
    stateDir: cfg.stateDir,
    timeoutMs: 2_500,
  });
}

async function addBrief(event: HookEvent, cfg: HarnessConfig): Promise<HookOutcome> {
  const client = clientFor(cfg);
  const incident = cfg.incident as string;
  const flushed = await client.flush();
  const since = await lastBrief(cfg.stateDir, incident, cfg.author.id);
  const { brief, markdown } = await client.api.brief(incident, { since, maxTokens: HOOK_BRIEF_TOKENS });
  await saveBrief(cfg.stateDir, incident, cfg.author.id, brief);
  const context = flushed.queued.length
    ? `${markdown}\n\n(${flushed.queued.length} of your entries are still queued: ${flushed.error ?? 'not yet sent'})`
    : markdown;
  return {
    stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: event, additionalContext: context } }),
    stderr: '',
    code: 0,
  };
}

async function endTurn(input: z.infer<typeof HookInput>, cfg: HarnessConfig): Promise<HookOutcome> {
  const client = clientFor(cfg);
  const flushed = await client.flush();
  const file = join(cfg.stateDir, 'turns', `${cfg.incident}.json`);
  await mkdir(join(cfg.stateDir, 'turns'), { recursive: true });
  const record = {
    turns: (await turnsSoFar(file)) + 1,
    lastAt: new Date().toISOString(),
    session: input.session_id ?? null,
    sent: flushed.durable.length,
    queued: flushed.queued.length,
  };
  await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(record));
  await rename(`${file}.${process.pid}.tmp`, file);
  if (flushed.queued.length)
    return {
      stdout: '',
      stderr: `sitrep: ${flushed.queued.length} entries stay queued in ${client.queue.dir}: ${flushed.error}`,
      code: 1,
    };
  if (flushed.rejected?.length)
    return {
      stdout: '',
      stderr: `sitrep: ${flushed.rejected.length} entries were refused: ${flushed.error}`,
      code: 1,
    };
  return { stdout: '', stderr: '', code: 0 };
}

/** Runs one hook within `budgetMs`, reading its input included; never throws. */
export async function runHook(
  event: string,
  stdin: string | Promise<string>,
  opts: { env?: Record<string, string | undefined>; cwd?: string; budgetMs?: number } = {},
): Promise<HookOutcome> {
  const fail = (message: string): HookOutcome => ({ stdout: '', stderr: `sitrep: ${message}`, code: 1 });
  if (!(HOOK_EVENTS as readonly string[]).includes(event))
    return fail(`unknown hook event "${event}" (one of ${HOOK_EVENTS.join(', ')})`);
  const budget = opts.budgetMs ?? 4_000;
  const timeout = new Promise<HookOutcome>((resolve) =>
    setTimeout(
      () => resolve(fail(`gave up after ${budget} ms; the hook input or sitrep did not come in time`)),
      budget,
    ).unref(),
  );
  const work = (async (): Promise<HookOutcome> => {
    const text = await stdin;
    let raw: unknown;
    try {
      raw = text.trim() ? JSON.parse(text) : {};
    } catch {
      return fail('the hook input on stdin is not JSON');
    }
    const input = HookInput.safeParse(raw);
    if (!input.success) return fail(`bad hook input: ${describeIssues(input.error.issues).join('; ')}`);
    if (event === 'Stop' && input.data.stop_hook_active) return { stdout: '', stderr: '', code: 0 };
    const cfg = await harnessConfig({}, input.data.cwd ?? opts.cwd, opts.env);
    return event === 'Stop' ? endTurn(input.data, cfg) : addBrief(event as HookEvent, cfg);
  })();
  return Promise.race([
    work.catch((err: unknown) => fail(err instanceof Error ? err.message : String(err))),
    timeout,
  ]);
}
