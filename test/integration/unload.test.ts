// Idle documents are unloaded: 1,000 incidents opened once each do not stay in memory, and an
// unloaded incident comes back whole on its next use.
import { entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, waitFor, startFixture } from '../support/server.js';

let t: Fixture;

beforeAll(async () => {
  t = await startFixture('postgres', { SITREP_IDLE_UNLOAD_SECONDS: '0.3' });
});
afterAll(async () => {
  await t.close();
});

const loaded = async () => {
  const text = await (await fetch(`${t.server.url}/metrics`)).text();
  return Number(/^sitrep_loaded_documents (\S+)$/m.exec(text)?.[1]);
};

describe('idle documents', () => {
  it('unloads 1,000 incidents opened once, and reloads one whole on its next use', async () => {
    const ids: string[] = [];
    let peak = 0;
    for (let i = 0; i < 1000; i++) {
      const { incident } = await t.api.createIncident({ title: `incident ${i}` });
      await t.api.appendEntries(incident.id, {
        entries: [makeEntry('finding', { body: `only entry of ${i}` })],
      });
      ids.push(incident.id);
      if (i % 100 === 99) peak = Math.max(peak, await loaded());
    }
    // Documents leave memory as they go idle, so the count never approaches the number opened.
    expect(peak).toBeLessThan(1000);
    await waitFor(async () => (await loaded()) === 0, 'every idle document to unload', 20_000);

    const p = connectProvider(t.server.url, ids[500] ?? '', t.token);
    await synced(p);
    expect([...entriesMap(p.doc).values()].map((e) => e.body)).toEqual(['only entry of 500']);
    expect(await loaded()).toBe(1);
    // A held document stays, however idle: a sweep that would unload anything idle leaves it.
    expect(await t.server.rooms.sweep(0)).toBe(0);
    expect(await loaded()).toBe(1);
    p.destroy();
    await waitFor(async () => (await loaded()) === 0, 'the document to unload once released', 20_000);
  }, 180_000);
});
