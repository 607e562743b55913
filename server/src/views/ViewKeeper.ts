// Keeps one loaded incident's rules view and timeline current, and owns every write to its `view`
// root. After changes to entries, meta, curation or the commander view's key moments it
// recomputes both (pure functions in shared) and writes what changed, as diffs (viewLayout.ts;
// presence never goes into the document). Only the node holding the incident's view lease
// writes, and all of a room's view writes, the other writers' (ViewWriter) included, go one
// after another.
import {
  type ViewChanges,
  type ViewValues,
  buildRulesView,
  buildTimeline,
  readCuration,
  readEntries,
  readMeta,
  readView,
  viewChanges,
  viewMap,
} from '@sitrep/shared';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { Lease } from '../cluster/Lease.js';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { Store } from '../store/Store.js';

/** Rules view and timeline: recomputed this long after a change, at most once per interval. */
const VIEW_DEBOUNCE_MS = 100;
const VIEW_INTERVAL_MS = 1_000;
/**
 * A recompute folds every entry (about 0.25 s at 100,000), so on a large incident the interval
 * stretches to this many times the last one's cost: views spend at most a tenth of the loop.
 */
const VIEW_COST_FACTOR = 10;

/** What another writer of a room's `view` root (the LLM summarizer) writes through. */
export interface ViewWriter {
  /** The room, to read: its id, its document and how far its log goes. */
  readonly room: Pick<IncidentRoom, 'id' | 'doc' | 'seq'>;
  /** True while this node holds the view lease; otherwise `retry` runs once it may have lapsed. */
  holdsLease(retry: () => void): Promise<boolean>;
  /** Writes the keys whose values changed, after the view writes queued before it. */
  write(values: ViewValues): Promise<void>;
  /** Resolves once no view write is scheduled or queued. */
  settled(): Promise<void>;
}

export interface ViewKeeperDeps {
  store: Store;
  metrics: Metrics;
  log: Logger;
  /** This node's name in view leases. */
  nodeId: string;
}

export class ViewKeeper implements ViewWriter {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private lastRun = 0;
  private lastCost = 0;
  private readonly lease: Lease;
  private writes: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly room: IncidentRoom,
    private readonly deps: ViewKeeperDeps,
  ) {
    this.log = deps.log.child({ incident: room.id, part: 'views' });
    this.lease = new Lease(`views:${room.id}`, deps.nodeId, (name, holder, ttlMs) =>
      deps.store.summaries.acquireLease(name, holder, ttlMs),
    );
  }

  start(): void {
    this.room.doc.on('afterTransaction', this.onTransaction);
    this.recomputeSoon();
  }

  stop(): void {
    this.stopped = true;
    this.room.doc.off('afterTransaction', this.onTransaction);
    if (this.timer) clearTimeout(this.timer);
  }

  private readonly onTransaction = (tr: Y.Transaction) => {
    let views = false;
    for (const [type, keys] of tr.changed) {
      const root = [...this.room.doc.share].find(([, t]) => t === type)?.[0];
      // The commander view's key moments join the timeline; the other view keys are ours.
      views ||=
        root === 'entries' ||
        root === 'meta' ||
        root === 'curation' ||
        (root === 'view' && keys.has('commander'));
    }
    if (views) this.recomputeSoon();
  };

  private recomputeSoon(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.serial(() => this.writeDerived()).catch((err: unknown) =>
          this.log.warn({ err }, 'view work failed'),
        );
      },
      viewWait(Date.now(), this.lastRun, this.lastCost),
    );
  }

  async settled(): Promise<void> {
    while (this.timer) await new Promise((r) => setTimeout(r, 10));
    const writes = this.writes;
    await writes;
    if (writes !== this.writes || this.timer) return this.settled();
  }

  /** Runs `task` after the view work queued before it; its failure is the caller's, and the next task still runs. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writes.then(task);
    this.writes = run.catch(() => {});
    return run;
  }

  holdsLease(retry: () => void): Promise<boolean> {
    return this.lease.held(retry);
  }

  write(values: ViewValues): Promise<void> {
    return this.serial(() => this.writeChanges(this.changed(values)));
  }

  /** The view keys whose value differs from what the document holds, as diffs (viewLayout.ts). */
  private changed(values: ViewValues): ViewChanges {
    return viewChanges(viewMap(this.room.doc), values);
  }

  /** `derived` views (rules, timeline) quote entries: the room redacts what its policy would refuse. */
  private async writeChanges(changes: ViewChanges, derived = false): Promise<void> {
    if (!this.stopped) await this.room.writeView(changes, derived);
  }

  private async writeDerived(): Promise<void> {
    this.lastRun = Date.now(); // when it runs, not when it was queued behind another writer's
    if (this.stopped || !(await this.holdsLease(() => this.recomputeSoon()))) return;
    const doc = this.room.doc;
    const meta = readMeta(doc);
    if (!meta) return;
    const started = performance.now();
    const entries = readEntries(doc);
    const rules = buildRulesView(entries);
    const timeline = buildTimeline(
      meta,
      entries,
      readCuration(doc),
      readView(doc, 'commander')?.timeline ?? [],
    );
    const changed = this.changed([
      ['rules', rules],
      ['timeline', timeline],
    ]);
    // The cost paces the next run: the event loop's share (folding, comparing), not the commit's wait.
    this.lastCost = performance.now() - started;
    this.deps.metrics.viewSeconds.observe(this.lastCost / 1000);
    await this.writeChanges(changed, true);
  }
}

/** Milliseconds until the views may be recomputed, given when the last run began and what it cost. */
export function viewWait(now: number, lastRun: number, lastCost: number): number {
  return Math.max(VIEW_DEBOUNCE_MS, lastRun + Math.max(VIEW_INTERVAL_MS, VIEW_COST_FACTOR * lastCost) - now);
}
