// The view leases on both storages: one holder at a time, the holder renews, another takes over
// only once it has expired. This is what makes one node at a time write an incident's views. A
// node asks for all the leases it renews in one statement.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Store, openStore } from '../../server/src/store/Store.js';
import { BACKENDS, type TestStorage, testStorage } from '../support/server.js';

describe.each(BACKENDS)('view leases on %s', (backend) => {
  let storage: TestStorage;
  let store: Store;
  beforeAll(async () => {
    storage = await testStorage(backend);
    store = await openStore({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
  });
  afterAll(async () => {
    await store.close();
    await storage.remove();
  });

  /** Whether `holder` holds the one lease `name` after asking for it. */
  const acquire = async (name: string, holder: string, ttlMs: number) =>
    (await store.summaries.acquireLeases([name], holder, ttlMs)).has(name);

  it('has one holder at a time, renewed by the holder, taken over once expired', async () => {
    expect(await acquire('views:a', 'node-1', 60_000)).toBe(true);
    expect(await acquire('views:a', 'node-2', 60_000)).toBe(false);
    expect(await acquire('views:a', 'node-1', 60_000)).toBe(true);
    expect(await acquire('views:b', 'node-2', 60_000)).toBe(true);
    expect(await acquire('views:c', 'node-1', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await acquire('views:c', 'node-2', 60_000)).toBe(true);
    expect(await acquire('views:c', 'node-1', 60_000)).toBe(false);
  });

  it('takes and renews many leases in one statement, leaving the ones another holds', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `views:many-${i}`);
    expect(new Set((await store.summaries.acquireLeases(names, 'node-1', 200)).keys())).toEqual(
      new Set(names),
    );
    expect(new Set((await store.summaries.acquireLeases(names, 'node-1', 60_000)).keys())).toEqual(
      new Set(names),
    );
    await new Promise((r) => setTimeout(r, 250));
    expect(await acquire('views:many-7', 'node-2', 60_000)).toBe(false); // renewed past the first expiry
    // Another node's unexpired lease among them, an expired one taken, a new one, a name twice.
    expect(await acquire('views:other', 'node-2', 60_000)).toBe(true);
    expect(await acquire('views:lapsed', 'node-2', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const asked = [...names, 'views:other', 'views:lapsed', 'views:new', 'views:many-3'];
    const held = await store.summaries.acquireLeases(asked, 'node-1', 60_000);
    expect(new Set(held.keys())).toEqual(new Set([...names, 'views:lapsed', 'views:new']));
    expect(await acquire('views:lapsed', 'node-2', 60_000)).toBe(false);
    expect(await acquire('views:other', 'node-2', 60_000)).toBe(true);
  });

  it("expires on the database's clock, whatever the clock of the node that took it", async () => {
    /** Asks with this node's clock off by `skewMs` while it asks (PGlite's clock, the same one, not). */
    const skewed = (skewMs: number, name: string, ttlMs: number) => {
      const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + skewMs);
      const asked = store.summaries.acquireLeases([name], 'node-1', ttlMs);
      clock.mockRestore();
      return asked;
    };
    const left = (await skewed(-60_000, 'views:behind', 30_000)).get('views:behind') ?? 0;
    expect(left).toBeGreaterThan(20_000);
    expect(left).toBeLessThanOrEqual(30_000);
    expect((await skewed(60_000, 'views:ahead', 1)).has('views:ahead')).toBe(true);
    // Not already expired for another node (two view writers), nor held a minute too long.
    expect(await acquire('views:behind', 'node-2', 60_000)).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(await acquire('views:ahead', 'node-2', 60_000)).toBe(true);
  });

  it('lets exactly one of many simultaneous claimants win each lease, whatever their order', async () => {
    // Claimants asking for the same names in opposite orders deadlocked unless rows lock in one order.
    for (let round = 0; round < 5; round++) {
      const names = Array.from({ length: 500 }, (_, i) => `views:race-${round}-${i}`);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.summaries.acquireLeases(i % 2 ? [...names].reverse() : names, `node-${i}`, 60_000),
        ),
      );
      for (const name of names) expect(results.filter((held) => held.has(name))).toHaveLength(1);
    }
  });
});
