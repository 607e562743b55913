// An update log in memory, for a room's unit tests: the UpdateLog contract as Store keeps it on
// PGlite and Postgres (sequence numbers per incident, group commits all or none, client ids
// claimed once, snapshots refused after a later purge), plus the two records a room keeps beside
// the log. Two rooms on one MemoryLog are two nodes on one database. Tests can make the next
// append or read fail, and see what was stored, audited and mirrored.
import { type IncidentMeta, SitrepError } from '@sitrep/shared';
import type { RoomStore } from '../../server/src/room/IncidentRoom.js';
import type { AuditEvent } from '../../server/src/store/AuditLog.js';
import { packSnapshot, SnapshotUnpacker } from '../../server/src/store/snapshotCodec.js';
import type { LogAppend, LogRow, PurgeBy, Snapshot, UpdateLog } from '../../server/src/store/UpdateLog.js';

interface StoredIncident {
  rows: LogRow[];
  snapshots: { seq: number; parts: Uint8Array[] }[];
  owners: Map<number, string | null>;
  entryIds: Set<string>;
  purgedSeq: number;
}

export class MemoryLog implements UpdateLog, RoomStore {
  private readonly incidents = new Map<string, StoredIncident>();
  /** Each append's size, in order: a group commit is one append of several updates. */
  readonly appends: number[] = [];
  readonly metas: IncidentMeta[] = [];
  readonly refusals: AuditEvent[] = [];
  readonly purges: PurgeBy[] = [];
  private failures: { append: unknown[]; read: unknown[] } = { append: [], read: [] };

  readonly audit = {
    recordRepeatable: async (_kind: string, event: AuditEvent): Promise<void> =>
      void this.refusals.push(event),
  };

  /** Makes an empty incident's log. */
  create(incidentId: string): this {
    this.incidents.set(incidentId, {
      rows: [],
      snapshots: [],
      owners: new Map(),
      entryIds: new Set(),
      purgedSeq: 0,
    });
    return this;
  }

  /** The next append rejects with `err` and stores nothing. */
  failNextAppend(err: unknown): void {
    this.failures.append.push(err);
  }

  /** The next read of the log rejects with `err`. */
  failNextRead(err: unknown): void {
    this.failures.read.push(err);
  }

  rows(incidentId: string): LogRow[] {
    return [...this.incident(incidentId).rows];
  }

  snapshotSeqs(incidentId: string): number[] {
    return this.incident(incidentId).snapshots.map((s) => s.seq);
  }

  private incident(incidentId: string): StoredIncident {
    const inc = this.incidents.get(incidentId);
    if (!inc) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return inc;
  }

  private lastSeq(inc: StoredIncident): number {
    return inc.rows.at(-1)?.seq ?? 0;
  }

  async appendUpdates(incidentId: string, items: readonly LogAppend[]): Promise<number[]> {
    await Promise.resolve(); // a commit is never synchronous: writes queued meanwhile share the next
    if (items.length === 0) return [];
    const failure = this.failures.append.shift();
    if (failure !== undefined) throw failure;
    const inc = this.incident(incidentId);
    const ids = items.flatMap((it) => it.entries.map((e) => e.id));
    if (ids.some((id) => inc.entryIds.has(id)) || new Set(ids).size < ids.length) {
      throw new SitrepError(
        'storage.conflict',
        'an entry in this write was written concurrently on another node; resync and retry',
      );
    }
    const claims = items.flatMap((it) => it.claims ?? []);
    if (claims.some((c) => inc.owners.has(c.client) && inc.owners.get(c.client) !== c.tokenId)) {
      throw new SitrepError(
        'storage.conflict',
        'a Yjs client id in this write belongs to another writer; resync and retry',
      );
    }
    for (const c of claims) if (!inc.owners.has(c.client)) inc.owners.set(c.client, c.tokenId);
    for (const id of ids) inc.entryIds.add(id);
    const first = this.lastSeq(inc) + 1;
    inc.rows.push(...items.map((it, i) => ({ seq: first + i, bytes: it.bytes })));
    this.appends.push(items.length);
    return items.map((_, i) => first + i);
  }

  async readLog(incidentId: string, afterSeq = 0, upToSeq?: number): Promise<LogRow[]> {
    await Promise.resolve();
    const failure = this.failures.read.shift();
    if (failure !== undefined) throw failure;
    return this.incident(incidentId).rows.filter(
      (r) => r.seq > afterSeq && (upToSeq === undefined || r.seq <= upToSeq),
    );
  }

  async lastSeqs(ids: readonly string[]): Promise<Map<string, number>> {
    return new Map(
      ids.flatMap((id) => (this.incidents.has(id) ? [[id, this.lastSeq(this.incident(id))] as const] : [])),
    );
  }

  /** The newest stored snapshot (or the newest at or before `atSeq`), as packed. */
  private newestSnapshot(incidentId: string, atSeq: number | undefined) {
    return this.incident(incidentId)
      .snapshots.filter((s) => atSeq === undefined || s.seq <= atSeq)
      .at(-1);
  }

  async latestSnapshot(incidentId: string, atSeq?: number): Promise<Snapshot | null> {
    const found = this.newestSnapshot(incidentId, atSeq);
    return found
      ? { seq: found.seq, state: await new SnapshotUnpacker().add(found.parts).state(), parts: found.parts }
      : null;
  }

  async latestSnapshotSeq(incidentId: string, atSeq?: number): Promise<number | null> {
    return this.newestSnapshot(incidentId, atSeq)?.seq ?? null;
  }

  async writeSnapshot(incidentId: string, seq: number, state: Uint8Array): Promise<Uint8Array[]> {
    const parts = await packSnapshot(state);
    const inc = this.incident(incidentId);
    if (seq < inc.purgedSeq)
      throw new SitrepError(
        'storage.conflict',
        `a purge at ${inc.purgedSeq} came after the state of snapshot ${seq}`,
      );
    if (!inc.snapshots.some((s) => s.seq === seq))
      inc.snapshots = [...inc.snapshots, { seq, parts }].sort((a, b) => a.seq - b.seq);
    return parts;
  }

  async clientOwners(incidentId: string, only?: readonly number[]): Promise<Map<number, string | null>> {
    const owners = this.incident(incidentId).owners;
    return new Map([...owners].filter(([client]) => !only || only.includes(client)));
  }

  async purgeEntry(
    incidentId: string,
    entryId: string,
    rewrite: (bytes: Uint8Array) => Uint8Array | null,
    finalUpdate: Uint8Array,
    by: PurgeBy,
  ): Promise<{ seq: number; rewritten: number }> {
    await Promise.resolve();
    const inc = this.incident(incidentId);
    let rewritten = 0;
    inc.rows = inc.rows.map((r) => {
      const bytes = rewrite(r.bytes);
      if (!bytes) return r;
      rewritten++;
      return { seq: r.seq, bytes };
    });
    inc.entryIds.delete(entryId);
    inc.snapshots = [];
    const seq = this.lastSeq(inc) + 1;
    inc.rows.push({ seq, bytes: finalUpdate });
    inc.purgedSeq = seq;
    this.purges.push(by);
    return { seq, rewritten };
  }

  async updateIncidentMeta(_id: string, meta: IncidentMeta): Promise<void> {
    this.metas.push(meta);
  }
}
