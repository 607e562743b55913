// Claude Code hooks: `sitrep hook <event>` with the hook's JSON on stdin. What each event does is
// hookProtocol.ts; here it runs against the server over HTTP, with the client's state in its
// state dir, after flushing the offline queue; Stop also sends the turn's model usage read from
// the transcript. A hook never blocks the harness: it finishes
// within its time budget, and when sitrep is away it says so on stderr and exits 1 (Claude
// Code's non-blocking error), the queue kept on disk for the next try.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOOK_EVENTS, SitrepError } from '@sitrep/shared';
import { NodeClient } from '@sitrep/shared/node';
import { z } from 'zod';
import { lastBrief, saveBrief } from './briefState.js';
import { type HarnessConfig, harnessConfig } from './HarnessConfig.js';
import { type HookState, answerHook, isHookEvent, isRepeatedStop, parseHookInput } from './hookProtocol.js';
import { sendTranscriptUsage } from './transcriptUsage.js';

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

type Flushed = Awaited<ReturnType<NodeClient['flush']>>;

/**
 * The state of a local hook: briefs per incident and author, turns per incident, in the state
 * dir. A turn also sends the model usage its transcript gained, when the hook input names one.
 */
function localState(cfg: HarnessConfig, client: NodeClient, incident: string, flushed: Flushed): HookState {
  return {
    lastBrief: () => lastBrief(cfg.stateDir, incident, cfg.author.id),
    saveBrief: (brief) => saveBrief(cfg.stateDir, incident, cfg.author.id, brief),
    async recordTurn(input) {
      const file = join(cfg.stateDir, 'turns', `${incident}.json`);
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
      // With entries still queued sitrep is away: the usage waits for the next turn, unsent.
      if (input.transcript_path && input.session_id && !flushed.queued.length)
        await sendTranscriptUsage(client.api, {
          stateDir: cfg.stateDir,
          incident,
          sessionId: input.session_id,
          transcriptPath: input.transcript_path,
        });
    },
  };
}

/** What stderr says after the flush, when some entries did not land. */
function flushTrouble(client: NodeClient, flushed: Flushed): string | null {
  if (flushed.queued.length)
    return `sitrep: ${flushed.queued.length} entries stay queued in ${client.queue.dir}: ${flushed.error}`;
  if (flushed.rejected?.length)
    return `sitrep: ${flushed.rejected.length} entries were refused: ${flushed.error}`;
  return null;
}

/** Runs one hook within `budgetMs`, reading its input included; never throws. */
export async function runHook(
  event: string,
  stdin: string | Promise<string>,
  opts: { env?: Record<string, string | undefined>; cwd?: string; budgetMs?: number } = {},
): Promise<HookOutcome> {
  const fail = (message: string): HookOutcome => ({ stdout: '', stderr: `sitrep: ${message}`, code: 1 });
  if (!isHookEvent(event)) return fail(`unknown hook event "${event}" (one of ${HOOK_EVENTS.join(', ')})`);
  const budget = opts.budgetMs ?? 4_000;
  const timeout = new Promise<HookOutcome>((resolve) =>
    setTimeout(
      () => resolve(fail(`gave up after ${budget} ms; the hook input or sitrep did not come in time`)),
      budget,
    ).unref(),
  );
  const work = (async (): Promise<HookOutcome> => {
    const input = parseHookInput(await stdin);
    if (isRepeatedStop(event, input)) return { stdout: '', stderr: '', code: 0 };
    const cfg = await harnessConfig({}, input.cwd ?? opts.cwd, opts.env);
    const client = clientFor(cfg);
    const incident = cfg.incident as string;
    const flushed = await client.flush();
    const note =
      event !== 'Stop' && flushed.queued.length
        ? `(${flushed.queued.length} of your entries are still queued: ${flushed.error ?? 'not yet sent'})`
        : undefined;
    const answer = await answerHook(event, input, {
      state: localState(cfg, client, incident, flushed),
      brief: (q) => client.api.brief(incident, q),
      note,
    });
    if (answer) return { stdout: JSON.stringify(answer), stderr: '', code: 0 };
    const trouble = flushTrouble(client, flushed);
    return trouble ? { stdout: '', stderr: trouble, code: 1 } : { stdout: '', stderr: '', code: 0 };
  })();
  return Promise.race([
    work.catch((err: unknown) => fail(err instanceof Error ? err.message : String(err))),
    timeout,
  ]);
}
