// The document as of a point in an incident's log, rebuilt from storage: the newest snapshot at or
// before it and the log rows after that. Loading a room, replay, and the exports all read it here.
import * as Y from 'yjs';
import { SnapshotUnpacker } from '../store/snapshotCodec.js';
import type { LogRow, Snapshot, UpdateLog } from '../store/UpdateLog.js';

/** The stored state of an incident as of a point in its log: the newest snapshot at or before it, and the rows after that. */
export interface LogSlice {
  seq: number;
  snapshot: Snapshot | null;
  rows: LogRow[];
}

/** A snapshot's seq and its parts as stored, kept from an earlier read. */
export type KnownSnapshot = Pick<Snapshot, 'seq' | 'parts'>;

/**
 * Reads the snapshot and the log rows that make the document as of `atSeq` (default: the end of
 * the log). The rows after the newest snapshot are read beside its parts, not after them; when
 * another snapshot took its place meanwhile (thinned, purged, a newer one), they are read again.
 * `known`, the parts of a snapshot known before (room/RecentSnapshots), are unpacked instead of
 * read when that snapshot is still the newest: a snapshot's seq names its content (a purge drops
 * every snapshot, and one older than a purge is refused), so only the rows after it are read.
 */
export async function logAt(
  store: Pick<UpdateLog, 'latestSnapshot' | 'latestSnapshotSeq' | 'readLog'>,
  incidentId: string,
  atSeq?: number,
  known?: KnownSnapshot,
): Promise<LogSlice> {
  const after = (await store.latestSnapshotSeq(incidentId, atSeq)) ?? 0;
  if (known && known.seq === after) {
    const [state, rows] = await Promise.all([
      new SnapshotUnpacker().add(known.parts).state(),
      store.readLog(incidentId, after, atSeq),
    ]);
    return { seq: rows.at(-1)?.seq ?? after, snapshot: { seq: after, state, parts: known.parts }, rows };
  }
  const [snapshot, read] = await Promise.all([
    store.latestSnapshot(incidentId, atSeq),
    store.readLog(incidentId, after, atSeq),
  ]);
  const rows =
    (snapshot?.seq ?? 0) === after ? read : await store.readLog(incidentId, snapshot?.seq ?? 0, atSeq);
  return { seq: rows.at(-1)?.seq ?? snapshot?.seq ?? 0, snapshot, rows };
}

/** Applies a snapshot's state and the updates after it to `doc`, in one transaction. */
export function applyLog(doc: Y.Doc, state: Uint8Array | null, updates: readonly Uint8Array[]): Y.Doc {
  doc.transact(() => {
    if (state) Y.applyUpdate(doc, state);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}
