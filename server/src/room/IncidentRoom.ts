// One loaded incident: its Y.Doc, its awareness, and the write path into it. Every write is
// inspected by the gate, appended to the log (writes that arrive while a commit is in flight
// share the next transaction), and only then applied to the document and handed, as logged, to
// the sync layer, which broadcasts it (onApplied). The room knows the store and the gate, not
// sockets or HTTP. It wires the nouns that do the work: the commit queue (CommitQueue), the
// snapshot cache (SnapshotCache), what a purge removes (purge.ts), other nodes' rows
// (cluster/ForeignCommits), client id owners.
import { randomInt } from 'node:crypto';
import {
  type Entry,
  type IncidentMeta,
  type MilestoneStamps,
  type RootName,
  SitrepError,
  Status,
  type ViewChanges,
  type Writer,
  entriesMap,
  entryIdProblem,
  metaMap,
  milestoneStamps,
  readMeta,
  shareReviewFlags,
  viewMap,
} from '@sitrep/shared';
import { DEFAULT_POLICY, type PrivacyPolicy, redactDisallowed } from '@sitrep/shared/sanitizer';
import type { Logger } from 'pino';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ForeignCommits } from '../cluster/ForeignCommits.js';
import { ClientOwners } from '../gate/ClientOwners.js';
import { PendingWrites } from '../gate/PendingWrites.js';
import { type ServerUpdate, bytesOf } from '../gate/ServerUpdate.js';
import { type Inspection, inspectUpdate, newPart, refusedRanges } from '../gate/WriteGate.js';
import { findRefused, refusal } from '../gate/refusals.js';
import type { Metrics } from '../metrics.js';
import { type SanitizedEntries, checkedForRoom } from '../privacy/SanitizedEntries.js';
import type { AuditLog } from '../store/AuditLog.js';
import type { Store } from '../store/Store.js';
import type { ClientClaim, UpdateLog } from '../store/UpdateLog.js';
import { CommitQueue } from './CommitQueue.js';
import { RoomPolicy } from './RoomPolicy.js';
import { SnapshotCache, type StoredState } from './SnapshotCache.js';
import { applyLog, type KnownSnapshot, type LogSlice, logAt } from './documentAt.js';
import { planPurge } from './purge.js';
import { BatchValues, type Fill, type ValueBefore, encodeFill, planFill } from './refusedFill.js';
import { encodeMapInserts, encodeMapSets, updateParts } from './serverUpdates.js';

/** What a room needs of storage: its update log, the incident row's copy of the meta, the audit of refusals. */
export type RoomStore = UpdateLog &
  Pick<Store, 'updateIncidentMeta'> & { readonly audit: Pick<AuditLog, 'recordRepeatable'> };

/** Where a write came from; the sync layer passes its connection so it can skip the echo. */
export type WriteOrigin = object | null;

/**
 * Told of each update applied to the document after its load (see IncidentRoom.onApplied): its
 * bytes as logged, and where it came from (a connection's write is not sent back to it; another
 * node's row is null).
 */
export type AppliedListener = (update: Uint8Array, origin: WriteOrigin) => void;

/**
 * How a write came, as its meta change's audit record says: a socket (the dashboard, a stock
 * client), the HTTP API (`PATCH /api/incidents/:id`, the CLI), or the server's own (stamps).
 */
export type WritePath = 'socket' | 'api' | 'server';

/** A meta change to make through the API: the keys to set, each to its value (null clears a time). */
export type MetaPatch = Partial<Omit<IncidentMeta, 'reopens' | 'reopenedAt'>>;

interface QueuedWrite {
  update: Uint8Array;
  inspection: Inspection;
  via: WritePath;
  /** Already scanned for secrets (HTTP appends are, before they are encoded). */
  scanned: boolean;
  origin: WriteOrigin;
  tokenId: string | null;
  /** Client ids this write is the first to use. */
  claims: ClientClaim[];
  /** The fill of a refused update's clocks: its keys' values are set again when it commits. */
  fill?: Fill;
  resolve(seq: number): void;
  reject(err: unknown): void;
}

/**
 * What derives the `view` root from entries (the room's ViewKeeper), asked at each commit of a
 * batch that only adds entries: when its views are due to be written anyway, the changes those
 * entries make ride the batch's transaction as the server's next rows, instead of a commit of
 * their own moments after it (docs/decisions.md, "Derived views ride the commit of their entries").
 */
export interface CommitViews {
  /**
   * The view changes these entries (about to commit) make, with whatever else changed since the
   * views were last written; null when the views are not written now. Once it returns changes,
   * `settle` is called exactly once: true when they were applied with the batch, false when they
   * were not (the batch failed, or the changes could not go with it).
   */
  changesFor(entries: readonly Entry[]): { changes: ViewChanges; settle(applied: boolean): void } | null;
}

export interface AppendedEntry {
  id: string;
  seq: number;
  created: boolean;
}

const newClientId = () => randomInt(1, 2 ** 31);
/**
 * The server sets a key again after a fill under a low client id: a stock client's ids are
 * random 32-bit numbers, and when its own next change of the key races the restore (both
 * after the filled item), Yjs keeps the change of the higher id, nearly always the client's.
 */
const newRestoreClient = () => randomInt(1, 2 ** 20);

/** Milestone stamps a batch calls for, and the token whose status change caused them. */
interface Stamps {
  values: MilestoneStamps;
  tokenId: string | null;
}

/**
 * The audit detail of a write's meta change, or null. A refused write's fill is none: it takes
 * the refused value's place and sets back what was there (refusedFill.ts).
 */
function metaAudit(w: QueuedWrite): Record<string, unknown> | null {
  return w.fill || !w.inspection.meta ? null : { via: w.via, ...w.inspection.meta };
}

/** The document's status, or null when it has none that parses. */
function statusOf(doc: Y.Doc): Status | null {
  const parsed = Status.safeParse(metaMap(doc).get('status'));
  return parsed.success ? parsed.data : null;
}

export class IncidentRoom {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private readonly pending = new PendingWrites();
  // commit() settles its writes itself, before the append and after it (notApplied); should it
  // throw all the same, its batch fails as a refused append does.
  private readonly commits = new CommitQueue<QueuedWrite>(
    (batch) => this.commit(batch),
    (batch, err) => this.failCommit(batch, err),
  );
  /** The client id the server writes under; a new one after a failed commit leaves a gap. */
  private serverClient = 0;
  private serverClock = 0;
  private lastSeq = 0;
  private readonly snapshots: SnapshotCache;
  /** Whose each Yjs client id is (gate.client). */
  private readonly owners: ClientOwners;
  /** Sockets and requests using the room; an idle room with none can be unloaded. */
  private holders = 0;
  private lastUsed = Date.now();
  private readonly foreign: ForeignCommits;
  /** The last milestone stamps this node queued (settled: a failure is logged, never thrown). */
  private stamping: Promise<unknown> = Promise.resolve();
  /** The meta mirror's write in flight, if any, and whether the meta changed again meanwhile. */
  private mirroring: Promise<void> | null = null;
  private mirrorAgain = false;
  /** Asked for the derived views' changes of each batch of new entries (CommitViews). */
  private commitViews: CommitViews | null = null;
  private readonly appliedListeners = new Set<AppliedListener>();

  private constructor(
    readonly id: string,
    private readonly store: RoomStore,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    snapshotEvery: number,
    /** What the gate refuses in writes it cannot redact (sockets, presence, the server's views). */
    private readonly privacy: RoomPolicy,
  ) {
    this.snapshots = new SnapshotCache(this.doc, {
      incidentId: id,
      store,
      log,
      metrics,
      every: snapshotEvery,
    });
    this.owners = new ClientOwners(store, id);
    this.foreign = new ForeignCommits(this.doc, id, store, this.owners);
    this.awareness.setLocalState(null);
  }

  /**
   * Loads the document from its latest snapshot and the log after it. `beforeApply` is handed
   * the stored state once read and is awaited before the document is built from it (building a
   * long incident holds the event loop for seconds; new clients are served the stored state first).
   */
  static async load(
    id: string,
    store: RoomStore,
    log: Logger,
    metrics: Metrics,
    snapshotEvery: number,
    policy = new RoomPolicy(async () => ({ policy: DEFAULT_POLICY, key: null }), DEFAULT_POLICY),
    beforeApply: (stored: LogSlice) => Promise<void> = async () => {},
    known?: KnownSnapshot,
  ): Promise<IncidentRoom> {
    const room = new IncidentRoom(id, store, log.child({ incident: id }), metrics, snapshotEvery, policy);
    const [stored] = await Promise.all([logAt(store, id, undefined, known), policy.refresh()]);
    await beforeApply(stored);
    const { seq, snapshot } = stored;
    const tail = stored.rows.map((r) => r.bytes);
    applyLog(room.doc, snapshot?.state.bytes ?? null, tail);
    // Read after the log, so every id in the document was claimed before this read.
    await room.owners.load();
    room.newServerClient();
    room.lastSeq = seq;
    room.snapshots.loaded(snapshot, tail);
    // The mirror is written after commits, outside their transaction: repair it on every load.
    room.mirrorMeta();
    room.snapshots.maybeSnapshot(room.lastSeq); // a long tail (or snapshots dropped by a migration) is cached again
    return room;
  }

  /** Replaces what this node knows of client id owners with the table (another node claimed first). */
  private async reloadOwners(): Promise<void> {
    try {
      await this.owners.load();
    } catch (err) {
      this.log.warn({ err }, 'client id owners could not be reloaded');
    }
  }

  /** Picks a client id for the server's writes that nobody has written under. */
  private newServerClient(): void {
    do this.serverClient = newClientId();
    while (this.owners.has(this.serverClient) || this.doc.store.clients.has(this.serverClient));
    this.serverClock = 0;
  }

  /**
   * Calls `listener` with each update applied to the document from now on, as the log holds it
   * (the sync layer relays them); returns what stops it. The document changes only here: a commit,
   * a purge, another node's row. The room's bytes are relayed as they are, so the document has no
   * 'update' observer and Yjs does not encode every transaction again for one (3 % of the main
   * thread in the fan-out, profiled). A row of ours read again after a gap is relayed again; Yjs
   * skips it.
   */
  onApplied(listener: AppliedListener): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  /**
   * Tells the listeners of `update`, just applied (see onApplied). One that throws is logged and
   * the others are still told: the update is applied and stored whatever a listener does.
   */
  private applied(update: Uint8Array, origin: WriteOrigin): void {
    for (const listener of this.appliedListeners) {
      try {
        listener(update, origin);
      } catch (err) {
        this.log.error({ err }, 'a listener of applied updates failed');
      }
    }
  }

  get seq(): number {
    return this.lastSeq;
  }

  /**
   * The incident's privacy policy as this node knows it: what the gate refuses (gate/refusals)
   * in socket writes, presence and the server's view writes.
   */
  get policy(): PrivacyPolicy {
    return this.privacy.policy;
  }

  /**
   * Reads the incident's policy again (its allowances changed); resolves once the gate refuses
   * under it. When the read fails the gate refuses under the deployment's policy until a later
   * one succeeds (`policyStale`).
   */
  refreshPolicy(): Promise<void> {
    return this.privacy.refresh();
  }

  /** The last read of the policy failed (see refreshPolicy). */
  get policyStale(): boolean {
    return this.privacy.stale;
  }

  /** Derives the views of each batch that only adds entries with `views`, from now on (null: none). */
  deriveViewsAtCommit(views: CommitViews | null): void {
    this.commitViews = views;
  }

  hold(): void {
    this.holders++;
    this.lastUsed = Date.now();
  }

  release(): void {
    this.holders--;
    this.lastUsed = Date.now();
  }

  /** Nobody holds the room and nothing has used it for `ms`. */
  idleFor(ms: number): boolean {
    return this.holders === 0 && this.commits.idle && Date.now() - this.lastUsed >= ms;
  }

  /**
   * Applies the rows other nodes committed after ours, to the end of the log. With `toSeq`, only
   * if that is still ahead once the lock is held: a node hears its own commits too.
   */
  catchUp(toSeq?: number): Promise<void> {
    return this.commits.exclusive(async () => {
      if (toSeq === undefined || toSeq > this.lastSeq) await this.applyForeign();
    });
  }

  /** Applies the rows other nodes committed after lastSeq (up to `upToSeq`). */
  private async applyForeign(upToSeq?: number): Promise<void> {
    // A purge is forgotten as it applies: a new client must never be served the snapshot it purged.
    const { metaChanged } = await this.foreign.apply(this.lastSeq, upToSeq, (row, purged) => {
      this.snapshots.addToTail(row.bytes);
      if (purged) this.snapshots.forgetPurged();
      this.lastSeq = row.seq;
      this.applied(row.bytes, null);
    });
    this.snapshots.boundFollowed();
    // The committing node mirrored it, but its write and an older one of ours may have landed in
    // either order: every node that learns of a change writes the meta it now holds.
    if (metaChanged) this.mirrorMeta();
  }

  /**
   * Applies the rows other nodes committed before `seq` (the first our commit or purge got).
   * False when they cannot be read now: lastSeq then stays before them, for the next catch-up.
   */
  private caughtUpBefore(seq: number): Promise<boolean> {
    return this.applyForeign(seq - 1).then(
      () => true,
      (err: unknown) => (
        this.log.warn({ err }, 'rows of other nodes could not be read; catching up later'), false
      ),
    );
  }

  /**
   * Submits an update. Throws the gate's SitrepError at once if it is refused; otherwise resolves
   * with its sequence number once durable and applied, or null if it added nothing new.
   */
  submit(
    update: Uint8Array | ServerUpdate,
    writer: Writer,
    origin: WriteOrigin,
    tokenId: string | null = null,
    scanned = false,
    via: Exclude<WritePath, 'socket'> = 'server',
  ): Promise<number | null> {
    let inspection: Inspection;
    try {
      inspection = inspectUpdate(this.doc, this.pending, update, writer);
    } catch (err) {
      // A socket's refused clocks are filled; the room's own are simply not used.
      if (origin !== null) this.tombstone(bytesOf(update), tokenId);
      if (err instanceof SitrepError) this.auditRefusal(err, tokenId);
      throw err;
    }
    let claims: ClientClaim[];
    try {
      // A socket's client ids are its token's; the room's own writes claim only the server's id.
      claims =
        origin === null
          ? this.owners.claim(inspection.structs, null, this.serverClient)
          : this.owners.claim(inspection.structs, tokenId);
    } catch (err) {
      // No tombstone here: the clocks it would fill are the owner's next ones.
      if (err instanceof SitrepError) this.auditRefusal(err, tokenId);
      throw err;
    }
    // Changes it holds already are not read by the gate: only what is new is logged and applied.
    const bytes = bytesOf(update);
    const written = inspection.held ? newPart(bytes, inspection.held) : bytes;
    const path = origin === null ? via : 'socket';
    return this.enqueue({ update: written, inspection, via: path, scanned, origin, tokenId, claims });
  }

  /** Queues an inspected write for the next commit; resolves as submit() does. */
  private enqueue(write: Omit<QueuedWrite, 'resolve' | 'reject'>): Promise<number | null> {
    if (write.inspection.structs.length === 0 && !write.inspection.deletes) return Promise.resolve(null);
    this.pending.add(write.inspection.structs);
    return new Promise<number>((resolve, reject) => this.commits.enqueue({ ...write, resolve, reject }));
  }

  /**
   * Appends entries, idempotent by id: an id the document already holds is reported, not
   * written again. Resolves once the new entries are durable. Entries are scanned for secrets
   * unless they come sealed by this process's sanitizer, for this incident, under its policy.
   */
  async appendEntries(
    batch: readonly Entry[] | SanitizedEntries,
    writer: Writer,
    tokenId: string | null = null,
  ): Promise<AppendedEntry[]> {
    this.hold();
    try {
      return await this.append(batch, writer, tokenId);
    } finally {
      this.release();
    }
  }

  private async append(
    given: readonly Entry[] | SanitizedEntries,
    writer: Writer,
    tokenId: string | null,
  ): Promise<AppendedEntry[]> {
    let batch: readonly Entry[];
    try {
      batch = await checkedForRoom(given, this.id, this.policy);
    } catch (err) {
      if (err instanceof SitrepError) this.auditRefusal(err, tokenId);
      throw err;
    }
    // An id still in flight is settled first, so a retry never races the write it retries.
    // From here to submit() nothing awaits: the checks below hold when the update is queued.
    while (batch.some((e) => this.pending.hasEntry(e.id))) await this.settle();
    const map = entriesMap(this.doc);
    const seen = new Set<string>();
    const fresh = batch.filter((e) => !map.has(e.id) && !seen.has(e.id) && seen.add(e.id));
    const freshIds = new Set(fresh.map((e) => e.id));
    // The gate would refuse such an id too, but only after the parts before it were queued.
    for (const e of fresh) {
      const ahead = entryIdProblem(e.id);
      if (!ahead) continue;
      const err = new SitrepError('gate.schema', ahead, { id: e.id });
      this.auditRefusal(err, tokenId);
      throw err;
    }
    for (const e of fresh) {
      const missing = (e.refs ?? []).filter((r) => !map.has(r) && !freshIds.has(r));
      if (missing.length) {
        throw new SitrepError(
          'entry.unknown_ref',
          `entry ${e.id} refs unknown entries: ${missing.join(', ')}`,
          { id: e.id, missing },
        );
      }
    }
    // Large batches go in several updates, all queued at once so they share one commit.
    const queued: Promise<number | null>[] = [];
    for (const part of updateParts(fresh)) {
      const update = encodeMapInserts(
        this.serverClient,
        this.serverClock,
        'entries',
        part.map((e) => [e.id, e] as const),
      );
      // The clock moves only once the gate has taken the update: a refused one leaves no gap.
      // (Drafts were validated and parts are small, so the gate has no reason to refuse one.)
      queued.push(this.submit(update, writer, null, tokenId, true));
      this.serverClock += part.length;
    }
    const seqs = await Promise.all(queued);
    if (seqs.some((s) => s === null)) {
      // The document already held these clocks of the server's: never report such entries written.
      this.newServerClient();
      throw new SitrepError(
        'internal',
        'the server wrote under clocks it had already used; retry the append',
      );
    }
    const seq = seqs.reduce<number>((max, s) => Math.max(max, s ?? 0), 0) || this.lastSeq;
    // A copy of an id later in the batch was not written again: only the first is created.
    const created = new Set(fresh.map((e) => e.id));
    return batch.map((e) => {
      const isNew = created.delete(e.id);
      return { id: e.id, seq: isNew ? seq : this.lastSeq, created: isNew };
    });
  }

  /**
   * A commander's change of the meta through the API, as one server-encoded update through the
   * gate under the caller's role. Resolves with the meta once the change is durable and applied,
   * with the milestone stamps it caused (written as the server's next update).
   */
  async updateMeta(patch: MetaPatch, writer: Writer, tokenId: string | null): Promise<IncidentMeta> {
    this.hold();
    try {
      const pairs = Object.entries(patch).filter(([, v]) => v !== undefined);
      const update = encodeMapSets(this.serverClient, this.serverClock, 'meta', pairs, metaMap(this.doc));
      const written = this.submit(update, writer, null, tokenId, false, 'api');
      this.serverClock += pairs.length;
      if ((await written) === null) {
        this.newServerClient();
        throw new SitrepError('internal', 'the server wrote under clocks it had already used; retry');
      }
      await this.stamping;
      const meta = readMeta(this.doc);
      if (!meta) throw new SitrepError('internal', `incident ${this.id} has no readable meta`);
      return meta;
    } finally {
      this.release();
    }
  }

  /**
   * Writes changes to the `view` root as the server, durably: keys set and keys deleted, in
   * updates of about UPDATE_TARGET_BYTES all queued for one commit. One writer of the view at a
   * time: two overwrites of a key in flight would both take the current item as their origin.
   */
  async writeView(changes: ViewChanges, derived = false): Promise<number | null> {
    if (changes.sets.length === 0 && changes.deletes.length === 0) return null;
    const view = viewMap(this.doc);
    const { sets, scanned } = derived
      ? await this.viewSets(changes.sets)
      : { sets: changes.sets, scanned: false };
    const parts = sets.length > 0 ? updateParts(sets) : [[]];
    const queued = parts.map((sets, i) => {
      const update = encodeMapSets(
        this.serverClient,
        this.serverClock,
        'view',
        sets,
        view,
        i === 0 ? changes.deletes : [],
      );
      const written = this.submit(update, 'server', null, null, scanned);
      this.serverClock += sets.length;
      return written;
    });
    const seqs = await Promise.all(queued);
    return seqs.reduce<number | null>((max, s) => (s === null ? max : Math.max(max ?? 0, s)), null);
  }

  /**
   * A view derived from the entries (`derived`: the rules view, the timeline) as the gate will
   * take it, scanned once. It quotes entries, and an entry written while its incident allowed a
   * type (since withdrawn) would have every later write of it refused. So what the policy does not
   * allow is redacted under the incident's key, as a client would (what it would refuse from a
   * writer too: the server does not refuse itself). Clean values go to the gate already scanned
   * (their object keys are the views' own field names); redacted ones are scanned again. A model's
   * text (the commander view) is not derived: it is refused, so no run stores it.
   */
  private async viewSets(
    sets: ViewChanges['sets'],
  ): Promise<{ sets: ViewChanges['sets']; scanned: boolean }> {
    const key = this.privacy.key;
    if (sets.length === 0 || key === null) return { sets, scanned: false };
    const { value, counts } = await redactDisallowed(
      sets.map(([, v]) => v),
      { key, policy: this.policy },
    );
    if (Object.keys(counts).length === 0) return { sets, scanned: true };
    return { sets: sets.map(([k], i) => [k, value[i]]), scanned: false };
  }

  /**
   * Scans the batch's values for secrets and for private data the policy does not allow (a Yjs
   * update cannot be redacted). A write that holds any is refused, and its place in the batch
   * goes to a fill of its clocks (refusedFill.ts), so later writes that build on it still apply.
   */
  private async withoutRefused(batch: QueuedWrite[], policy: PrivacyPolicy): Promise<QueuedWrite[]> {
    // One scan of the whole batch; only when it finds something is each write scanned alone.
    const values = batch.flatMap((w) => (w.scanned ? [] : w.inspection.values));
    if (!(await findRefused(values, policy))) return batch;
    const found = await Promise.all(
      batch.map((w) => (w.scanned ? null : findRefused(w.inspection.values, policy))),
    );
    return batch.map((w, i) => {
      const leak = found[i];
      if (!leak) return w;
      const err = refusal(leak, 'change', policy);
      this.auditRefusal(err, w.tokenId);
      w.reject(err);
      const fill = planFill(this.doc, this.pending, w.update, w.inspection.structs);
      const filled = {
        structs: w.inspection.structs,
        entries: [],
        roots: new Set<RootName>(fill.restores.map((r) => r.root)),
        deletes: false,
        values: [],
        meta: null,
        held: null,
      };
      // Sent to its writer too: the values set again are news to it.
      return {
        ...w,
        update: encodeFill(fill).update,
        inspection: filled,
        scanned: true,
        origin: null,
        fill,
        resolve: () => {},
        reject: () => {},
      };
    });
  }

  private auditRefusal(err: SitrepError, tokenId: string | null): void {
    this.metrics.updatesRejected.inc({ code: err.code });
    const refusal = {
      action: 'reject',
      incidentId: this.id,
      tokenId,
      detail: { code: err.code, reason: err.message },
    } as const;
    this.store.audit
      .recordRepeatable(err.code, refusal)
      .catch((e: unknown) => this.log.warn({ err: e }, 'audit failed'));
  }

  /**
   * Fills the clocks of a socket's refused update so its writer's later changes still integrate
   * (refusedFill.ts): only under client ids that are that token's or nobody's yet (they become
   * its), never the next clocks of someone else's id or the server's.
   */
  private tombstone(update: Uint8Array, tokenId: string | null): void {
    const ranges = this.owners.fillable(
      refusedRanges(this.doc, this.pending, update),
      tokenId,
      this.serverClient,
    );
    if (ranges.length === 0) return;
    const fill = planFill(this.doc, this.pending, update, ranges);
    const filled = encodeFill(fill).update;
    let write: Omit<QueuedWrite, 'resolve' | 'reject'>;
    try {
      const inspection = inspectUpdate(this.doc, this.pending, filled, 'server');
      write = {
        update: filled,
        inspection,
        via: 'server',
        scanned: true,
        origin: null,
        tokenId: null,
        claims: this.owners.claim(inspection.structs, tokenId),
        fill,
      };
    } catch (err) {
      return void this.log.warn({ err }, 'fill of a refused update refused');
    }
    this.enqueue(write).catch((err: unknown) => this.log.warn({ err }, 'fill of a refused update failed'));
  }

  /**
   * Encodes each fill of the batch with what its keys held before it set again, as the writes
   * ahead of it in the batch leave them (so a value accepted just before is the one kept), under
   * a new restore client id of the server's. Made here, in commit order, so its clocks never
   * follow ones the server has handed out and not yet applied.
   */
  private async withRestores(batch: QueuedWrite[], policy: PrivacyPolicy): Promise<QueuedWrite[]> {
    if (!batch.some((w) => w.fill?.restores.length)) return batch;
    const values = new BatchValues(this.doc);
    const out: QueuedWrite[] = [];
    for (const w of batch) {
      if (!w.fill) {
        values.wrote(w.update, w.inspection.structs);
        out.push(w);
        continue;
      }
      const valueBefore = await this.restorable(w.fill, values.before, policy);
      let client: number;
      do client = newRestoreClient();
      while (this.owners.has(client) || this.doc.store.clients.has(client) || client === this.serverClient);
      const { update, used } = encodeFill(w.fill, { client, clock: 0, valueBefore });
      out.push(
        used === 0
          ? w
          : {
              ...w,
              update,
              claims: [...w.claims, ...this.owners.claim([{ client, clock: 0, length: used }], null)],
            },
      );
    }
    return out;
  }

  /**
   * What a fill sets back, under the policy now: a value written while the incident allowed a
   * type since withdrawn is set back with that data as placeholders under the incident's key, as
   * the server's views quote it (`viewSets`); the server writes nothing the policy refuses.
   */
  private async restorable(fill: Fill, before: ValueBefore, policy: PrivacyPolicy): Promise<ValueBefore> {
    const key = this.privacy.key;
    const held = fill.restores.map((r) => before(r.root, r.key));
    if (key === null || held.every((h) => h === undefined)) return before;
    const { value, counts } = await redactDisallowed(
      held.map((h) => h?.value),
      { key, policy },
    );
    if (Object.keys(counts).length === 0) return before;
    const redacted = new Map(
      fill.restores.map((r, i) => [`${r.root}\u0000${r.key}`, held[i] && { value: value[i] }]),
    );
    return (root, k) => redacted.get(`${root}\u0000${k}`);
  }

  /**
   * The batch with the view changes its new entries make appended, as the server's writes through
   * the gate (CommitViews), when it only adds entries and the views are due. Their clocks are the
   * server's next: only when no write of the server's waits in the queue, since one handed out
   * earlier must not commit after them. Whatever keeps them from the batch, the views are told.
   */
  private async withViews(batch: QueuedWrite[], policy: PrivacyPolicy): Promise<QueuedWrite[]> {
    const onlyEntries = (w: QueuedWrite) =>
      !w.fill && !w.inspection.deletes && [...w.inspection.roots].every((r) => r === 'entries');
    const serverWaits = () => this.commits.waiting((w) => w.origin === null);
    const entries = batch.flatMap((w) => w.inspection.entries);
    if (!this.commitViews || entries.length === 0 || !batch.every(onlyEntries) || serverWaits()) return batch;
    const derived = this.commitViews.changesFor(entries);
    if (!derived) return batch;
    let told = false;
    const settle = (applied: boolean) => {
      if (!told) derived.settle(applied);
      told = true;
    };
    let views: QueuedWrite[] | null = null;
    try {
      views = await this.viewWrites(derived.changes, policy, serverWaits);
    } catch (err) {
      this.log.warn({ err }, 'the views could not go with the commit of their entries');
    }
    if (views === null) return (settle(false), batch);
    // Told once: the first write that fails says the views were not all applied.
    const all = [...batch, ...views];
    return all.map((w, i) => ({
      ...w,
      resolve: (seq: number) => {
        w.resolve(seq);
        if (i === all.length - 1) settle(true);
      },
      reject: (err: unknown) => {
        w.reject(err);
        settle(false);
      },
    }));
  }

  /**
   * `changes` to the view as the server's writes, gated and claimed, under its next clocks; null
   * when they cannot go with the batch: the gate would refuse them (a refused write would fail
   * the entries with it), or a server write was queued meanwhile.
   */
  private async viewWrites(
    changes: ViewChanges,
    policy: PrivacyPolicy,
    serverWaits: () => boolean,
  ): Promise<QueuedWrite[] | null> {
    const { sets, scanned } = await this.viewSets(changes.sets);
    const values = sets.map(([, v]) => v);
    if (!scanned && (await findRefused(values, policy))) return null;
    if (serverWaits()) return null;
    if (sets.length === 0 && changes.deletes.length === 0) return [];
    const view = viewMap(this.doc);
    const writes: QueuedWrite[] = [];
    try {
      for (const [i, part] of (sets.length > 0 ? updateParts(sets) : [[]]).entries()) {
        const deletes = i === 0 ? changes.deletes : [];
        const update = encodeMapSets(this.serverClient, this.serverClock, 'view', part, view, deletes);
        const inspection = inspectUpdate(this.doc, this.pending, update, 'server');
        const claims = this.owners.claim(inspection.structs, null, this.serverClient);
        this.pending.add(inspection.structs);
        this.serverClock += part.length;
        writes.push({
          update: update.bytes,
          inspection,
          via: 'server',
          scanned: true,
          origin: null,
          tokenId: null,
          claims,
          resolve: () => {},
          reject: () => {},
        });
      }
    } catch (err) {
      // What was taken for the parts before is given back, and the server's clock moves on.
      for (const w of writes) this.pending.release(w.inspection.structs);
      this.owners.release(writes.flatMap((w) => w.claims));
      if (writes.length > 0) this.newServerClient();
      throw err;
    }
    return writes;
  }

  /** Commits a batch the queue took: appends it to the log, then applies it, or fails it. */
  private async commit(taken: QueuedWrite[]): Promise<void> {
    let batch: QueuedWrite[];
    try {
      // The policy as it is when the commit starts: an allowance withdrawn before holds for it.
      const policy = this.policy;
      batch = await this.withViews(
        await this.withRestores(await this.withoutRefused(taken, policy), policy),
        policy,
      );
    } catch (err) {
      // A check that could not run fails the batch as a refused append does; it never leaves the
      // writes waiting (the commit queue cannot settle them).
      return this.failCommit(taken, err);
    }
    let seqs: number[];
    const started = performance.now();
    try {
      seqs = await this.store.appendUpdates(
        this.id,
        batch.map((w) => ({
          bytes: w.update,
          entries: w.inspection.entries,
          tokenId: w.tokenId,
          claims: w.claims,
          meta: metaAudit(w),
        })),
      );
      this.metrics.commitTook((performance.now() - started) / 1000, batch.length);
      this.metrics.logRows.inc(batch.length);
    } catch (err) {
      return this.failCommit(batch, err);
    }
    try {
      await this.applyCommitted(batch, seqs);
    } catch (err) {
      this.notApplied(batch, err);
    }
  }

  /**
   * A batch the log took that could not all be applied here (a bug past the append): it is
   * stored, so its claims stay taken and it is not failed as a refused append. Its writes not yet
   * told get an error that says so; lastSeq stays before the first not applied, so the next commit
   * or catch-up reads those rows again from the log and applies them (Yjs skips what it holds).
   */
  private notApplied(batch: QueuedWrite[], err: unknown): void {
    this.log.error({ err, writes: batch.length }, 'a stored batch could not be applied here');
    const cause = new SitrepError('internal', 'the write was stored but this node could not apply it yet');
    for (const w of batch) {
      this.pending.release(w.inspection.structs);
      w.reject(cause); // no-op for the writes already resolved
    }
  }

  /**
   * A batch the log refused: its writers get the error, and so do those queued behind it, since
   * they may build on it. Nothing is applied; the server writes under a new client id after it,
   * so its own clock has no gap.
   */
  private async failCommit(batch: QueuedWrite[], err: unknown): Promise<void> {
    const failed = [...batch, ...this.commits.drain()];
    for (const w of failed) this.pending.release(w.inspection.structs);
    this.owners.release(failed.flatMap((w) => w.claims));
    this.newServerClient();
    const cause =
      err instanceof SitrepError ? err : new SitrepError('internal', 'the write could not be stored');
    this.log.error(
      { err: cause.code === 'internal' ? err : cause.message, writes: failed.length },
      'commit failed',
    );
    for (const w of failed) w.reject(cause);
    this.metrics.updatesRejected.inc({ code: cause.code }, failed.length);
    // Another node claimed a client id first: learn who owns what before the next commit.
    if (cause.code === 'storage.conflict') await this.reloadOwners();
  }

  /** A batch the log took, at `seqs`: applied to the document, its writers told its seqs. */
  private async applyCommitted(batch: QueuedWrite[], seqs: number[]): Promise<void> {
    // Rows another node committed before ours go into the document first, in log order. If
    // they cannot be read now, ours still apply (no client of ours built on rows it never
    // saw) and lastSeq stays before the gap, so the next catch-up reads it, and ours again,
    // which Yjs skips.
    const first = seqs[0] ?? this.lastSeq + 1;
    const gap = first > this.lastSeq + 1 && !(await this.caughtUpBefore(first));
    let metaChanged = false;
    let stamps: Stamps | null = null;
    const entries = entriesMap(this.doc);
    batch.forEach((w, i) => {
      const seq = seqs[i] ?? this.lastSeq;
      this.pending.release(w.inspection.structs);
      const from = metaAudit(w) ? statusOf(this.doc) : undefined;
      try {
        Y.applyUpdate(this.doc, w.update, w.origin ?? this);
      } catch (err) {
        // The gate admits only what Yjs can apply; should that ever fail, fail this write
        // loudly rather than the process. Its row is logged: loading the incident will say so.
        this.log.error({ err, seq }, 'a logged update could not be applied');
        w.reject(new SitrepError('internal', 'the update was logged but could not be applied'));
        return;
      }
      // The document holds its own copies of the entries the gate read and the projection flagged.
      for (const e of w.inspection.entries) {
        const copy = entries.get(e.id);
        if (copy) shareReviewFlags(e, copy);
      }
      // What a later snapshot and catch-up rely on first, then the listeners (the fan-out).
      this.snapshots.addToTail(w.update);
      if (!gap) this.lastSeq = seq;
      metaChanged ||= w.inspection.roots.has('meta');
      this.applied(w.update, w.origin ?? this);
      if (from !== undefined) stamps = this.stampsAfter(from, stamps, w);
      w.resolve(seq);
    });
    this.metrics.updatesAccepted.inc(batch.length);
    if (stamps) this.writeStamps(stamps);
    if (metaChanged) this.mirrorMeta();
    // Not across a gap: a snapshot labelled lastSeq would hold these later rows too, and a
    // replay to that point would show them. The next commit after the catch-up takes it.
    if (!gap) this.snapshots.maybeSnapshot(this.lastSeq);
  }

  /**
   * The stamps a write just applied calls for, added to those of the batch so far: a change of
   * status from `from` stamps the milestones still unset (shared/milestones.ts). Attributed to
   * the token whose write changed the status.
   */
  private stampsAfter(from: Status | null, so: Stamps | null, w: QueuedWrite): Stamps | null {
    const meta = readMeta(this.doc);
    if (!meta) return so;
    const setWith = Object.keys(w.inspection.meta?.set ?? {});
    const more = milestoneStamps(from, { ...meta, ...so?.values }, new Date().toISOString(), setWith);
    if (Object.keys(more).length === 0) return so;
    return { values: { ...so?.values, ...more }, tokenId: w.tokenId };
  }

  /**
   * Writes milestone stamps as the server's update through the gate. Only the node that committed
   * the status change stamps it; other nodes apply its stamps as any row of the log.
   */
  private writeStamps({ values, tokenId }: Stamps): void {
    const pairs = Object.entries(values);
    const update = encodeMapSets(this.serverClient, this.serverClock, 'meta', pairs, metaMap(this.doc));
    try {
      this.stamping = this.submit(update, 'server', null, tokenId, true, 'server').catch((err: unknown) =>
        this.log.warn({ err }, 'milestone stamps were not written'),
      );
      this.serverClock += pairs.length;
    } catch (err) {
      this.log.warn({ err }, 'milestone stamps were refused');
    }
  }

  /**
   * Keeps the incident row's title, status and severity in step with the document. One write at
   * a time: two in flight on different connections could land in either order and leave the
   * older meta in the row. A change while one is in flight writes the meta as it is then, after it.
   */
  private mirrorMeta(): void {
    if (this.mirroring) {
      this.mirrorAgain = true;
      return;
    }
    const meta = readMeta(this.doc);
    if (!meta) return;
    this.mirroring = this.store
      .updateIncidentMeta(this.id, meta)
      .catch((err: unknown) => this.log.warn({ err }, 'meta mirror failed'))
      .finally(() => {
        this.mirroring = null;
        if (!this.mirrorAgain) return;
        this.mirrorAgain = false;
        this.mirrorMeta();
      });
  }

  /**
   * The admin's purge of leaked data: the entry leaves the stored log (its content is cut out of
   * every row that holds it), the projection and the snapshots, then the live document and every
   * connected client, which drop deleted content. Its id stays taken.
   */
  async purgeEntry(
    entryId: string,
    by: { tokenId: string; reason: string },
  ): Promise<{ seq: number; rewritten: number }> {
    return this.commits.exclusive(async () => {
      const { removal, rewrite } = planPurge(this.doc, this.id, entryId);
      // A snapshot still being written would land after the purge deleted them, content and all.
      await this.snapshots.written();
      const result = await this.store.purgeEntry(this.id, entryId, rewrite, removal, by);
      // Other nodes' rows before the purge's (as rewritten) first; if they cannot be read now,
      // lastSeq stays before them and the next catch-up reads them and the purge's row.
      const caughtUp = await this.caughtUpBefore(result.seq);
      Y.applyUpdate(this.doc, removal, this);
      if (caughtUp) this.lastSeq = result.seq;
      this.snapshots.forgetPurged();
      this.applied(removal, this);
      this.log.warn({ entry: entryId, rewritten: result.rewritten, token: by.tokenId }, 'entry purged');
      return result;
    });
  }

  /**
   * The document as stored, to serve a new client without encoding it: the last snapshot's state
   * and the updates applied since (SnapshotCache#storedState); null when it must be encoded.
   */
  storedState(): Promise<StoredState | null> {
    return this.snapshots.storedState();
  }

  /** The last snapshot as stored, once landed (SnapshotCache#newest): kept as the room unloads. */
  newestSnapshot(): Promise<KnownSnapshot | null> {
    return this.snapshots.newest();
  }

  /** Whether new clients are served the document as stored (storedState), as far as is known now. */
  servesStored(): boolean {
    return this.snapshots.servesStored();
  }

  /** Resolves once no commit is in flight. */
  settle(): Promise<void> {
    return this.commits.settle();
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
