// The search indexer: keeps `entry_search` (store/SearchIndex.ts) up with the log after the
// commit, so that a commit pays only for what durability and idempotency need. Woken by every
// commit of this node and every commit heard from another, it runs indexing passes of a bounded
// size one after another until no incident is behind, a moment after the first wake-up so that
// the commits meanwhile share passes, and merges the text index's pending words at most once a
// second; a pass at start and a sweep now and then catch what a node that stopped before indexing
// left. It owns how far behind the index is (the age of the oldest commit
// not known to be indexed): the lag gauge and histogram, `indexed` for a reader who wants what was
// committed before it asked (search, related), and `caughtUp` for tests and benches.
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { IndexPass } from '../store/SearchIndex.js';

/**
 * Entries per pass, at most: one statement of about this many documents. PGlite runs it on the
 * event loop, so its passes are shorter than a 500-entry append and I/O goes on between them; on
 * Postgres a pass is a backend's work, bounded so that what was committed before a search waits
 * at most about one pass.
 */
export const PASS_ENTRIES = { pglite: 200, postgres: 2_000 } as const;

/**
 * How long after a wake-up the first pass starts: commits meanwhile share it. A pass is a
 * transaction of four statements whatever it indexes, so at a live incident's pace (tens of
 * commits a second, one entry each) a pass per commit cost more than the commits; this many ms
 * gather them, well inside the lag's bound (1 s). A reader who waits starts the pass at once.
 */
export const DELAY_MS = 200;

/**
 * How long a write waits for its entries to be indexed where writes wait (PGlite), at most: a
 * pass that keeps failing must not hold acknowledgements of durable writes for ever.
 */
export const ACK_WAIT_MS = 30_000;

/**
 * A pass that indexed less than this share of its bound found little to do: commits come one by
 * one, and the next pass waits DELAY_MS so that they share it. One that indexed more is under a
 * burst, and the next goes at once.
 */
const FEW = 0.1;

/** How long to wait after a failed pass, or while another node indexes, before trying again. */
const RETRY_MS = 200;

/** A pass now and then whatever happened: resumes what a stopped node left unindexed. */
const SWEEP_MS = 5_000;

/**
 * How often the text index's pending words are merged, at most. A merge is a statement that
 * walks the list and the index's tree; once per catch-up it was one per commit at a live pace.
 * Words indexed since the last merge are merged this long after it (a search reads the list
 * meanwhile: a second of a live incident is a few pages).
 */
export const MERGE_EVERY_MS = 1_000;

export interface IndexerOptions {
  pass(maxEntries: number): Promise<IndexPass>;
  /** Merges the text index's pending words (SearchIndex.mergePending): done once caught up. */
  mergePending(): Promise<void>;
  passEntries: number;
  /** How long after a commit's wake-up the first pass starts (DELAY_MS; 0 where writes wait for it). */
  delayMs: number;
  log: Logger;
  metrics: Metrics;
}

export class SearchIndexer {
  /** When the oldest commit this node knows of and cannot count as indexed came; null while caught up. */
  private behindSince: number | null = null;
  /**
   * When the first commit heard of since the current pass began came (null: none): a pass that
   * leaves no incident behind indexed everything committed before it, so this becomes the oldest.
   */
  private sincePass: number | null = null;
  /** Commits heard of so far (and sweeps asked for). */
  private wakes = 0;
  /** Every commit counted in `wakes` up to this is indexed: a pass that began then found none left. */
  private indexedWakes = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Words were indexed since the last merge of the pending list. */
  private unmerged = false;
  private lastMerge = 0;
  /** The merge due MERGE_EVERY_MS after the last one. */
  private mergeTimer: NodeJS.Timeout | null = null;
  private waiters: { wakes: number; done: () => void }[] = [];
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
    const now = Date.now();
    this.behindSince ??= now;
    this.sincePass ??= now;
    this.poke(this.opts.delayMs);
  }

  /** A pass to see whether anything is behind, with no commit known to be. */
  private poke(delayMs: number): void {
    if (this.closed) return;
    this.wakes++;
    this.schedule(delayMs);
  }

  /**
   * Resolves once every commit this node knew of when called is indexed (at once when nothing
   * is behind), or after `timeoutMs`; never rejects. Search and related wait here briefly, so a
   * writer finds its own writes; under a burst they wait about one pass, not for the burst.
   */
  indexed(timeoutMs: number): Promise<void> {
    return this.waitFor(this.wakes, timeoutMs);
  }

  /** Resolves once nothing is behind and no pass is due (tests and benches), or after `timeoutMs`. */
  caughtUp(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    return this.waitFor(Number.POSITIVE_INFINITY, timeoutMs);
  }

  private waitFor(wakes: number, timeoutMs: number): Promise<void> {
    if (this.closed || this.idle() || this.indexedWakes >= wakes) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        wakes,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            resolve();
          }, timeoutMs)
        : undefined;
      this.waiters.push(waiter);
      // A reader waits: the pass due starts now.
      if (this.timer && !this.running) {
        clearTimeout(this.timer);
        this.timer = null;
        this.schedule(0);
      }
    });
  }

  private idle(): boolean {
    return this.behindSince === null && !this.timer && !this.running && !this.mergeTimer;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    if (this.timer) clearTimeout(this.timer);
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    this.timer = null;
    this.mergeTimer = null;
    await this.running;
    for (const w of this.waiters.splice(0)) w.done();
  }

  private schedule(ms: number): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start(() => this.run());
    }, ms);
  }

  private start(work: () => Promise<void>): void {
    this.running = work().finally(() => {
      this.running = null;
      // Woken while the last pass ran: go again.
      if (this.behindSince !== null) this.schedule(this.opts.delayMs);
      this.release();
    });
  }

  /**
   * Merges the pending words if any were indexed and the last merge is MERGE_EVERY_MS old; else
   * once it is (a run under way then merges as it ends, caught up).
   */
  private async mergeIfDue(): Promise<void> {
    if (!this.unmerged || this.closed) return;
    const wait = this.lastMerge + MERGE_EVERY_MS - Date.now();
    if (wait > 0) {
      this.mergeTimer ??= setTimeout(() => {
        this.mergeTimer = null;
        if (this.running || this.timer) return;
        this.start(() => this.mergeIfDue());
      }, wait);
      return;
    }
    this.unmerged = false;
    this.lastMerge = Date.now();
    await this.opts.mergePending().catch((err: unknown) => {
      this.opts.log.debug({ err }, 'merging the text index pending list failed');
    });
  }

  /** Lets go the waiters whose commits are indexed, and all of them once caught up. */
  private release(): void {
    const caughtUp = this.idle();
    this.waiters = this.waiters.filter((w) => {
      if (!caughtUp && w.wakes > this.indexedWakes) return true;
      w.done();
      return false;
    });
  }

  /**
   * Passes while more than a pass is behind or each finds much to do, until one leaves no incident
   * behind; then the pending words merged if nothing woke it meanwhile and a merge is due
   * (mergeIfDue). A failure retries later.
   */
  private async run(): Promise<void> {
    while (!this.closed) {
      const wakes = this.wakes;
      const started = Date.now();
      this.sincePass = null;
      let pass: IndexPass;
      try {
        pass = await this.opts.pass(this.opts.passEntries);
      } catch (err) {
        this.opts.log.warn({ err }, 'search indexing failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      this.opts.metrics.searchIndexed.inc(pass.indexed);
      if (pass.indexed > 0) {
        this.unmerged = true;
        // Found behind by a sweep: lagging since at least now.
        this.behindSince ??= started;
      }
      if (pass.busy) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      if (!pass.more) {
        this.indexedWakes = wakes;
        if (this.behindSince !== null)
          this.opts.metrics.searchIndexCatchUp.observe((Date.now() - this.behindSince) / 1000);
        // Everything committed before the pass is indexed: the oldest left came after it began.
        this.behindSince = this.sincePass;
        this.release();
        if (wakes === this.wakes) {
          await this.mergeIfDue();
          return;
        }
        // Committed since it began, a few: the next pass DELAY_MS on (start), so those meanwhile share it.
        if (pass.indexed < this.opts.passEntries * FEW) return;
      }
      // More than a pass was behind, or a burst: the next now. Timers and sockets go on between
      // passes (PGlite answers in microtasks).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
