import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import { LEASE_MS } from '../cluster/Leases.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { IncidentRoom } from '../room/IncidentRoom.js';
import type { Store } from '../store/Store.js';
import { Views } from './Views.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('views of a node', () => {
  it("renews the loaded rooms' view leases together, and no longer an unloaded room's", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const statements: string[][] = [];
    const acquireLeases = async (names: readonly string[], _holder: string, ttlMs: number) => {
      statements.push([...names].sort());
      return new Map(names.map((n) => [n, ttlMs]));
    };
    const store = { summaries: { acquireLeases } } as unknown as Store;
    const views = new Views({ store, log: createLogger('silent'), metrics: new Metrics() });
    const log = new MemoryLog();
    const load = (id: string) =>
      IncidentRoom.load(id, log.create(id), createLogger('silent'), new Metrics(), 1_000);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(load));
    if (!a || !b || !c) throw new Error('rooms not loaded');
    for (const room of [a, b, c]) views.attach(room);
    for (const room of [a, b, c]) await views.settled(room.id);
    expect(new Set(statements.flat())).toEqual(new Set(['views:a', 'views:b', 'views:c']));

    statements.length = 0;
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s).toEqual(['views:a', 'views:b', 'views:c']);
    views.detach(b);
    statements.length = 0;
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s).toEqual(['views:a', 'views:c']);
    views.detach(a);
    views.detach(c);
  });
});
