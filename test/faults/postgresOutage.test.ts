// Postgres stopped and started under load: the server stays up, refuses writes loudly (HTTP 503,
// nack), keeps serving the document from memory, loses nothing it acknowledged, and takes writes
// again by itself once the database is back. Runs on its own cluster, which it stops.
import { ApiClient, type Entry, SitrepError, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RunningServer } from '../../server/src/main.js';
import { MESSAGE_SITREP_ACK, decodeAck, encodeSyncUpdate } from '../../server/src/sync/protocol.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { type TestStorage, adminToken, startTestServer, waitFor } from '../support/server.js';

let pg: PostgresCluster;
let server: RunningServer;
let token: string;
let api: ApiClient;

beforeAll(async () => {
  pg = await startPostgres();
  const storage: TestStorage = { backend: 'postgres', dataDir: '/tmp/sitrep-outage', databaseUrl: await pg.createDatabase('outage'), remove: async () => {} };
  server = await startTestServer(storage);
  token = adminToken(server);
  api = new ApiClient(server.url, { token });
});
afterAll(async () => {
  await server.close();
  await pg.remove();
});

describe('a Postgres outage under load', () => {
  it('refuses writes loudly, serves reads from memory, loses nothing acked and recovers', async () => {
    const incident = (await api.createIncident({ title: 'outage' })).incident.id;
    const reader = connectProvider(server.url, incident, token);
    await synced(reader);

    // Load: an HTTP writer and an acking socket writer, until told to stop.
    const acked = new Set<string>();
    const refused: string[] = [];
    let running = true;
    const httpWriter = (async () => {
      while (running) {
        const e = makeEntry('finding');
        try {
          await api.appendEntries(incident, { entries: [e] });
          acked.add(e.id);
        } catch (err) {
          refused.push(err instanceof SitrepError ? err.code : String(err));
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${incident}?token=${token}&acks=1`);
    const sent = new Map<number, Entry>();
    const nacks: string[] = [];
    ws.on('message', (d) => {
      const f = new Uint8Array(d as Buffer);
      if (f[0] !== MESSAGE_SITREP_ACK) return;
      const ack = decodeAck(f);
      const e = sent.get(ack.ref);
      if (ack.ok && e) acked.add(e.id);
      else if (!ack.ok) nacks.push(ack.reason);
    });
    await new Promise((r) => ws.on('open', r));
    let ref = 0;
    const socketWriter = (async () => {
      while (running && ws.readyState === WebSocket.OPEN) {
        const doc = new Y.Doc();
        const e = makeEntry('note');
        entriesMap(doc).set(e.id, e);
        sent.set(ref++, e);
        ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
        await new Promise((r) => setTimeout(r, 15));
      }
    })();

    await waitFor(() => acked.size >= 20, 'writes before the outage');
    await pg.stop();
    await waitFor(() => refused.includes('storage.unavailable'), 'an HTTP write refused with 503');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: 'storage.unavailable' } });
    await waitFor(() => nacks.some((n) => n.startsWith('storage.unavailable')) || ws.readyState !== WebSocket.OPEN, 'the socket writer told');

    // Reads go on from memory: a new client connects and gets the whole document.
    const during = connectProvider(server.url, incident, token);
    await synced(during);
    expect(entriesMap(during.doc).size).toBe(entriesMap(reader.doc).size);
    during.destroy();

    await pg.start();
    const resumedFrom = acked.size;
    await waitFor(() => acked.size >= resumedFrom + 10, 'writes to resume', 30_000);
    running = false;
    await Promise.all([httpWriter, socketWriter]);
    ws.close();

    // Nothing acknowledged is missing, and what is stored is exactly what the document holds.
    const stored = new Set((await api.listEntries(incident, { limit: 5000 })).entries.map((e) => e.id));
    for (const id of acked) expect(stored.has(id), `acked entry ${id}`).toBe(true);
    const room = await server.rooms.open(incident);
    expect(new Set(entriesMap(room.doc).keys())).toEqual(stored);
    await waitFor(() => entriesMap(reader.doc).size === stored.size, 'the reader to converge');
    reader.destroy();
  }, 120_000);
});
