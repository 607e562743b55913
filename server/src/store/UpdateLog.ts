// The update log a room needs of storage: each incident's accepted Yjs updates in sequence order,
// appended a group commit at a time, the snapshots that shorten a load, whose each Yjs client id
// is, and the purge that rewrites the log. `Store` is the one implementation on PGlite and
// Postgres; a room's unit tests use one in memory. Every method fails with a SitrepError, never a
// driver's error (storage.unavailable while the database is away; see faults.ts), and every
// implementation passes the contract suite in test/support/updateLogContract.ts.
import type { Entry } from '@sitrep/shared';
import type { SnapshotState } from './snapshotCodec.js';

/** One accepted update and the entries it adds, as the room hands them over. */
export interface LogAppend {
  bytes: Uint8Array;
  entries: readonly Entry[];
  tokenId?: string | null;
  /** Yjs client ids this update is the first to write under, and whose they become (null: the server's). */
  claims?: readonly ClientClaim[];
  /**
   * What the update changes in `meta`, as its `incident.meta` audit record says it (how it came,
   * the keys set and unset); written in the same statement as the row. Absent: no meta change.
   */
  meta?: Record<string, unknown> | null;
}

export interface ClientClaim {
  client: number;
  tokenId: string | null;
}

export interface LogRow {
  seq: number;
  bytes: Uint8Array;
}

/** A stored snapshot: the merged state (joined when first read), and the packed parts it was read from. */
export interface Snapshot {
  seq: number;
  state: SnapshotState;
  parts: Uint8Array[];
}

/** Who purges, and why: kept in the audit trail with the purge. */
export interface PurgeBy {
  tokenId: string;
  reason: string;
}

export interface UpdateLog {
  /**
   * Appends a group commit: every update gets the next sequence number, in order, all or none
   * (incident.not_found when there is no such incident; storage.conflict when an entry id or a
   * client id it claims was taken meanwhile, on any node). Resolves with their sequence numbers;
   * they may start past the room's last one when other nodes committed in between.
   */
  appendUpdates(incidentId: string, items: readonly LogAppend[]): Promise<number[]>;

  /** The rows after `afterSeq` (up to `upToSeq` when given), in sequence order. */
  readLog(incidentId: string, afterSeq?: number, upToSeq?: number): Promise<LogRow[]>;

  /** The last sequence number of each of these incidents that exists. */
  lastSeqs(ids: readonly string[]): Promise<Map<string, number>>;

  /** The newest snapshot (or the newest at or before `atSeq`), or null when there is none. */
  latestSnapshot(incidentId: string, atSeq?: number): Promise<Snapshot | null>;

  /** The sequence number of the snapshot latestSnapshot would read now (null: none), without reading it. */
  latestSnapshotSeq(incidentId: string, atSeq?: number): Promise<number | null>;

  /**
   * Stores the merged state as of `seq` (a snapshot never replaces log rows) and resolves with the
   * packed parts; storage.conflict when a purge came after `seq`, since the state may hold what it
   * removed.
   */
  writeSnapshot(incidentId: string, seq: number, state: Uint8Array): Promise<Uint8Array[]>;

  /** Whose each Yjs client id is (null: the server's); only `only` when given. */
  clientOwners(incidentId: string, only?: readonly number[]): Promise<Map<number, string | null>>;

  /**
   * Purges an entry, all or nothing: every row is passed to `rewrite` in sequence order (null
   * keeps it), the entry's projection and every snapshot go, and `finalUpdate` is appended (so
   * nodes holding the document apply the purge too) at the sequence number it resolves with.
   */
  purgeEntry(
    incidentId: string,
    entryId: string,
    rewrite: (bytes: Uint8Array) => Uint8Array | null,
    finalUpdate: Uint8Array,
    by: PurgeBy,
  ): Promise<{ seq: number; rewritten: number }>;
}
