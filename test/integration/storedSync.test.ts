// A client that connects while its incident's room loads is sent the stored state the room is
// built from (its snapshot and the rows after it), with no document encoded for it, and joins
// the room once it is built: stock providers sync whole, write, and see each other's writes.
import { entriesMap } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

describe.each(['pglite', 'postgres'] as const)('a socket while its incident loads (%s)', (backend) => {
  let t: Fixture;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_SNAPSHOT_EVERY: '5' });
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await t.close();
  });

  const replies = async () => {
    const text = await (await fetch(`${t.server.url}/metrics`)).text();
    const values: Record<string, number> = {};
    for (const m of text.matchAll(/^sitrep_sync_replies_total\{answer="([^"]+)"\} (\S+)$/gm))
      values[m[1] ?? ''] = Number(m[2]);
    return values;
  };

  it('is sent the snapshot and the rows after it, then writes through the room it joins', async () => {
    const id = (await t.api.createIncident({ title: `stored sync on ${backend}` })).incident.id;
    const bodies: string[] = [];
    // 13 appends after the creation: snapshots every 5 rows, and rows after the last one.
    for (let i = 0; i < 13; i++) {
      bodies.push(`entry ${i}`);
      await t.api.appendEntries(id, { entries: [makeEntry('finding', { body: `entry ${i}` })] });
    }
    await waitFor(
      async () => (await t.server.rooms.sweep(0)) === 0 && !t.server.rooms.loadedRoom(id),
      'unloaded',
    );
    const before = await replies();

    const [a, b] = [0, 1].map(() => connectProvider(t.server.url, id, t.token));
    providers.push(a as WebsocketProvider, b as WebsocketProvider);
    await Promise.all(providers.map(synced));
    for (const p of providers) {
      expect([...entriesMap(p.doc).values()].map((e) => e.body).sort()).toEqual([...bodies].sort());
      expect(p.doc.getMap('meta').get('title')).toBe(`stored sync on ${backend}`);
    }
    // Both were sent the stored state; neither was answered with an encoding of the document.
    const after = await replies();
    const grew = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([grew('stored'), grew('full'), grew('cached')]).toEqual([2, 0, 0]);

    // They are in the room: a write from one reaches the other, and it is durable.
    const written = makeEntry('finding', { body: 'written after a stored sync' });
    a?.doc.getMap('entries').set(written.id, written);
    await waitFor(
      () => (b ? entriesMap(b.doc).has(written.id) : false),
      'the other provider to see the write',
    );
    await waitFor(
      async () => (await t.api.listEntries(id)).entries.some((e) => e.id === written.id),
      'the write to be stored',
    );
    // A client that connects once the room is loaded is answered by it, as before.
    const late = connectProvider(t.server.url, id, t.token);
    providers.push(late);
    await synced(late);
    expect(entriesMap(late.doc).size).toBe(14);
    expect(grew('stored')).toBe(2);
  });
});
