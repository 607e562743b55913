// Idle documents are unloaded: 1,000 incidents opened once each do not stay in memory, and an
// unloaded incident comes back whole on its next use.
import { ApiClient, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/main.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type TestStorage, adminToken, startTestServer, testStorage, waitFor } from '../support/server.js';

let storage: TestStorage;
let server: RunningServer;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  storage = await testStorage('postgres');
  server = await startTestServer(storage, 0, { SITREP_IDLE_UNLOAD_SECONDS: '0.3' });
  token = adminToken(server);
  api = new ApiClient(server.url, { token });
});
afterAll(async () => {
  await server.close();
  await storage.remove();
});

const loaded = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^sitrep_loaded_documents (\S+)$/m.exec(text)?.[1]);
};

describe('idle documents', () => {
  it('unloads 1,000 incidents opened once, and reloads one whole on its next use', async () => {
    const ids: string[] = [];
    let peak = 0;
    for (let i = 0; i < 1000; i++) {
      const { incident } = await api.createIncident({ title: `incident ${i}` });
      await api.appendEntries(incident.id, { entries: [makeEntry('finding', { body: `only entry of ${i}` })] });
      ids.push(incident.id);
      if (i % 100 === 99) peak = Math.max(peak, await loaded());
    }
    // Documents leave memory as they go idle, so the count never approaches the number opened.
    expect(peak).toBeLessThan(1000);
    await waitFor(async () => (await loaded()) === 0, 'every idle document to unload', 20_000);

    const p = connectProvider(server.url, ids[500] ?? '', token);
    await synced(p);
    expect([...entriesMap(p.doc).values()].map((e) => e.body)).toEqual(['only entry of 500']);
    expect(await loaded()).toBe(1);
    // A held document stays, however idle.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await loaded()).toBe(1);
    p.destroy();
    await waitFor(async () => (await loaded()) === 0, 'the document to unload once released', 20_000);
  }, 180_000);
});
