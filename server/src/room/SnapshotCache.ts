// The snapshot cache of one room: the last snapshot it loaded or wrote (packed, as stored) and the
// updates applied since (the held tail), which together are the document: a new client is served
// them as they are (storedState), not a fresh encoding of the whole document. It decides when a
// snapshot is taken (every so many log rows, and for a large document not before the tail is a
// fraction of its state, so that the work per change stays flat however large the document grows;
// early when the tail grows very large) and how: below WORKER_FROM_BYTES it encodes the room's own
// document here, on the event loop; past it, it builds the snapshot in the snapshot worker from
// the base and the tail, or encodes here when the base is not known (none yet, a failed write, a
// purge, a follower's dropped tail). The store keeps the snapshots; this keeps what the next one
// is built from.
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Metrics } from '../metrics.js';
import type { Snapshot, UpdateLog } from '../store/UpdateLog.js';
import { deflatedStream, unpackSnapshot } from '../store/snapshotCodec.js';
import type { KnownSnapshot } from './documentAt.js';
import { snapshotState } from './snapshots.js';

/** Update bytes held since the last snapshot at most: past this a snapshot is taken early. */
const SNAPSHOT_TAIL_BYTES = 64 * 1024 * 1024;
/**
 * A snapshot rebuilds, encodes, deflates and stores the whole state: its cost grows with the
 * document (about 2 s of CPU at 50k entries), so taken every so many rows it made each change
 * cost more as the document grew. Past this state size a snapshot also waits until the tail's
 * bytes are TAIL_SHARE of the last snapshot's state: the snapshot work per byte written is then
 * bounded whatever the size, and a load reads at most that share more than the snapshot in raw
 * rows. Below it a snapshot is taken every so many rows, as before.
 */
export const GEOMETRIC_FROM_BYTES = 4 * 1024 * 1024;
export const TAIL_SHARE = 0.25;
/**
 * Below this state size a snapshot is the room's own document encoded on the event loop: rebuilding
 * a copy in the worker from the last snapshot and the tail cost the process 2 to 4 times the CPU of
 * the encode (about 0.1 s of the worker's thread for a 2.3 MB state a minute into a run, besides its
 * isolate's compiles and collections), and kept the worker's isolate alive (about 50 MB of RSS).
 * The price is one event-loop pause per `every` rows, kept within about 50 ms warm on the 2-core
 * VM: a document of bench entries encoded warm in 37, 37 and 56 ms at 3.1 MiB, and in 51, 54 and
 * 55 ms at 4.2 MiB, so not GEOMETRIC_FROM_BYTES (the fastest of 12 to 22 warm rounds in each of
 * three runs at load 2 to 6; docs/benchmarks-log.md, 2026-12-07).
 */
export const WORKER_FROM_BYTES = 3 * 1024 * 1024;

/** The document as stored: the last snapshot's state and the updates applied since, in order. */
export interface StoredState {
  state: Uint8Array;
  /** The snapshot's state as its stored deflate stream (null: a snapshot of an older format). */
  deflated: readonly Uint8Array[] | null;
  tail: readonly Uint8Array[];
}

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
  /**
   * The byte length of the last snapshot's state (0: none known, as when `base` is null): as
   * known when it was taken until it lands (exact when encoded here; the base's and the tail's
   * when built in the worker, an upper bound), then as it landed.
   */
  private stateBytes = 0;
  /**
   * The last snapshot's state unpacked, once a new client asked for it (storedState); kept while
   * it is the last snapshot, and handed on to the next one only if this one was asked for.
   */
  private unpacked: { of: Promise<Uint8Array[]>; state: Promise<Uint8Array> } | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly deps: SnapshotCacheDeps,
  ) {}

  /** Starts from the snapshot a load read, if any, and the log rows after it. */
  loaded(snapshot: Snapshot | null, tail: Uint8Array[]): void {
    this.seq = snapshot?.seq ?? 0;
    if (!snapshot) return;
    this.stateBytes = snapshot.state.byteLength;
    this.setBase(Promise.resolve(snapshot.parts));
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
    this.setBase(null);
    this.stateBytes = 0;
  }

  /**
   * Whether a snapshot is due at `lastSeq`: `every` rows since the last one and, past
   * GEOMETRIC_FROM_BYTES of state, a tail of TAIL_SHARE of it; or, in fewer rows, a tail of
   * GEOMETRIC_FROM_BYTES and of TAIL_SHARE (a few large rows, as an import, would otherwise grow a
   * document far past its last snapshot, and its first one would be encoded on the event loop at
   * full size); or a tail over SNAPSHOT_TAIL_BYTES.
   */
  private due(lastSeq: number): boolean {
    const share = TAIL_SHARE * this.stateBytes;
    if (this.tailBytes >= SNAPSHOT_TAIL_BYTES || this.tailBytes >= Math.max(GEOMETRIC_FROM_BYTES, share))
      return true;
    if (lastSeq - this.seq < this.deps.every) return false;
    return this.stateBytes <= GEOMETRIC_FROM_BYTES || this.tailBytes >= share;
  }

  /**
   * Writes the merged state as of `lastSeq` once it is due (see `due`): encoded from the document
   * here below WORKER_FROM_BYTES (the last state known when it was taken and the updates since) or
   * when the last one is not known; past it, built in the snapshot worker from the last one and the
   * updates since, off the event loop.
   */
  maybeSnapshot(lastSeq: number): void {
    const { store, incidentId, log, metrics } = this.deps;
    if (!this.due(lastSeq)) return;
    const seq = lastSeq;
    const tail = this.tail;
    const last = this.base;
    const base = this.stateBytes + this.tailBytes >= WORKER_FROM_BYTES ? last : null;
    const built = base ? 'worker' : 'here';
    let state: Promise<Uint8Array>;
    if (base) {
      state = base.then((parts) => snapshotState(parts, tail));
      this.stateBytes += this.tailBytes;
    } else {
      const encoded = Y.encodeStateAsUpdate(this.doc);
      // Written once the last one has landed or failed, as one built from it is: one write at a
      // time, in order, so `written()` covers every snapshot taken while the last is known. One
      // taken after it was dropped (a follower's bound tail, another node's purge) is not chained
      // behind a write still in flight; the store refuses a snapshot older than a purge.
      state = last
        ? last.then(
            () => encoded,
            () => encoded,
          )
        : Promise.resolve(encoded);
      this.stateBytes = encoded.byteLength;
    }
    let bytes = 0;
    const written = state.then((s) => {
      bytes = s.byteLength;
      return store.writeSnapshot(incidentId, seq, s);
    });
    this.seq = seq;
    this.keepTail([]);
    // A state new clients were served is kept unpacked for the next ones, as the worker built it.
    const asked = this.unpacked !== null;
    this.setBase(written);
    if (asked) this.unpacked = { of: written, state };
    written.then(
      () => {
        metrics.snapshots.inc({ built, outcome: 'ok' });
        if (this.base === written) this.stateBytes = bytes;
      },
      () => metrics.snapshots.inc({ built, outcome: 'failed' }),
    );
    written.catch((err: unknown) => {
      log.warn({ err, seq }, 'snapshot failed');
      if (this.base !== written) return;
      this.setBase(null);
      this.seq = 0;
      this.stateBytes = 0;
    });
  }

  /**
   * After a purge, here or on another node: the last snapshot and the updates held since still
   * carry the purged content. Drops them; the next snapshot encodes the document here.
   */
  forgetPurged(): void {
    this.setBase(null);
    this.stateBytes = 0;
    this.keepTail([]);
  }

  /** Resolves once a snapshot being written has landed or failed (a purge must come after it). */
  async written(): Promise<void> {
    await this.base?.catch(() => {});
  }

  /**
   * What a new client is served instead of an encoding of the document: the last snapshot's state
   * (unpacked off the event loop the first time it is asked for) and the updates applied since,
   * as of when it resolves, so applied in order they are the document then. Null below
   * GEOMETRIC_FROM_BYTES of state, and when the last snapshot is not known (none, a failed write,
   * a purge, a follower's dropped tail) or changed while it was unpacked: the caller encodes.
   */
  async storedState(): Promise<StoredState | null> {
    const base = this.base;
    // A small state is cheap to encode; one encoded frame per version serves every new client.
    if (!base || this.stateBytes < GEOMETRIC_FROM_BYTES) return null;
    if (this.unpacked?.of !== base) this.unpacked = { of: base, state: base.then(unpackSnapshot) };
    const [state, parts] = await Promise.all([this.unpacked.state.catch(() => null), base.catch(() => null)]);
    if (state === null || parts === null || this.base !== base) return null;
    return { state, deflated: deflatedStream(parts), tail: [...this.tail] };
  }

  /**
   * The last snapshot as stored, its seq and parts, once it has landed; null when it is not known
   * (none, a failed write, a purge, a follower's dropped tail): what a reopen can start from
   * (RecentSnapshots). Never one from before a purge: forgetPurged drops it.
   */
  async newest(): Promise<KnownSnapshot | null> {
    const [base, seq] = [this.base, this.seq];
    const parts = await base?.catch(() => null);
    return parts && this.base === base ? { seq, parts } : null;
  }

  /** Whether new clients are served the stored state (storedState), as far as is known now. */
  servesStored(): boolean {
    return this.base !== null && this.stateBytes >= GEOMETRIC_FROM_BYTES;
  }

  /** Replaces the last snapshot (null: not known); its unpacked state goes with it. */
  private setBase(base: Promise<Uint8Array[]> | null): void {
    this.base = base;
    this.unpacked = null;
  }

  /** Replaces the updates held since the last snapshot. */
  private keepTail(tail: Uint8Array[]): void {
    this.tail = tail;
    this.tailBytes = tail.reduce((n, u) => n + u.byteLength, 0);
  }
}
