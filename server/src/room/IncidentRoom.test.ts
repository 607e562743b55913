// A room against an update log in memory (test/support/memoryLog.ts): group commit, a gap left by
// another node's commit, a failed commit, and purge. Two rooms on one log are two nodes. No server.
import {
  type Entry,
  type IncidentMeta,
  SitrepError,
  buildRulesView,
  entriesMap,
  newEntryId,
  readEntries,
  readView,
  reviewFlags,
  viewEntries,
} from '@sitrep/shared';
import { DEFAULT_POLICY, type PrivacyPolicy } from '@sitrep/shared/sanitizer';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { IncidentRoom } from './IncidentRoom.js';
import { RoomPolicy } from './RoomPolicy.js';
import { SnapshotCache, type StoredState } from './SnapshotCache.js';

const ID = 'inc-room-test';
const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;

const entry = (body: string): Entry => ({
  v: 1,
  id: newEntryId(),
  kind: 'finding',
  body,
  author,
  at: new Date().toISOString(),
});

function open(log: MemoryLog, snapshotEvery = 1_000): Promise<IncidentRoom> {
  return IncidentRoom.load(ID, log, createLogger('silent'), new Metrics(), snapshotEvery);
}

/**
 * A client's update adding `e` (one entry or several), from a fresh client synced to the room
 * (under client id `as`, if given), as a socket sends it.
 */
function clientUpdate(room: IncidentRoom, e: Entry | Entry[], as?: number): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
  if (as !== undefined) client.clientID = as;
  const before = Y.encodeStateVector(client);
  client.transact(() => {
    for (const one of [e].flat()) entriesMap(client).set(one.id, one);
  });
  return Y.encodeStateAsUpdate(client, before);
}

/** The updates the room applies, as it hands them to the sync layer to broadcast. */
function broadcasts(room: IncidentRoom): Uint8Array[] {
  const seen: Uint8Array[] = [];
  room.onApplied((u) => seen.push(u));
  return seen;
}

const SUMMARY = {
  state: 'off',
  model: null,
  lastRunAt: null,
  lastError: null,
  tokensThisHour: 0,
  tokenBudgetPerHour: 0,
  runs: 0,
} as const;

const bodies = (room: IncidentRoom) => readEntries(room.doc).map((e) => e.body);
const socket = {};

describe('incident room', () => {
  it('commits the writes that arrive while a commit is in flight together, in one append', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const sent = broadcasts(room);
    const first = room.submit(clientUpdate(room, entry('first')), 'responder', socket, 'tok-a');
    const rest = ['second', 'third', 'fourth'].map((b) =>
      room.submit(clientUpdate(room, entry(b)), 'responder', socket, 'tok-a'),
    );
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4]);
    expect(log.appends).toEqual([1, 3]);
    expect(bodies(room).sort()).toEqual(['first', 'fourth', 'second', 'third']);
    expect(sent).toHaveLength(4);
    expect(room.seq).toBe(4);
  });

  it("applies another node's rows before its own commit that lands after them", async () => {
    const log = new MemoryLog().create(ID);
    const here = await open(log);
    const there = await open(log);
    await there.appendEntries([entry('written on the other node')], 'responder', 'tok-b');
    expect(here.seq).toBe(0); // not told: its notification is lost
    expect(await here.appendEntries([entry('written here')], 'responder', 'tok-a')).toMatchObject([
      { seq: 2, created: true },
    ]);
    expect(here.seq).toBe(2);
    expect(bodies(here).sort()).toEqual(['written here', 'written on the other node']);
  });

  it('leaves the gap for the next catch-up when the rows before its commit cannot be read', async () => {
    const log = new MemoryLog().create(ID);
    const here = await open(log, 2);
    const there = await open(log);
    await there.appendEntries([entry('written on the other node')], 'responder', 'tok-b');
    log.failNextRead(new Error('connection reset'));
    const own = here.submit(clientUpdate(here, entry('written here')), 'responder', socket, 'tok-a');
    expect(await own).toBe(2);
    // Its own write applies, but the room stays before the gap and takes no snapshot across it.
    expect(bodies(here)).toEqual(['written here']);
    expect(here.seq).toBe(0);
    expect(log.snapshotSeqs(ID)).toEqual([]);
    await here.catchUp(2);
    expect(here.seq).toBe(2);
    expect(bodies(here).sort()).toEqual(['written here', 'written on the other node']);
  });

  it("knows whose another node's client id is by the time its row shows here", async () => {
    const log = new MemoryLog().create(ID);
    const here = await open(log);
    const there = await open(log);
    const alice = new Y.Doc();
    const own = entry('alice on the other node');
    entriesMap(alice).set(own.id, own);
    await there.submit(Y.encodeStateAsUpdate(alice), 'responder', socket, 'tok-a');
    // The owners' table answers late, as a loaded database does.
    const owners = log.clientOwners.bind(log);
    vi.spyOn(log, 'clientOwners').mockImplementation(async (...args) => {
      await new Promise((r) => setTimeout(r, 20));
      return owners(...args);
    });
    const shown = new Promise((r) => here.doc.once('update', r));
    const caught = here.catchUp();
    await shown;
    // A socket that saw the row writes under alice's id at once: the gate refuses it as hers.
    const forged = clientUpdate(here, entry('bob as alice'), alice.clientID);
    expect(() => here.submit(forged, 'responder', socket, 'tok-b')).toThrow(
      expect.objectContaining({ code: 'gate.client' }),
    );
    await caught;
  });

  it('fails the writers of a failed commit and those queued behind it, applies nothing, and commits the next', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const sent = broadcasts(room);
    log.failNextAppend(
      new SitrepError(
        'storage.unavailable',
        'the database is unavailable; nothing was written, retry shortly',
      ),
    );
    const failed = [entry('lost one'), entry('lost two'), entry('lost three')].map((e) =>
      room.submit(clientUpdate(room, e), 'responder', socket, 'tok-a'),
    );
    const outcomes = await Promise.allSettled(failed);
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 'rejected', reason: { code: 'storage.unavailable' } });
    expect(log.rows(ID)).toEqual([]);
    expect(bodies(room)).toEqual([]);
    expect(sent).toEqual([]);
    expect(room.seq).toBe(0);
    // The server's own writes move to a new client id: the failed clocks are never reused.
    expect(await room.appendEntries([entry('after the failure')], 'responder', 'tok-a')).toMatchObject([
      { seq: 1, created: true },
    ]);
    expect(await room.submit(clientUpdate(room, entry('and another')), 'responder', socket, 'tok-a')).toBe(2);
    expect(bodies(room).sort()).toEqual(['after the failure', 'and another']);
    expect(sent).toHaveLength(2);
  });

  it('fails the writers of a commit whose checks could not run, and commits the next', async () => {
    const log = new MemoryLog().create(ID);
    let broken = true;
    // A policy the secret scan cannot read, once: the checks before the append throw.
    const unreadable = new Proxy({} as PrivacyPolicy, {
      get: () => {
        throw new Error('the scan failed');
      },
    });
    const policy = new (class extends RoomPolicy {
      override get policy(): PrivacyPolicy {
        if (!broken) return super.policy;
        broken = false;
        return unreadable;
      }
    })(async () => ({ policy: DEFAULT_POLICY, key: null }), DEFAULT_POLICY);
    const room = await IncidentRoom.load(ID, log, createLogger('silent'), new Metrics(), 1_000, policy);
    const failed = room.submit(clientUpdate(room, entry('lost')), 'responder', socket, 'tok-a');
    await expect(failed).rejects.toMatchObject({ code: 'internal' });
    expect(log.rows(ID)).toEqual([]);
    expect(await room.submit(clientUpdate(room, entry('kept')), 'responder', socket, 'tok-a')).toBe(1);
    expect(bodies(room)).toEqual(['kept']);
  });

  it('tells the writers of a batch stored but not applied here so, and applies it with the next commit', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const sent = broadcasts(room);
    room.onApplied(() => {
      throw new Error('a listener that throws');
    });
    // Past the append, once: the batch is in the log, not all of it applied here.
    const planted = vi.spyOn(SnapshotCache.prototype, 'addToTail').mockImplementationOnce(() => {
      throw new Error('planted');
    });
    const first = room.submit(clientUpdate(room, entry('stored')), 'responder', socket, 'tok-a');
    await expect(first).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/stored but/),
    });
    planted.mockRestore();
    expect(log.rows(ID)).toHaveLength(1);
    expect(room.seq).toBe(0);
    // The next commit reads the row again from the log; the listener that throws stops nothing.
    expect(await room.submit(clientUpdate(room, entry('next')), 'responder', socket, 'tok-a')).toBe(2);
    expect(bodies(room).sort()).toEqual(['next', 'stored']);
    expect(room.seq).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it('hands the sync layer every change of its document: a replica of what it relays is the document', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const there = await open(log);
    const replica = new Y.Doc();
    room.onApplied((u) => Y.applyUpdate(replica, u));
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await room.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    await room.submit(clientUpdate(room, entry('from a socket')), 'responder', socket, 'tok-a');
    const [leaked] = await room.appendEntries([entry('password is hunter2-leaked')], 'responder', 'tok-a');
    await room.writeView({ sets: [['summarizer', SUMMARY]], deletes: [] });
    await room.updateMeta({ status: 'identified' }, 'server', null); // and the milestone stamps it calls for
    await there.catchUp();
    await there.appendEntries([entry('from another node')], 'responder', 'tok-b');
    await room.catchUp();
    await room.purgeEntry(leaked?.id ?? '', { tokenId: 'tok-admin', reason: 'leaked password' });
    await vi.waitFor(() => expect(Y.equalSnapshots(Y.snapshot(replica), Y.snapshot(room.doc))).toBe(true));
    expect(replica.store.pendingStructs).toBeNull();
    expect(bodies(room).sort()).toEqual(['from a socket', 'from another node']);
  });

  it("gives the document's copy of each entry the blame flags of the one the gate read: checked once", async () => {
    const log = new MemoryLog().create(ID);
    const read: Entry[] = [];
    const append = log.appendUpdates.bind(log);
    log.appendUpdates = (id, items) => (read.push(...items.flatMap((it) => it.entries)), append(id, items));
    const room = await open(log);
    const written = [entry('Tom ignored the alert for forty minutes.'), entry('The pool is saturated.')];
    await room.submit(clientUpdate(room, written), 'responder', socket, 'tok-a');
    expect(read).toHaveLength(2);
    for (const gateRead of read) {
      const copy = entriesMap(room.doc).get(gateRead.id);
      if (!copy) throw new Error('the entry was not committed');
      expect(copy).not.toBe(gateRead);
      expect(reviewFlags(copy)).toBe(reviewFlags(gateRead));
      // The flags it shares are the copy's own, as a fresh check of the same text finds them.
      expect(reviewFlags(copy)).toEqual(reviewFlags(structuredClone(copy)));
    }
    expect(written.map((e) => reviewFlags(entriesMap(room.doc).get(e.id) ?? e).length)).toEqual([1, 0]);
  });

  it("reports each commit's time and size to the metrics, in seconds", async () => {
    const log = new MemoryLog().create(ID);
    const append = log.appendUpdates.bind(log);
    log.appendUpdates = async (id, items) => {
      await new Promise((r) => setTimeout(r, 30));
      return append(id, items);
    };
    const metrics = new Metrics();
    const room = await IncidentRoom.load(ID, log, createLogger('silent'), metrics, 1_000);
    await room.appendEntries([entry('one'), entry('two')], 'responder', 'tok-a');
    const text = await metrics.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('sitrep_commit_batch_size_sum')).toBe(1);
    expect(value('sitrep_commit_seconds_count')).toBe(1);
    expect(value('sitrep_commit_seconds_sum')).toBeGreaterThanOrEqual(0.025);
    expect(value('sitrep_commit_seconds_sum')).toBeLessThan(10);
  });

  it('reports a driver error it does not know as internal', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    log.failNextAppend(new Error('something odd'));
    await expect(room.appendEntries([entry('lost')], 'responder', 'tok-a')).rejects.toMatchObject({
      code: 'internal',
    });
    expect(await room.appendEntries([entry('kept')], 'responder', 'tok-a')).toMatchObject([{ seq: 1 }]);
  });

  it('purges an entry from the log, the document and every later snapshot', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log, 2);
    const [leaked] = await room.appendEntries([entry('password is hunter2-leaked')], 'responder', 'tok-a');
    await room.appendEntries([entry('kept before')], 'responder', 'tok-a');
    await vi.waitFor(() => expect(log.snapshotSeqs(ID)).toEqual([2]));
    await room.appendEntries([entry('kept after the snapshot')], 'responder', 'tok-a');
    const purged = await room.purgeEntry(leaked?.id ?? '', {
      tokenId: 'tok-admin',
      reason: 'leaked password',
    });
    expect(purged).toEqual({ seq: 4, rewritten: 1 });
    expect(room.seq).toBe(4);
    expect(bodies(room).sort()).toEqual(['kept after the snapshot', 'kept before']);
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
    expect(log.rows(ID).some((r) => text(r.bytes).includes('hunter2'))).toBe(false);
    expect(log.snapshotSeqs(ID)).toEqual([]);
    // The next snapshot is encoded from the document, not from the cached one that held the entry.
    await room.appendEntries([entry('after the purge')], 'responder', 'tok-a');
    await vi.waitFor(() => expect(log.snapshotSeqs(ID)).toEqual([5]));
    const snapshot = await log.latestSnapshot(ID);
    expect(text(snapshot?.state.bytes ?? new Uint8Array())).not.toContain('hunter2');
    const loaded = await open(log);
    expect(bodies(loaded).sort()).toEqual(['after the purge', 'kept after the snapshot', 'kept before']);
    await expect(
      room.purgeEntry(leaked?.id ?? '', { tokenId: 'tok-admin', reason: 'again' }),
    ).rejects.toMatchObject({ code: 'entry.not_found' });
  });

  it('serves no new client what another node purged, not even while the purge applies here', async () => {
    const log = new MemoryLog().create(ID);
    const there = await open(log, 2);
    const [leaked] = await there.appendEntries([entry('password is hunter2-leaked')], 'responder', 'tok-a');
    // Past GEOMETRIC_FROM_BYTES, where a new client is served the stored state.
    for (let i = 0; i < 11; i++)
      await there.appendEntries(
        Array.from({ length: 30 }, (_, j) => entry(`${i}.${j} ${'kept '.repeat(3_200)}`)),
        'responder',
        'tok-a',
      );
    await vi.waitFor(() => expect(Math.max(0, ...log.snapshotSeqs(ID))).toBeGreaterThanOrEqual(10), {
      timeout: 30_000,
    });
    const here = await open(log, 2);
    expect(await here.storedState()).not.toBeNull(); // its snapshot is at hand, unpacked
    // A new client asking as the purge's row applies here is answered after it has applied.
    const served: Promise<StoredState | null>[] = [];
    here.doc.on('update', () => served.push(here.storedState()));
    await there.purgeEntry(leaked?.id ?? '', { tokenId: 'tok-admin', reason: 'leaked password' });
    await here.catchUp();
    expect(served).toHaveLength(1);
    const text = (s: StoredState | null) =>
      s ? [s.state, ...s.tail].map((b) => Buffer.from(b).toString('latin1')).join('') : '';
    for (const s of [...(await Promise.all(served)), await here.storedState()])
      expect(text(s)).not.toContain('hunter2');
  });
});

describe('views with the commit of their entries', () => {
  /** Derives the rules view at every commit of entries; what each run was told is in the list. */
  function rulesAtCommit(room: IncidentRoom, during: () => void = () => {}): boolean[] {
    const settled: boolean[] = [];
    room.deriveViewsAtCommit({
      changesFor: (entries) => {
        during();
        const rules = buildRulesView([...readEntries(room.doc), ...entries]);
        return {
          changes: { sets: viewEntries('rules', rules), deletes: [] },
          settle: (applied) => settled.push(applied),
        };
      },
    });
    return settled;
  }

  it("appends a batch's view changes with it, as the server's writes, applied before it is acknowledged", async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const settled = rulesAtCommit(room);
    const e = entry('p99 doubled');
    const seq = await room.submit(clientUpdate(room, e), 'responder', socket, 'tok-a');
    expect(seq).toBe(1);
    expect(readView(room.doc, 'rules')?.watermark).toBe(e.id);
    expect(log.appends).toEqual([2]);
    expect(settled).toEqual([true]);
  });

  it('leaves them out when a server write was handed out meanwhile: its clocks must commit first', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    let written: Promise<number | null> = Promise.resolve(null);
    const status = { ...SUMMARY, runs: 1 };
    // A write of the server's view queued while the batch's views are made.
    const settled = rulesAtCommit(room, () => {
      written = room.writeView({ sets: [['summarizer', status]], deletes: [] });
    });
    await room.submit(clientUpdate(room, entry('p99 doubled')), 'responder', socket, 'tok-a');
    expect(settled).toEqual([false]);
    expect(log.appends).toEqual([1]);
    await written;
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(readView(room.doc, 'summarizer')).toEqual(status);
  });
  it('tells the views of a batch stored but not applied here that they were not applied', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    const settled = rulesAtCommit(room);
    const planted = vi.spyOn(SnapshotCache.prototype, 'addToTail').mockImplementationOnce(() => {
      throw new Error('planted');
    });
    const first = room.submit(clientUpdate(room, entry('p99 doubled')), 'responder', socket, 'tok-a');
    await expect(first).rejects.toMatchObject({ code: 'internal' });
    planted.mockRestore();
    expect(log.appends).toEqual([2]);
    expect(settled).toEqual([false]);
  });
});

describe("the incident row's meta mirror", () => {
  /** A log whose first mirror write waits until `landFirst` is called. */
  class SlowFirst extends MemoryLog {
    private held: (() => void) | null = null;
    private calls = 0;
    inFlight = 0;
    mostInFlight = 0;
    landFirst = (): void => this.held?.();

    override async updateIncidentMeta(id: string, meta: IncidentMeta): Promise<void> {
      this.inFlight += 1;
      this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
      if (this.calls++ === 0) await new Promise<void>((resolve) => (this.held = resolve));
      await super.updateIncidentMeta(id, meta);
      this.inFlight -= 1;
    }
  }

  it('writes one meta at a time and leaves the newest in the row, however the writes would land', async () => {
    const log = new SlowFirst().create(ID);
    const room = await open(log);
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await room.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    await room.updateMeta({ status: 'identified' }, 'server', null);
    await room.updateMeta({ status: 'monitoring' }, 'server', null);
    log.landFirst();
    await vi.waitFor(() => expect(log.inFlight).toBe(0));
    expect(log.metas.at(-1)?.status).toBe('monitoring');
    expect(log.mostInFlight).toBe(1);
  });

  it("is written again by each node that applies another node's change of the meta", async () => {
    const log = new MemoryLog().create(ID);
    const here = await open(log);
    const there = await open(log);
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await here.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    await there.catchUp();
    await there.updateMeta({ status: 'identified' }, 'server', null);
    // Here's older write lands after there's (two nodes, two connections).
    await log.updateIncidentMeta(ID, { ...meta, createdAt: new Date().toISOString() });
    await here.catchUp();
    await vi.waitFor(() => expect(log.metas.at(-1)?.status).toBe('identified'));
  });

  it("is not written by a node that applies another node's commit leaving the meta alone", async () => {
    const log = new MemoryLog().create(ID);
    const here = await open(log);
    const there = await open(log);
    /** Resolves once the mirror writes under way (and those they call for again) have ended. */
    const mirrorsEnded = () => new Promise((resolve) => setTimeout(resolve, 0));
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await there.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    await mirrorsEnded();
    const thereWrote = log.metas.length;
    await here.catchUp();
    await mirrorsEnded();
    expect(log.metas.length).toBeGreaterThan(thereWrote); // here's, as it applied the change
    const written = log.metas.length;
    await there.appendEntries([entry('no change of the meta')], 'responder', 'tok-b');
    await here.catchUp();
    await mirrorsEnded();
    expect(bodies(here)).toEqual(['no change of the meta']);
    expect(log.metas).toHaveLength(written);
  });
});
