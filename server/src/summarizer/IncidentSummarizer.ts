// The LLM summarizer of one loaded incident: after new entries, debounced, it runs under the
// incident's token budget, circuit breaker and pause switch, and writes the commander view and
// its own status through the incident's ViewWriter, beside the rules view, which never waits for
// a model call. A run is three steps: eligibility (may it go, and on which entries), request (the
// model's answer, checked) and record (the view written, the run stored, breaker and status told).
import {
  type CommanderView,
  type SummarizerStatus,
  buildDrillBoard,
  buildRulesView,
  entriesMap,
  readEntries,
  readMeta,
  readView,
} from '@sitrep/shared';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/Store.js';
import type { SummaryLog } from '../store/SummaryLog.js';
import type { ViewWriter } from '../views/ViewKeeper.js';
import type { CommanderModel, ModelAnswer } from './AnthropicModel.js';
import type { Breaker } from './Breaker.js';
import { checkBrief } from './citations.js';
import { type SummaryRequest, buildSummaryRequest } from './prompt.js';

const HOUR_MS = 3_600_000;
/** A run waits for quiet, but never longer than this many debounce periods. */
const MAX_WAIT_FACTOR = 4;
/** Over the hourly token budget, the next try comes this much later. */
const OVER_BUDGET_RETRY_MS = 5 * 60_000;

/** What the summarizer reads and writes in storage: which entries landed, and its own runs. */
export type SummarizerStore = Pick<Store, 'entryIdsAfter'> & {
  summaries: Pick<SummaryLog, 'record' | 'tokensSince' | 'isPaused' | 'setPaused'>;
};

export interface SummarizerDeps {
  store: SummarizerStore;
  log: Logger;
  metrics: Metrics;
  config: Config['summarizer'];
  /** Null without an API key: the rules view only. */
  model: CommanderModel | null;
}

/** A run that may go: what the model is asked, and what its view covers. */
interface Run {
  model: CommanderModel;
  request: SummaryRequest;
  /** The last entry the model is shown: the view covers the entries up to it. */
  watermark: string;
  /** The log position the entries were read at. */
  seq: number;
  previous: CommanderView | null;
}

/** No run now: the status to show (none while another node holds the views), and when to try again. */
interface Skip {
  skip: { state: SummarizerStatus['state']; reason?: string } | null;
  retryInMs?: number;
}

type Tokens = { inputTokens: number; outputTokens: number };

/** What a request came to: a checked view, or why not (a failed call, or an answer that does not hold). */
type Result =
  | { outcome: 'ok'; tokens: Tokens; view: CommanderView }
  | { outcome: 'failed' | 'bad_output'; tokens: Tokens; error: string };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class IncidentSummarizer {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private pendingSince: number | null = null;
  private running = false;
  /** Runs again once a refused view lease may have lapsed (one function: the lease keeps it once). */
  private readonly retryLease = () => this.summarizeSoon(0);
  private stopped = false;

  constructor(
    private readonly views: ViewWriter,
    private readonly deps: SummarizerDeps,
    private readonly breaker: Breaker,
  ) {
    this.log = deps.log.child({ incident: views.room.id, part: 'summarizer' });
  }

  private get room() {
    return this.views.room;
  }

  start(): void {
    if (this.deps.model) this.room.doc.on('afterTransaction', this.onTransaction);
    this.summarizeSoon(0);
  }

  stop(): void {
    this.stopped = true;
    this.room.doc.off('afterTransaction', this.onTransaction);
    if (this.timer) clearTimeout(this.timer);
  }

  private readonly onTransaction = (tr: Y.Transaction) => {
    const entries = this.room.doc.share.get('entries');
    if (entries && tr.changed.has(entries)) this.summarizeSoon();
  };

  /** Schedules a run after `debounceMs` of quiet (or `delay`), within the longest wait. */
  summarizeSoon(delay = this.deps.config.debounceMs): void {
    if (this.stopped) return;
    const now = Date.now();
    this.pendingSince ??= now;
    const latest = this.pendingSince + MAX_WAIT_FACTOR * this.deps.config.debounceMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pendingSince = null;
        if (this.running) return this.summarizeSoon(); // one run at a time; the next follows it
        this.summarize().catch((err: unknown) => this.log.warn({ err }, 'summarizer run failed'));
      },
      Math.max(0, Math.min(delay, latest - now)),
    );
  }

  /** Resolves once no run is scheduled or running and what it wrote has landed. */
  async settled(): Promise<void> {
    while (this.timer || this.running) await new Promise((r) => setTimeout(r, 10));
    await this.views.settled();
    if (this.timer || this.running) return this.settled();
  }

  private async summarize(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      const run = await this.eligibility();
      if ('skip' in run) {
        if (run.retryInMs !== undefined) this.summarizeSoon(run.retryInMs);
        if (run.skip) await this.status(run.skip.state, { reason: run.skip.reason });
        return;
      }
      const started = Date.now();
      await this.record(run, await this.request(run, started), started);
    } finally {
      this.running = false;
    }
  }

  /** Whether a run may go now, and on what: the entries new to the model that fit its budgets. */
  private async eligibility(): Promise<Run | Skip> {
    if (!(await this.views.holdsLease(this.retryLease))) return { skip: null };
    const { store, model, config } = this.deps;
    if (!model) return { skip: { state: 'off', reason: 'no ANTHROPIC_API_KEY is set: the rules view only' } };
    if (await store.summaries.isPaused(this.room.id))
      return { skip: { state: 'paused', reason: 'paused by the commander' } };
    const blocked = this.breaker.blockedUntil();
    if (blocked !== null) {
      const reason = `${this.breaker.isOpen ? 'repeated failures' : 'cooling down'}; next try at ${new Date(blocked).toISOString()}`;
      return { skip: { state: 'breaker_open', reason }, retryInMs: blocked - Date.now() };
    }

    const doc = this.room.doc;
    const meta = readMeta(doc);
    const previous = readView(doc, 'commander');
    const entries = readEntries(doc);
    // New to the LLM: what landed in the log after its last view (older views: after its watermark).
    const seq = this.room.seq;
    const landed = previous?.seq === undefined ? null : await store.entryIdsAfter(this.room.id, previous.seq);
    const fresh = entries.filter((e) =>
      landed ? landed.has(e.id) : previous?.watermark == null || e.id > previous.watermark,
    );
    if (!meta || fresh.length === 0) return { skip: { state: 'idle' } };
    const rules = readView(doc, 'rules') ?? buildRulesView(entries);
    const request = buildSummaryRequest({
      meta,
      rules,
      previous,
      drill: meta.kind === 'drill' ? buildDrillBoard(entries) : null,
      fresh,
      maxInputTokens: config.maxInputTokens,
    });
    // The view covers the entries the model is shown: never past one it was not.
    const watermark = request.included.at(-1)?.id;
    if (watermark === undefined) {
      return {
        skip: {
          state: 'over_budget',
          reason: `the rules view and the previous view fill the input budget of ${config.maxInputTokens} tokens`,
        },
      };
    }
    const used = await store.summaries.tokensSince(this.room.id, new Date(Date.now() - HOUR_MS));
    if (used + request.estimatedTokens > config.tokensPerHour) {
      return {
        skip: {
          state: 'over_budget',
          reason: `${used} of ${config.tokensPerHour} tokens used in the last hour`,
        },
        retryInMs: OVER_BUDGET_RETRY_MS,
      };
    }
    return { model, request, watermark, seq, previous };
  }

  /** Says the run is on, asks the model and checks its answer; a failure is a result too. */
  private async request(run: Run, started: number): Promise<Result> {
    const { metrics } = this.deps;
    let tokens: Tokens = { inputTokens: 0, outputTokens: 0 };
    let answer: ModelAnswer;
    try {
      await this.status('running');
      answer = await run.model.answer(run.request);
    } catch (err) {
      return { outcome: 'failed', tokens, error: messageOf(err) };
    }
    metrics.summarizerSeconds.observe((Date.now() - started) / 1000);
    tokens = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens };
    metrics.summarizerTokens.inc({ direction: 'input' }, tokens.inputTokens);
    metrics.summarizerTokens.inc({ direction: 'output' }, tokens.outputTokens);
    try {
      const checked = checkBrief(answer.output, new Set(entriesMap(this.room.doc).keys()));
      metrics.summarizerDropped.inc(checked.dropped);
      const view: CommanderView = {
        ...checked.brief,
        model: answer.model,
        watermark: run.watermark,
        seq: run.seq,
        at: new Date().toISOString(),
        droppedItems: (run.previous?.droppedItems ?? 0) + checked.dropped,
      };
      return { outcome: 'ok', tokens, view };
    } catch (err) {
      return { outcome: 'bad_output', tokens, error: messageOf(err) };
    }
  }

  /**
   * Writes a good answer's view, stores the run, and tells the breaker, the metrics and the
   * status. A view that cannot be written is a bad answer; a failure after it was written
   * leaves the breaker alone. After a failure the run is tried again: its entries are still new.
   */
  private async record(run: Run, result: Result, started: number): Promise<void> {
    const { store, metrics } = this.deps;
    const stored = (view: CommanderView | null, error: string | null) =>
      store.summaries.record({
        incidentId: this.room.id,
        model: run.model.model,
        watermark: run.watermark,
        ...result.tokens,
        latencyMs: Date.now() - started,
        view,
        error,
      });
    if (result.outcome === 'ok') {
      try {
        await this.views.write([['commander', result.view]]);
      } catch (err) {
        return this.record(
          run,
          { outcome: 'bad_output', tokens: result.tokens, error: messageOf(err) },
          started,
        );
      }
      metrics.summarizerRuns.inc({ outcome: 'ok' });
      try {
        await stored(result.view, null);
        this.breaker.succeed();
        await this.status('idle', { ran: true, lastError: null });
      } catch (err) {
        await this.failed(messageOf(err), 'ok', false);
      }
      return;
    }
    await stored(null, result.error).catch((err: unknown) => this.log.warn({ err }, 'summary record failed'));
    metrics.summarizerRuns.inc({ outcome: result.outcome });
    await this.failed(result.error, result.outcome, this.breaker.fail());
  }

  /** After a failed run: said in the log and the status, and tried again when the breaker allows. */
  private async failed(message: string, outcome: Result['outcome'], opened: boolean): Promise<void> {
    this.log.warn({ err: message, outcome, opened }, 'summarizer run failed');
    const until = this.breaker.blockedUntil();
    this.summarizeSoon(until === null ? undefined : until - Date.now());
    await this.status(opened ? 'breaker_open' : 'idle', {
      ran: true,
      lastError: message,
      ...(opened && { reason: 'repeated failures' }),
    });
  }

  private async status(
    state: SummarizerStatus['state'],
    extra: { reason?: string; lastError?: string | null; ran?: boolean } = {},
  ): Promise<void> {
    const { store, model, config } = this.deps;
    const previous = readView(this.room.doc, 'summarizer');
    const status: SummarizerStatus = {
      state,
      ...(extra.reason && { reason: extra.reason }),
      model: model?.model ?? null,
      lastRunAt: extra.ran ? new Date().toISOString() : (previous?.lastRunAt ?? null),
      lastError: extra.lastError === undefined ? (previous?.lastError ?? null) : extra.lastError,
      tokensThisHour: model
        ? await store.summaries.tokensSince(this.room.id, new Date(Date.now() - HOUR_MS))
        : 0,
      tokenBudgetPerHour: config.tokensPerHour,
      runs: (previous?.runs ?? 0) + (extra.ran ? 1 : 0),
    };
    await this.views.write([['summarizer', status]]);
  }
}
