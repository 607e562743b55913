// Keeps one loaded incident's `view` root current. After changes to entries, meta or curation
// it recomputes the rules view and the timeline (pure functions) and writes what changed, as
// diffs (viewLayout.ts; presence never goes into the document); after new entries it runs the
// LLM summarizer, debounced, under the incident's token budget, circuit breaker and pause
// switch, beside the view writes so the rules view never waits for a model call. Only the node holding the incident's view lease writes, and all of a
// room's view writes go one after another.
import {
  type CommanderView,
  type SummarizerStatus,
  type ViewChanges,
  buildRulesView,
  buildTimeline,
  entriesMap,
  readCuration,
  readEntries,
  readMeta,
  readView,
  viewChanges,
  viewMap,
} from '@sitrep/shared';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import { checkBrief } from './citations.js';
import { buildSummaryRequest } from './prompt.js';
import type { Summarizer } from './Summarizer.js';

/** Rules view and timeline: recomputed this long after a change, at most once per interval. */
const VIEW_DEBOUNCE_MS = 100;
const VIEW_INTERVAL_MS = 1_000;
/**
 * A recompute folds every entry (about 0.25 s at 100,000), so on a large incident the interval
 * stretches to this many times the last one's cost: views spend at most a tenth of the loop.
 */
const VIEW_COST_FACTOR = 10;
const LEASE_MS = 30_000;
const HOUR_MS = 3_600_000;
/** A run waits for quiet, but never longer than this many debounce periods. */
const MAX_WAIT_FACTOR = 4;

export class ViewKeeper {
  private readonly log: Logger;
  private viewTimer: NodeJS.Timeout | null = null;
  private llmTimer: NodeJS.Timeout | null = null;
  private llmPendingSince: number | null = null;
  private lastViewRun = 0;
  private lastViewCost = 0;
  private leaseUntil = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private running = false;
  private stopped = false;

  constructor(
    private readonly room: IncidentRoom,
    private readonly summarizer: Summarizer,
  ) {
    this.log = summarizer.deps.log.child({ incident: room.id, part: 'views' });
  }

  start(): void {
    this.room.doc.on('afterTransaction', this.onTransaction);
    this.recomputeSoon();
    this.summarizeSoon(0);
  }

  stop(): void {
    this.stopped = true;
    this.room.doc.off('afterTransaction', this.onTransaction);
    if (this.viewTimer) clearTimeout(this.viewTimer);
    if (this.llmTimer) clearTimeout(this.llmTimer);
  }

  private readonly onTransaction = (tr: Y.Transaction) => {
    let views = false;
    for (const [type, keys] of tr.changed) {
      const root = [...this.room.doc.share].find(([, t]) => t === type)?.[0];
      if (root === 'entries' && this.summarizer.deps.model) this.summarizeSoon();
      // The commander view's key moments join the timeline; the other view keys are ours.
      views ||= root === 'entries' || root === 'meta' || root === 'curation' || (root === 'view' && keys.has('commander'));
    }
    if (views) this.recomputeSoon();
  };

  private recomputeSoon(): void {
    if (this.viewTimer || this.stopped) return;
    const wait = viewWait(Date.now(), this.lastViewRun, this.lastViewCost);
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      this.enqueue(() => this.writeDerived());
    }, wait);
  }

  /** Schedules an LLM run after `debounceMs` of quiet (or `delay`), within the longest wait. */
  summarizeSoon(delay = this.summarizer.deps.config.debounceMs): void {
    if (this.stopped) return;
    const now = Date.now();
    this.llmPendingSince ??= now;
    const latest = this.llmPendingSince + MAX_WAIT_FACTOR * this.summarizer.deps.config.debounceMs;
    if (this.llmTimer) clearTimeout(this.llmTimer);
    this.llmTimer = setTimeout(() => {
      this.llmTimer = null;
      this.llmPendingSince = null;
      // Off the write queue: the rules view and timeline never wait for a model call.
      if (this.running) return this.summarizeSoon(); // one run at a time; the next follows it
      this.summarize().catch((err: unknown) => this.log.warn({ err }, 'summarizer run failed'));
    }, Math.max(0, Math.min(delay, latest - now)));
  }

  /** Resolves once no view work is scheduled or running (the LLM's debounce included). */
  async settled(): Promise<void> {
    while (this.viewTimer || this.llmTimer || this.running) await new Promise((r) => setTimeout(r, 10));
    const writes = this.writes;
    await writes;
    if (writes !== this.writes || this.viewTimer || this.llmTimer) return this.settled();
  }

  /** Runs view work one task at a time; a failure is logged and the next task still runs. */
  private enqueue(task: () => Promise<void>): void {
    this.serial(task).catch((err: unknown) => this.log.warn({ err }, 'view work failed'));
  }

  /** Runs `task` after the view work queued before it; its failure is the caller's. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writes.then(task);
    this.writes = run.catch(() => {});
    return run;
  }

  /** True while this node holds the incident's view lease; otherwise retries when it may have lapsed. */
  private async holdsLease(): Promise<boolean> {
    if (this.leaseUntil - Date.now() > LEASE_MS / 3) return true;
    const held = await this.summarizer.deps.store.summaries.acquireLease(`views:${this.room.id}`, this.summarizer.nodeId, LEASE_MS);
    if (held) this.leaseUntil = Date.now() + LEASE_MS;
    else setTimeout(() => (this.recomputeSoon(), this.summarizeSoon(0)), LEASE_MS).unref();
    return held;
  }

  /** The view keys whose value differs from what the document holds, as diffs (viewLayout.ts). */
  private changed(values: Parameters<typeof viewChanges>[1]): ViewChanges {
    return viewChanges(viewMap(this.room.doc), values);
  }

  /** Writes what changed. */
  private async write(changes: ViewChanges): Promise<void> {
    if (!this.stopped) await this.room.writeView(changes);
  }

  /** Writes view keys from outside the write queue (the summarizer), in their turn. */
  private writeInTurn(values: Parameters<typeof viewChanges>[1]): Promise<void> {
    return this.serial(() => this.write(this.changed(values)));
  }

  private async writeDerived(): Promise<void> {
    this.lastViewRun = Date.now(); // when it runs, not when it was queued behind an LLM call
    if (this.stopped || !(await this.holdsLease())) return;
    const doc = this.room.doc;
    const meta = readMeta(doc);
    if (!meta) return;
    const started = performance.now();
    const entries = readEntries(doc);
    const rules = buildRulesView(entries);
    const timeline = buildTimeline(meta, entries, readCuration(doc), readView(doc, 'commander')?.timeline ?? []);
    const changed = this.changed([
      ['rules', rules],
      ['timeline', timeline],
    ]);
    // The cost paces the next run: the event loop's share (folding, comparing), not the commit's wait.
    this.lastViewCost = performance.now() - started;
    this.summarizer.deps.metrics.viewSeconds.observe(this.lastViewCost / 1000);
    await this.write(changed);
  }

  private async status(state: SummarizerStatus['state'], extra: { reason?: string; lastError?: string | null; ran?: boolean } = {}): Promise<void> {
    const { store, model, config } = this.summarizer.deps;
    const previous = readView(this.room.doc, 'summarizer');
    const status: SummarizerStatus = {
      state,
      ...(extra.reason && { reason: extra.reason }),
      model: model?.model ?? null,
      lastRunAt: extra.ran ? new Date().toISOString() : (previous?.lastRunAt ?? null),
      lastError: extra.lastError === undefined ? (previous?.lastError ?? null) : extra.lastError,
      tokensThisHour: model ? await store.summaries.tokensSince(this.room.id, new Date(Date.now() - HOUR_MS)) : 0,
      tokenBudgetPerHour: config.tokensPerHour,
      runs: (previous?.runs ?? 0) + (extra.ran ? 1 : 0),
    };
    await this.writeInTurn([['summarizer', status]]);
  }

  private async summarize(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      await this.summarizeOnce();
    } finally {
      this.running = false;
    }
  }

  private async summarizeOnce(): Promise<void> {
    if (!(await this.holdsLease())) return;
    const { store, model, config, metrics } = this.summarizer.deps;
    if (!model) return this.status('off', { reason: 'no ANTHROPIC_API_KEY is set: the rules view only' });
    if (await store.summaries.isPaused(this.room.id)) return this.status('paused', { reason: 'paused by the commander' });
    const breaker = this.summarizer.breaker(this.room.id);
    const blocked = breaker.blockedUntil();
    if (blocked !== null) {
      this.summarizeSoon(blocked - Date.now());
      return this.status('breaker_open', { reason: `${breaker.isOpen ? 'repeated failures' : 'cooling down'}; next try at ${new Date(blocked).toISOString()}` });
    }

    const doc = this.room.doc;
    const meta = readMeta(doc);
    const previous = readView(doc, 'commander');
    const entries = readEntries(doc);
    // New to the LLM: what landed in the log after its last view (older views: after its watermark).
    const seq = this.room.seq;
    const landed = previous?.seq === undefined ? null : await store.entryIdsAfter(this.room.id, previous.seq);
    const fresh = entries.filter((e) => (landed ? landed.has(e.id) : previous?.watermark == null || e.id > previous.watermark));
    if (!meta || fresh.length === 0) return this.status('idle');
    const rules = readView(doc, 'rules') ?? buildRulesView(entries);
    const request = buildSummaryRequest({ meta, rules, previous, fresh, maxInputTokens: config.maxInputTokens });
    // The view covers the entries the model is shown: never past one it was not.
    const watermark = request.included.at(-1)?.id;
    if (watermark === undefined) {
      return this.status('over_budget', { reason: `the rules view and the previous view fill the input budget of ${config.maxInputTokens} tokens` });
    }
    const used = await store.summaries.tokensSince(this.room.id, new Date(Date.now() - HOUR_MS));
    if (used + request.estimatedTokens > config.tokensPerHour) {
      this.summarizeSoon(5 * 60_000);
      return this.status('over_budget', { reason: `${used} of ${config.tokensPerHour} tokens used in the last hour` });
    }

    const started = Date.now();
    let tokens = { inputTokens: 0, outputTokens: 0 };
    let outcome: 'ok' | 'failed' | 'bad_output' = 'failed';
    const record = (view: CommanderView | null, error: string | null) =>
      store.summaries.record({ incidentId: this.room.id, model: model.model, watermark, ...tokens, latencyMs: Date.now() - started, view, error });
    try {
      await this.status('running');
      const answer = await model.answer(request);
      metrics.summarizerSeconds.observe((Date.now() - started) / 1000);
      tokens = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens };
      metrics.summarizerTokens.inc({ direction: 'input' }, tokens.inputTokens);
      metrics.summarizerTokens.inc({ direction: 'output' }, tokens.outputTokens);
      outcome = 'bad_output';
      const checked = checkBrief(answer.output, new Set(entriesMap(doc).keys()));
      metrics.summarizerDropped.inc(checked.dropped);
      const view: CommanderView = {
        ...checked.brief,
        model: answer.model,
        watermark,
        seq,
        at: new Date().toISOString(),
        droppedItems: (previous?.droppedItems ?? 0) + checked.dropped,
      };
      await this.writeInTurn([['commander', view]]);
      outcome = 'ok';
      await record(view, null);
      breaker.succeed();
      metrics.summarizerRuns.inc({ outcome });
      await this.status('idle', { ran: true, lastError: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (outcome !== 'ok') await record(null, message).catch((e: unknown) => this.log.warn({ err: e }, 'summary record failed'));
      metrics.summarizerRuns.inc({ outcome });
      const opened = outcome !== 'ok' && breaker.fail();
      this.log.warn({ err: message, outcome, opened }, 'summarizer run failed');
      const until = breaker.blockedUntil();
      this.summarizeSoon(until === null ? undefined : until - Date.now()); // try again: the entries are still unsummarized
      await this.status(opened ? 'breaker_open' : 'idle', { ran: true, lastError: message, ...(opened && { reason: 'repeated failures' }) });
    }
  }
}

/** Milliseconds until the views may be recomputed, given when the last run began and what it cost. */
export function viewWait(now: number, lastRun: number, lastCost: number): number {
  return Math.max(VIEW_DEBOUNCE_MS, lastRun + Math.max(VIEW_INTERVAL_MS, VIEW_COST_FACTOR * lastCost) - now);
}
