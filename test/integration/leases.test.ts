// The view lease on both storages: one holder at a time, the holder renews, another takes over
// only once it has expired. This is what makes one node at a time write an incident's views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('has one holder at a time, renewed by the holder, taken over once expired', async () => {
    const leases = store.summaries;
    expect(await leases.acquireLease('views:a', 'node-1', 60_000)).toBe(true);
    expect(await leases.acquireLease('views:a', 'node-2', 60_000)).toBe(false);
    expect(await leases.acquireLease('views:a', 'node-1', 60_000)).toBe(true);
    expect(await leases.acquireLease('views:b', 'node-2', 60_000)).toBe(true);
    expect(await leases.acquireLease('views:c', 'node-1', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await leases.acquireLease('views:c', 'node-2', 60_000)).toBe(true);
    expect(await leases.acquireLease('views:c', 'node-1', 60_000)).toBe(false);
  });

  it('lets exactly one of many simultaneous claimants win', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.summaries.acquireLease('views:race', `node-${i}`, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
