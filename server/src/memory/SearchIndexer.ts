// The search indexer: keeps `entry_search` (store/SearchIndex.ts) up with the log after the
// commit, so that a commit pays only for what durability and idempotency need. Woken by every
// commit of this node and every commit heard from another, it runs indexing passes of a bounded
// size one after another until no incident is behind, a moment after the first wake-up so that
// a burst's commits share passes; a sweep now and then catches what a node that stopped before
// indexing left. It owns how far behind the index is: the lag gauge and histogram, and
// `caughtUp` for those who want to read their own writes in search (and for tests).
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { IndexPass } from '../store/SearchIndex.js';

/** Entries per pass: a statement of about this many documents (PGlite runs it on the event loop). */
export const PASS_ENTRIES = { pglite: 500, postgres: 5_000 } as const;

/** How long after a wake-up the first pass starts: commits of a burst meanwhile share it. */
const DELAY_MS = 50;

/** How long to wait after a failed pass, or while another node indexes, before trying again. */
const RETRY_MS = 500;

/** A pass now and then whatever happened: resumes what a stopped node left unindexed. */
const SWEEP_MS = 5_000;

export interface IndexerOptions {
  pass(maxEntries: number): Promise<IndexPass>;
  passEntries: number;
  log: Logger;
  metrics: Metrics;
}

export class SearchIndexer {
  /** When this node first knew of a commit not yet indexed; null while caught up. */
  private behindSince: number | null = null;
  /** Wake-ups so far: a pass that ends with none since it started has seen every commit before it. */
  private wakes = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly opts: IndexerOptions) {
    opts.metrics.searchIndexLagSeconds = () => this.lagSeconds();
    this.sweep = setInterval(() => this.poke(0), SWEEP_MS);
    this.sweep.unref();
    // What a previous run committed and did not index.
    this.poke(0);
  }

  /** Seconds the oldest commit this node knows of has waited for the index (0: caught up). */
  lagSeconds(): number {
    return this.behindSince === null ? 0 : (Date.now() - this.behindSince) / 1000;
  }

  /** A commit landed (here or on another node): the index has work. */
  wake(): void {
    this.behindSince ??= Date.now();
    this.poke(DELAY_MS);
  }

  /** A pass to see whether anything is behind, with no commit known to be. */
  private poke(delayMs: number): void {
    if (this.closed) return;
    this.wakes++;
    this.schedule(delayMs);
  }

  /**
   * Resolves once every commit this node knows of is indexed and no pass is due (at once when
   * so already), or after `timeoutMs`; never rejects. Search and related wait here briefly, so
   * a writer finds its own writes; tests wait here for the index.
   */
  caughtUp(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.closed || (this.behindSince === null && !this.timer && !this.running)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.waiters = this.waiters.filter((w) => w !== done);
            resolve();
          }, timeoutMs)
        : undefined;
      this.waiters.push(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    for (const w of this.waiters.splice(0)) w();
  }

  private schedule(ms: number): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run().finally(() => {
        this.running = null;
        // Woken while the last pass ran: go again.
        if (this.behindSince !== null) this.schedule(DELAY_MS);
      });
    }, ms);
  }

  /** Passes until no incident is behind and nothing woke it meanwhile; a failure retries later. */
  private async run(): Promise<void> {
    while (!this.closed) {
      const wakes = this.wakes;
      const started = Date.now();
      let pass: IndexPass;
      try {
        pass = await this.opts.pass(this.opts.passEntries);
      } catch (err) {
        this.opts.log.warn({ err }, 'search indexing failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      this.opts.metrics.searchIndexed.inc(pass.indexed);
      // Found behind by a sweep: lagging since at least now.
      if (pass.indexed > 0) this.behindSince ??= started;
      if (pass.busy) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      if (!pass.more && wakes === this.wakes) {
        if (this.behindSince !== null)
          this.opts.metrics.searchIndexCatchUp.observe((Date.now() - this.behindSince) / 1000);
        this.behindSince = null;
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      // Timers and sockets go on between passes (PGlite answers in microtasks).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
