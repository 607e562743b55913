import { entriesMap, newEntryId, readEntries } from '@sitrep/shared';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { packSnapshot, SnapshotState, unpackSnapshot } from '../store/snapshotCodec.js';
import { GEOMETRIC_FROM_BYTES, SnapshotCache, TAIL_SHARE, WORKER_FROM_BYTES } from './SnapshotCache.js';
import { makeEntry } from '../../../test/support/clients.js';

/** A finding by a harness (test/support), its body given. */
const entry = (body: string) => makeEntry('finding', { body });

/** A document whose every change is held by the cache as one log row; storage that keeps the snapshots. */
function setup(every: number) {
  const doc = new Y.Doc();
  const stored: { seq: number; state: Uint8Array }[] = [];
  const failing = { next: false };
  /** The seqs whose writes started; a write waits for `held.until` before it lands. */
  const started: number[] = [];
  const held: { until: Promise<void> } = { until: Promise.resolve() };
  const store = {
    writeSnapshot: async (_id: string, seq: number, state: Uint8Array) => {
      started.push(seq);
      await held.until;
      if (failing.next) {
        failing.next = false;
        throw new Error('disk full');
      }
      stored.push({ seq, state });
      return packSnapshot(state);
    },
  };
  const metrics = new Metrics();
  const cache = new SnapshotCache(doc, {
    incidentId: 'inc-1',
    store,
    log: createLogger('silent'),
    metrics,
    every,
  });
  let seq = 0;
  doc.on('update', (u: Uint8Array) => cache.addToTail(u));
  /** Commits a row adding an entry (or setting the entry `id` again), then lets the cache snapshot. */
  const commit = (body: string, id = newEntryId()) => {
    entriesMap(doc).set(id, entry(body));
    cache.maybeSnapshot(++seq);
  };
  /** The document as it is now, loaded as the snapshot at row 1, as a load reads one; rows go on from 2. */
  const loadAsSnapshot = async () => {
    const bytes = Y.encodeStateAsUpdate(doc);
    cache.loaded({ seq: 1, state: new SnapshotState([bytes]), parts: await packSnapshot(bytes) }, []);
    seq = 1;
  };
  const built = async () =>
    (await metrics.snapshots.get()).values
      .map((v) => `${v.labels.built}:${v.labels.outcome}=${v.value}`)
      .sort();
  return { doc, cache, stored, failing, started, held, commit, loadAsSnapshot, built };
}

const bodiesOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return readEntries(doc)
    .map((e) => e.body)
    .sort();
};

describe('snapshot cache', () => {
  it('snapshots every so many rows, a document below WORKER_FROM_BYTES encoded here, equal to it', async () => {
    const { doc, cache, stored, commit, built } = setup(2);
    cache.loaded(null, []);
    for (const body of ['a', 'b', 'c', 'd', 'e']) commit(body);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4]);
    expect(bodiesOf(stored[1]?.state ?? new Uint8Array())).toEqual(['a', 'b', 'c', 'd']);
    expect(await built()).toEqual(['here:ok=2']);
    expect(readEntries(doc)).toHaveLength(5);
  });

  it('writes snapshots encoded here one at a time, in order: the next waits for the last to land', async () => {
    const { cache, stored, started, held, commit, built } = setup(2);
    cache.loaded(null, []);
    let release = () => {};
    held.until = new Promise((resolve) => {
      release = resolve;
    });
    for (const body of ['a', 'b', 'c', 'd']) commit(body);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([2]); // the snapshot at 4 is taken, not written before the one at 2
    release();
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4]);
    expect(await built()).toEqual(['here:ok=2']);
  });

  it('builds in the worker once the last state and the rows since reach WORKER_FROM_BYTES, before the last has landed', async () => {
    const { doc, cache, stored, commit, built } = setup(2);
    const half = 'x'.repeat(WORKER_FROM_BYTES / 2);
    cache.loaded(null, []);
    commit(`1${half}`);
    commit('a'); // encoded here: about half of WORKER_FROM_BYTES
    commit(`2${half}`);
    commit('b'); // that one and the rows since reach it: built in the worker from it
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4]);
    expect(Buffer.compare(Y.encodeStateAsUpdate(doc), stored[1]?.state ?? new Uint8Array())).toBe(0);
    expect(await built()).toEqual(['here:ok=1', 'worker:ok=1']);
  });

  it('after a failed write, takes the next at the next row, encoded here', async () => {
    const { cache, stored, failing, commit, built } = setup(2);
    cache.loaded(null, []);
    commit('a');
    failing.next = true;
    commit('b');
    await vi.waitFor(async () => expect(await built()).toEqual(['here:failed=1']));
    commit('c');
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([3]);
    expect(await built()).toEqual(['here:failed=1', 'here:ok=1']);
  });

  it('forgets the last snapshot and the rows since after a purge: the next is encoded here', async () => {
    const { cache, stored, commit, built } = setup(2);
    cache.loaded(null, []);
    commit('a');
    commit('b');
    await cache.written();
    commit('c');
    cache.forgetPurged();
    commit('d');
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4]);
    expect(await built()).toEqual(['here:ok=2']);
  });

  it('knows its newest snapshot once landed, as stored: none after a failed write or a purge', async () => {
    const { cache, stored, failing, commit } = setup(2);
    cache.loaded(null, []);
    expect(await cache.newest()).toBeNull();
    commit('a');
    commit('b'); // a snapshot at 2, still being written when asked for
    const newest = await cache.newest();
    expect(newest?.seq).toBe(2);
    expect(bodiesOf(await unpackSnapshot(newest?.parts ?? []))).toEqual(['a', 'b']);
    expect(stored.map((s) => s.seq)).toEqual([2]);
    failing.next = true;
    commit('c');
    commit('d');
    expect(await cache.newest()).toBeNull();
    commit('e');
    expect((await cache.newest())?.seq).toBe(5);
    cache.forgetPurged();
    expect(await cache.newest()).toBeNull();
  });

  it('keeps at most four snapshots of rows while it only follows, then encodes here', async () => {
    const { doc, cache, stored, built } = setup(2);
    cache.loaded(
      { seq: 0, state: new SnapshotState([]), parts: await packSnapshot(Y.encodeStateAsUpdate(doc)) },
      [],
    );
    for (let i = 0; i < 9; i++) entriesMap(doc).set(newEntryId(), entry(`followed ${i}`));
    cache.boundFollowed();
    cache.maybeSnapshot(9);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([9]);
    expect(await built()).toEqual(['here:ok=1']);
  });

  it('past GEOMETRIC_FROM_BYTES of state, waits for a tail of TAIL_SHARE of it: snapshot work per change stays flat', async () => {
    const { doc, cache, stored, commit, built } = setup(2);
    cache.loaded(null, []);
    const big = 'x'.repeat(1 << 20);
    for (let i = 0; i < 6; i++) commit(`${i}${big}`); // small state: every 2 rows
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4, 6]);
    const state = stored.at(-1)?.state.byteLength ?? 0;
    expect(state).toBeGreaterThan(GEOMETRIC_FROM_BYTES);
    for (const body of ['a', 'b', 'c', 'd', 'e', 'f']) commit(body); // 6 rows, a tiny tail: none
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4, 6]);
    commit('y'.repeat(Math.ceil(TAIL_SHARE * state))); // the tail reaches its share of the state
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4, 6, 13]);
    expect(bodiesOf(stored[3]?.state ?? new Uint8Array())).toHaveLength(13);
    expect(Buffer.compare(Y.encodeStateAsUpdate(doc), stored[3]?.state ?? new Uint8Array())).toBe(0);
    expect(await built()).toEqual(['here:ok=1', 'worker:ok=3']);
  });

  it('a large loaded snapshot counts as the last state: rows since it alone take none', async () => {
    const { doc, cache, stored, commit, loadAsSnapshot } = setup(2);
    entriesMap(doc).set(newEntryId(), entry('x'.repeat(GEOMETRIC_FROM_BYTES * 2)));
    await loadAsSnapshot();
    for (const body of ['row 2', 'row 3', 'row 4', 'row 5']) commit(body);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([]);
  });

  it('builds in the worker after a loaded snapshot of WORKER_FROM_BYTES: a reload does not encode it here', async () => {
    const { doc, cache, stored, commit, loadAsSnapshot, built } = setup(2);
    entriesMap(doc).set(newEntryId(), entry('x'.repeat(WORKER_FROM_BYTES)));
    await loadAsSnapshot();
    commit('row 2');
    commit('row 3');
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([3]);
    expect(await built()).toEqual(['worker:ok=1']);
  });

  it("knows a worker-built snapshot's size once landed: a document that shrank below WORKER_FROM_BYTES is encoded here", async () => {
    const { doc, cache, stored, commit, loadAsSnapshot, built } = setup(2);
    const large = newEntryId();
    entriesMap(doc).set(newEntryId(), entry('x'.repeat(WORKER_FROM_BYTES - 400_000)));
    entriesMap(doc).set(large, entry('y'.repeat(500_000)));
    await loadAsSnapshot();
    // The large entry overwritten with a small one: the tail is small, the state shrinks.
    commit('row 2', large);
    commit('row 3'); // built in the worker: the state known plus the tail reach WORKER_FROM_BYTES
    await cache.written();
    commit('row 4');
    commit('row 5'); // encoded here: the state it landed with plus the tail do not
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([3, 5]);
    expect(await built()).toEqual(['here:ok=1', 'worker:ok=1']);
  });

  it('takes a snapshot at a tail of GEOMETRIC_FROM_BYTES before `every` rows: large rows grow no large first snapshot', async () => {
    const { cache, stored, commit, built } = setup(1_000);
    cache.loaded(null, []);
    const rows = Math.ceil(GEOMETRIC_FROM_BYTES / (1 << 20));
    for (let i = 0; i < rows + 2; i++) commit(`${i}${'x'.repeat(1 << 20)}`);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([rows]);
    expect(await built()).toEqual(['here:ok=1']);
  });

  it('serves the document as stored: the last snapshot and every row since, before, while and after a snapshot is written', async () => {
    const { doc, cache, failing, commit } = setup(3);
    cache.loaded(null, []);
    expect(await cache.storedState()).toBeNull(); // no snapshot yet: the document is encoded
    /** What a new client served the stored state has, against the document. */
    const served = async () => {
      const stored = await cache.storedState();
      const client = new Y.Doc();
      Y.applyUpdate(client, stored?.state ?? new Uint8Array([0, 0]));
      for (const u of stored?.tail ?? []) Y.applyUpdate(client, u);
      return readEntries(client)
        .map((e) => e.body)
        .sort();
    };
    const bodies = () =>
      readEntries(doc)
        .map((e) => e.body)
        .sort();
    const share = 'y'.repeat(Math.ceil(TAIL_SHARE * 2 * GEOMETRIC_FROM_BYTES));
    commit('x'.repeat(GEOMETRIC_FROM_BYTES)); // a snapshot at once, past GEOMETRIC_FROM_BYTES
    await cache.written();
    commit('a');
    commit('b');
    expect(await served()).toEqual(bodies());
    commit(`1${share}`); // the next snapshot is being written: asked for before, built from this one
    expect(await served()).toEqual(bodies());
    await cache.written();
    commit('c');
    expect(await served()).toEqual(bodies());
    failing.next = true;
    commit('d');
    commit(`2${share}`);
    await cache.written();
    expect(await cache.storedState()).toBeNull(); // the write failed: not known, encoded
    for (const body of ['e', 'f', `3${share}`]) commit(body);
    await cache.written();
    expect(await served()).toEqual(bodies());
    cache.forgetPurged();
    expect(await cache.storedState()).toBeNull();
  });

  it('serves no stored state below GEOMETRIC_FROM_BYTES: one encoded frame serves every new client', async () => {
    const { cache, commit } = setup(2);
    cache.loaded(null, []);
    for (const body of ['a', 'b', 'c']) commit(body);
    await cache.written();
    expect(await cache.storedState()).toBeNull();
  });
});
