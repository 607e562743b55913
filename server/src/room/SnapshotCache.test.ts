import { type Entry, entriesMap, newEntryId, readEntries } from '@sitrep/shared';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { packSnapshot } from '../store/snapshotCodec.js';
import { SnapshotCache } from './SnapshotCache.js';

const entry = (body: string): Entry => ({
  v: 1,
  id: newEntryId(),
  kind: 'finding',
  body,
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: new Date().toISOString(),
});

/** A document whose every change is held by the cache as one log row; storage that keeps the snapshots. */
function setup(every: number) {
  const doc = new Y.Doc();
  const stored: { seq: number; state: Uint8Array }[] = [];
  const failing = { next: false };
  const store = {
    writeSnapshot: async (_id: string, seq: number, state: Uint8Array) => {
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
  /** Commits a row adding an entry, then lets the cache snapshot. */
  const commit = (body: string) => {
    entriesMap(doc).set(newEntryId(), entry(body));
    cache.maybeSnapshot(++seq);
  };
  const built = async () =>
    (await metrics.snapshots.get()).values
      .map((v) => `${v.labels.built}:${v.labels.outcome}=${v.value}`)
      .sort();
  return { doc, cache, stored, failing, commit, built };
}

const bodiesOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return readEntries(doc)
    .map((e) => e.body)
    .sort();
};

describe('snapshot cache', () => {
  it('snapshots every so many rows, from the last snapshot and the rows since, equal to the document', async () => {
    const { doc, cache, stored, commit, built } = setup(2);
    cache.loaded(null, []);
    for (const body of ['a', 'b', 'c', 'd', 'e']) commit(body);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([2, 4]);
    expect(bodiesOf(stored[1]?.state ?? new Uint8Array())).toEqual(['a', 'b', 'c', 'd']);
    expect(await built()).toEqual(['here:ok=1', 'worker:ok=1']);
    expect(readEntries(doc)).toHaveLength(5);
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

  it('keeps at most four snapshots of rows while it only follows, then encodes here', async () => {
    const { doc, cache, stored, built } = setup(2);
    cache.loaded(
      { seq: 0, bytes: new Uint8Array(), parts: await packSnapshot(Y.encodeStateAsUpdate(doc)) },
      [],
    );
    for (let i = 0; i < 9; i++) entriesMap(doc).set(newEntryId(), entry(`followed ${i}`));
    cache.boundFollowed();
    cache.maybeSnapshot(9);
    await cache.written();
    expect(stored.map((s) => s.seq)).toEqual([9]);
    expect(await built()).toEqual(['here:ok=1']);
  });
});
