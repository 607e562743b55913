// The node's Prometheus metrics, one registry per server so several servers in one process (as
// in tests) do not share counters.
import type { IncidentKind } from '@sitrep/shared';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Commits timed and not yet observed into their histograms at most (a node nobody scrapes). */
export const MAX_HELD_COMMITS = 4096;

/** How many incidents the database holds of each kind, read when scraped. */
export type IncidentCounter = () => Promise<Record<IncidentKind, number>>;

export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({
    name: 'sitrep_connections',
    help: 'Open websocket connections',
    registers: [this.registry],
  });
  readonly loadedDocuments = new Gauge({
    name: 'sitrep_loaded_documents',
    help: 'Incident documents held in memory',
    registers: [this.registry],
  });
  readonly updatesAccepted = new Counter({
    name: 'sitrep_updates_accepted_total',
    help: 'Updates accepted and made durable',
    registers: [this.registry],
  });
  readonly updatesRejected = new Counter({
    name: 'sitrep_updates_rejected_total',
    help: 'Updates refused, by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly logRows = new Counter({
    name: 'sitrep_log_rows_total',
    help: 'Rows appended to the update log',
    registers: [this.registry],
  });
  /**
   * Each commit's time and size as two numbers (commitTook), observed into the two histograms
   * below at the next scrape, or once MAX_HELD_COMMITS wait: prom-client's observe on the commit
   * path was 1 to 1.5 % of the live fan-out's main thread (profiled), a push is not. Fewer than
   * MAX_HELD_COMMITS are held after any commit; on a node nobody scrapes, the commit that reaches
   * it observes them all at once (a few ms, about every 80 s at 50 commits a second).
   */
  private held: number[] = [];
  readonly commitSeconds = new Histogram({
    name: 'sitrep_commit_seconds',
    help: 'Time to commit one group of updates to the log',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
    collect: () => this.observeCommits(),
  });
  readonly commitBatch = new Histogram({
    name: 'sitrep_commit_batch_size',
    help: 'Updates committed together in one transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
    collect: () => this.observeCommits(),
  });
  readonly documentLoadSeconds = new Histogram({
    name: 'sitrep_document_load_seconds',
    help: 'Time to load an incident document from its newest snapshot and the log after it, by outcome (ok, failed)',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly viewSeconds = new Histogram({
    name: 'sitrep_view_seconds',
    help: "Time to recompute one incident's rules view and timeline (the next waits at least ten times this)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly syncReplies = new Counter({
    name: 'sitrep_sync_replies_total',
    help:
      'Replies to sync step 1, by how they were made (cached: the full state encoded before at ' +
      'this version; full: the full state, encoded and cached; diff: what the client lacks, ' +
      'encoded for it)',
    labelNames: ['answer'] as const,
    registers: [this.registry],
  });
  readonly syncRequestsHeld = new Counter({
    name: 'sitrep_sync_requests_held_total',
    help:
      'Sync step 1 and query-awareness requests that came faster than a socket may ask and were ' +
      'held (the newest of each answered later), by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly snapshots = new Counter({
    name: 'sitrep_snapshots_total',
    help:
      'Snapshots written, by where the state was built (worker: from the last snapshot and the ' +
      'updates since; here: encoded on the event loop) and outcome (ok, failed)',
    labelNames: ['built', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly summarizerRuns = new Counter({
    name: 'sitrep_summarizer_runs_total',
    help: 'LLM summarizer runs, by outcome (ok, failed, bad_output)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly summarizerTokens = new Counter({
    name: 'sitrep_summarizer_tokens_total',
    help: 'Tokens the summarizer used, by direction (input, output)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly summarizerDropped = new Counter({
    name: 'sitrep_summarizer_dropped_items_total',
    help: 'Summary items dropped for citing entries that do not exist',
    registers: [this.registry],
  });
  readonly summarizerSeconds = new Histogram({
    name: 'sitrep_summarizer_seconds',
    help: 'Latency of one LLM summarizer call',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 40, 60],
    registers: [this.registry],
  });
  readonly searchIndexed = new Counter({
    name: 'sitrep_search_indexed_entries_total',
    help: 'Entries this node wrote into the search index (after their commit)',
    registers: [this.registry],
  });
  readonly searchIndexCatchUp = new Histogram({
    name: 'sitrep_search_index_catch_up_seconds',
    help:
      'For each indexing pass that left nothing behind, how long the oldest commit it indexed ' +
      'had waited: how far search lagged the log',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
    registers: [this.registry],
  });
  /** How far the search index is behind, in seconds (the indexer sets it; 0 until then). */
  searchIndexLagSeconds: () => number = () => 0;
  readonly searchIndexLag = (() => {
    const lag = () => this.searchIndexLagSeconds();
    return new Gauge({
      name: 'sitrep_search_index_lag_seconds',
      help: 'How long the oldest commit this node knows of has waited for the search index (0: caught up)',
      registers: [this.registry],
      collect() {
        this.set(lag());
      },
    });
  })();

  /**
   * Read from the database at each scrape, so every node reports the same total whoever made
   * them; a drill is labelled as one, never counted as an incident.
   */
  readonly incidents: Gauge<'kind'>;

  constructor(countIncidents?: IncidentCounter) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sitrep_' });
    this.incidents = new Gauge({
      name: 'sitrep_incidents',
      help: 'Incidents in the database (archived ones too), by kind (incident, drill)',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        if (!countIncidents) return;
        // A scrape while the database is away keeps the last values rather than failing whole.
        const counts = await countIncidents().catch(() => null);
        for (const [kind, n] of Object.entries(counts ?? {})) this.set({ kind }, n);
      },
    });
  }

  /** A commit of `size` updates took `seconds` (see `held`). */
  commitTook(seconds: number, size: number): void {
    this.held.push(seconds, size);
    if (this.held.length >= 2 * MAX_HELD_COMMITS) this.observeCommits();
  }

  private observeCommits(): void {
    const held = this.held;
    this.held = [];
    for (let i = 0; i + 1 < held.length; i += 2) {
      this.commitSeconds.observe(held[i] ?? 0);
      this.commitBatch.observe(held[i + 1] ?? 0);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
