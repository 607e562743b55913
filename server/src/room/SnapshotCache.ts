// The snapshot cache of one room: the last snapshot it loaded or wrote (packed, as stored) and the
// updates applied since (the held tail). It decides when a snapshot is taken (every so many log
// rows, or early when the tail grows large) and builds it in the snapshot worker from the base
// and the tail, or encodes the document here when the base is not known (none yet, a failed
// write, a purge, a follower's dropped tail). The store keeps the snapshots; this keeps what the
// next one is built from.
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Metrics } from '../metrics.js';
import type { Snapshot, UpdateLog } from '../store/UpdateLog.js';
import { snapshotState } from './snapshots.js';

/** Update bytes held since the last snapshot at most: past this a snapshot is taken early. */
const SNAPSHOT_TAIL_BYTES = 64 * 1024 * 1024;

export interface SnapshotCacheDeps {
  incidentId: string;
  store: Pick<UpdateLog, 'writeSnapshot'>;
  log: Logger;
  metrics: Metrics;
  /** Log rows between snapshots. */
  every: number;
}

export class SnapshotCache {
  /** The sequence number of the last snapshot (0: none, or the last one failed). */
  private seq = 0;
  /** The last snapshot, packed, once known; null: none, or not known since a purge or a failed write. */
  private base: Promise<Uint8Array[]> | null = null;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly deps: SnapshotCacheDeps,
  ) {}

  /** Starts from the snapshot a load read, if any, and the log rows after it. */
  loaded(snapshot: Snapshot | null, tail: Uint8Array[]): void {
    this.seq = snapshot?.seq ?? 0;
    if (!snapshot) return;
    this.base = Promise.resolve(snapshot.parts);
    this.keepTail(tail);
  }

  /** Holds an update applied to the document after the last snapshot. */
  addToTail(update: Uint8Array): void {
    this.tail.push(update);
    this.tailBytes += update.byteLength;
  }

  /**
   * A node that only follows another's writes takes no snapshots (the writer does): it keeps no
   * more than a few snapshots' worth of tail, in rows and in bytes, and encodes here if it ever
   * snapshots itself.
   */
  boundFollowed(): void {
    if (this.tail.length <= 4 * this.deps.every && this.tailBytes <= SNAPSHOT_TAIL_BYTES) return;
    this.keepTail([]);
    this.base = null;
  }

  /**
   * Writes the merged state as of `lastSeq` once enough log rows have passed since the last
   * snapshot: built in the snapshot worker from the last one and the updates since, or, when that
   * is not known, encoded from the document here.
   */
  maybeSnapshot(lastSeq: number): void {
    const { store, incidentId, log, metrics, every } = this.deps;
    if (lastSeq - this.seq < every && this.tailBytes < SNAPSHOT_TAIL_BYTES) return;
    const seq = lastSeq;
    const tail = this.tail;
    const built = this.base ? 'worker' : 'here';
    const state = this.base
      ? this.base.then((base) => snapshotState(base, tail))
      : Promise.resolve(Y.encodeStateAsUpdate(this.doc));
    const written = state.then((s) => store.writeSnapshot(incidentId, seq, s));
    this.seq = seq;
    this.keepTail([]);
    this.base = written;
    written.then(
      () => metrics.snapshots.inc({ built, outcome: 'ok' }),
      () => metrics.snapshots.inc({ built, outcome: 'failed' }),
    );
    written.catch((err: unknown) => {
      log.warn({ err, seq }, 'snapshot failed');
      if (this.base !== written) return;
      this.base = null;
      this.seq = 0;
    });
  }

  /**
   * After a purge, here or on another node: the last snapshot and the updates held since still
   * carry the purged content. Drops them; the next snapshot encodes the document here.
   */
  forgetPurged(): void {
    this.base = null;
    this.keepTail([]);
  }

  /** Resolves once a snapshot being written has landed or failed (a purge must come after it). */
  async written(): Promise<void> {
    await this.base?.catch(() => {});
  }

  /** Replaces the updates held since the last snapshot. */
  private keepTail(tail: Uint8Array[]): void {
    this.tail = tail;
    this.tailBytes = tail.reduce((n, u) => n + u.byteLength, 0);
  }
}
