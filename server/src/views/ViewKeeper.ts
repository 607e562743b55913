// Keeps one loaded incident's rules view and timeline current, and owns every write to its `view`
// root. It notes which entries and curation keys each transaction changed (and whether the meta
// or the commander view's key moments did); a run hands those to the incident's DerivedViews
// (shared), which makes again only the view items they touch, and writes the ones that differ
// (viewLayout.ts; presence never goes into the document). The first run, and the first after the
// view lease was lost or a write failed, reads the whole document and compares every view key.
// Only the node holding the incident's view lease writes, and all of a room's view writes, the
// other writers' (ViewWriter) included, go one after another. A run that is due as entries commit
// goes with them (CommitViews): a quiet incident's entry and its views are one transaction.
import {
  DerivedViews,
  type Entry,
  type IncidentMeta,
  type ViewChanges,
  type ViewValues,
  curationMap,
  entriesMap,
  keyChanges,
  readCurationOf,
  readMeta,
  readView,
  viewChanges,
  viewMap,
} from '@sitrep/shared';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { Lease, Leases } from '../cluster/Leases.js';
import type { Metrics } from '../metrics.js';
import type { CommitViews, IncidentRoom } from '../room/IncidentRoom.js';

/** Rules view and timeline: brought up to date this long after a change, at most once per interval. */
const VIEW_DEBOUNCE_MS = 100;
const VIEW_INTERVAL_MS = 1_000;
/**
 * A whole run folds every entry (about 0.25 s at 100,000), so after one the interval stretches to
 * this many times its cost: views spend at most a tenth of the loop.
 */
const VIEW_COST_FACTOR = 10;
/** A run that goes with a commit needs the lease for at least this long: the commit's time, with room to spare. */
const COMMIT_LEASE_MS = 5_000;

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
  metrics: Metrics;
  log: Logger;
  /** The node's leases, the view lease among them. */
  leases: Leases;
}

export class ViewKeeper implements ViewWriter, CommitViews {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private lastRun = 0;
  private lastCost = 0;
  private readonly lease: Lease;
  /** Runs the views again once a refused lease may have lapsed (one function: the lease keeps it once). */
  private readonly retryLease = () => this.recomputeSoon();
  private writes: Promise<unknown> = Promise.resolve();
  /** View writes queued or running (`serial`, and a run that goes with a commit). */
  private inFlight = 0;
  private stopped = false;
  /** Entries a run that went with their commit has taken: their apply is no news. */
  private readonly atCommit = new Set<string>();
  /** What the `view` root holds of the derived views, as of the last run; null: read it all next run. */
  private views: DerivedViews | null = null;
  /** What transactions changed since the last run. */
  private readonly changed = {
    entries: new Set<string>(),
    curation: new Set<string>(),
    meta: false,
    moments: false,
  };

  constructor(
    readonly room: IncidentRoom,
    private readonly deps: ViewKeeperDeps,
  ) {
    this.log = deps.log.child({ incident: room.id, part: 'views' });
    this.lease = deps.leases.lease(`views:${room.id}`);
  }

  start(): void {
    this.room.doc.on('afterTransaction', this.onTransaction);
    this.room.deriveViewsAtCommit(this);
    this.recomputeSoon();
  }

  stop(): void {
    this.stopped = true;
    this.lease.release();
    this.room.deriveViewsAtCommit(null);
    this.room.doc.off('afterTransaction', this.onTransaction);
    if (this.timer) clearTimeout(this.timer);
  }

  private readonly onTransaction = (tr: Y.Transaction) => {
    let views = false;
    const { changed } = this;
    for (const [type, keys] of tr.changed) {
      const root = [...this.room.doc.share].find(([, t]) => t === type)?.[0];
      const named = [...keys].filter((k): k is string => k !== null);
      const fresh = root === 'entries' ? named.filter((k) => !this.atCommit.delete(k)) : [];
      for (const k of fresh) changed.entries.add(k);
      if (root === 'curation') for (const k of named) changed.curation.add(k);
      changed.meta ||= root === 'meta';
      // The commander view's key moments join the timeline; the other view keys are ours.
      changed.moments ||= root === 'view' && keys.has('commander');
      views ||= fresh.length > 0 || root === 'curation' || root === 'meta' || changed.moments;
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
    this.inFlight++;
    const run = this.writes.then(task).finally(() => this.inFlight--);
    this.writes = run.catch(() => {});
    return run;
  }

  /**
   * The run of the views with entries about to commit, when one is due now: no view work queued
   * or running, the views known (not to be read whole), the lease held, and the pacing's wait
   * over (the run the timer would make after the debounce). Its writes go with the commit, so
   * they count as view work until `settle`; if not applied, the next run reads the document.
   */
  changesFor(entries: readonly Entry[]): { changes: ViewChanges; settle(applied: boolean): void } | null {
    const views = this.views;
    if (this.stopped || this.inFlight > 0 || !views) return null;
    // Asked at every commit of entries: what is cheap to tell goes first.
    if (viewWait(Date.now(), this.lastRun, this.lastCost) > VIEW_DEBOUNCE_MS) return null;
    if (!this.lease.heldFor(COMMIT_LEASE_MS, this.retryLease)) return null;
    const meta = readMeta(this.room.doc);
    if (!meta) return null;
    if (this.timer) clearTimeout(this.timer); // this run takes what it would have
    this.timer = null;
    this.lastRun = Date.now();
    for (const e of entries) this.atCommit.add(e.id);
    const changes = this.derive(views, meta, false, entries);
    this.inFlight++;
    let done = () => {};
    this.writes = this.writes.then(() => new Promise<void>((r) => (done = r)));
    return {
      changes,
      settle: (applied) => {
        this.inFlight--;
        this.atCommit.clear();
        done();
        if (applied) return;
        this.views = null;
        this.recomputeSoon();
      },
    };
  }

  holdsLease(retry: () => void): Promise<boolean> {
    return this.lease.held(retry);
  }

  write(values: ViewValues): Promise<void> {
    return this.serial(() => this.writeChanges(viewChanges(viewMap(this.room.doc), values)));
  }

  /** `derived` views (rules, timeline) quote entries: the room redacts what its policy would refuse. */
  private async writeChanges(changes: ViewChanges, derived = false): Promise<void> {
    if (!this.stopped) await this.room.writeView(changes, derived);
  }

  private async writeDerived(): Promise<void> {
    this.lastRun = Date.now(); // when it runs, not when it was queued behind another writer's
    if (this.stopped) return;
    if (!(await this.holdsLease(this.retryLease))) {
      this.views = null; // another node may write them meanwhile
      return;
    }
    const meta = readMeta(this.room.doc);
    if (!meta) return;
    const whole = this.views === null;
    const views = this.views ?? this.readAll();
    const changes = this.derive(views, meta, whole);
    this.views = views;
    try {
      await this.writeChanges(changes, true);
    } catch (err) {
      this.views = null; // what the root holds is not known: the next run reads it all
      throw err;
    }
  }

  /**
   * What to write so the `view` root holds the views after what changed since the last run (and
   * `entries`, about to commit); a `whole` run compares every view key.
   */
  private derive(views: DerivedViews, meta: IncidentMeta, whole: boolean, entries: readonly Entry[] = []) {
    const started = performance.now();
    for (const e of entries) views.setEntry(e.id, e);
    this.takeChanges(views, meta);
    const changes = keyChanges(viewMap(this.room.doc), views.changes(), whole ? ['rules', 'timeline'] : []);
    // The cost paces the next run: the event loop's share (folding, comparing), not the commit's wait.
    const cost = performance.now() - started;
    this.lastCost = whole ? cost : 0;
    this.deps.metrics.viewSeconds.observe(cost / 1000);
    return changes;
  }

  /** A DerivedViews of the whole document; what changed before now is in it. */
  private readAll(): DerivedViews {
    const views = new DerivedViews();
    const { changed } = this;
    changed.entries.clear();
    changed.curation.clear();
    changed.meta = changed.moments = true;
    entriesMap(this.room.doc).forEach((e, id) => {
      views.setEntry(id, e);
    });
    curationMap(this.room.doc).forEach((_, id) => {
      changed.curation.add(id);
    });
    return views;
  }

  /** Hands what changed since the last run to `views`. */
  private takeChanges(views: DerivedViews, meta: IncidentMeta): void {
    const { changed } = this;
    const doc = this.room.doc;
    const entries = entriesMap(doc);
    for (const id of changed.entries) views.setEntry(id, entries.get(id));
    for (const id of changed.curation) views.setCuration(id, readCurationOf(doc, id));
    if (changed.meta) views.setMeta(meta);
    if (changed.moments) views.setKeyMoments(readView(doc, 'commander')?.timeline ?? []);
    changed.entries.clear();
    changed.curation.clear();
    changed.meta = changed.moments = false;
  }
}

/** Milliseconds until the views may be recomputed, given when the last run began and what it cost. */
export function viewWait(now: number, lastRun: number, lastCost: number): number {
  return Math.max(VIEW_DEBOUNCE_MS, lastRun + Math.max(VIEW_INTERVAL_MS, VIEW_COST_FACTOR * lastCost) - now);
}
