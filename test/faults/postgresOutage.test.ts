// Postgres stopped and started under load: the server stays up, refuses writes loudly (HTTP 503,
// nack, the socket closed with 1013), keeps serving the document from memory, loses nothing it
// acknowledged, and takes writes again by itself once the database is back (forgetting the
// snapshots it kept of unloaded incidents: a purge may have gone unheard); and the database
// going away in the middle of a commit, so the refusal comes from the commit itself. Runs on its
// own cluster, which it stops.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  type Entry,
  MESSAGE_SITREP_ACK,
  SitrepError,
  decodeAck,
  encodeSyncUpdate,
  entriesMap,
} from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RunningServer } from '../../server/src/main.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { type TestStorage, adminToken, settle, startTestServer, waitFor } from '../support/server.js';

let pg: PostgresCluster;
let storage: TestStorage;
let server: RunningServer;
let token: string;
let api: ApiClient;

beforeAll(async () => {
  pg = await startPostgres();
  const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-outage-'));
  storage = {
    backend: 'postgres',
    dataDir,
    databaseUrl: await pg.createDatabase('outage'),
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
  server = await startTestServer(storage);
  token = adminToken(server);
  api = new ApiClient(server.url, { token });
});
afterAll(async () => {
  await server?.close();
  await pg?.remove();
  await storage?.remove();
});

let pgUp = true;
/** Stops Postgres; it is started again when the test ends however it ends, so a failure stays its own. */
async function stopDatabase(): Promise<void> {
  await pg.stop();
  pgUp = false;
  onTestFinished(startDatabase);
}
async function startDatabase(): Promise<void> {
  if (pgUp) return;
  await pg.start();
  pgUp = true;
}

/** A socket that asked for acks, with the acks, nacks and close it got. */
async function ackingSocket(incident: string) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${incident}?token=${token}&acks=1`);
  const sent = new Map<number, Entry>();
  const acked: string[] = [];
  const nacks: string[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (d) => {
    const f = new Uint8Array(d as Buffer);
    if (f[0] !== MESSAGE_SITREP_ACK) return;
    const ack = decodeAck(f);
    const e = sent.get(ack.ref);
    if (ack.ok && e) acked.push(e.id);
    else if (!ack.ok) nacks.push(ack.reason);
  });
  ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  await new Promise((r) => ws.on('open', r));
  return {
    ws,
    acked,
    nacks,
    closed: () => closed,
    /** Sends one new entry as a Yjs update; its ack refers to it. */
    send(e: Entry) {
      const doc = new Y.Doc();
      entriesMap(doc).set(e.id, e);
      sent.set(sent.size, e);
      ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    },
  };
}

/** Whether the socket was told its write failed for the storage and closed with 1013 (try again). */
const toldToRetry = (s: Awaited<ReturnType<typeof ackingSocket>>) =>
  s.nacks.some((n) => n.startsWith('storage.unavailable')) && s.closed()?.code === 1013;

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
    const socket = await ackingSocket(incident);
    const socketWriter = (async () => {
      while (running && socket.ws.readyState === WebSocket.OPEN) {
        socket.send(makeEntry('note'));
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const ackedCount = () => acked.size + socket.acked.length;

    await waitFor(() => ackedCount() >= 20, 'writes before the outage');
    // A snapshot kept of an unloaded incident may hold an entry purged while the node is deaf.
    const recent = server.rooms.recentSnapshots;
    recent.keep('kept-before-the-outage', { seq: 1, parts: [new Uint8Array(8)] });
    await stopDatabase();
    await waitFor(() => refused.includes('storage.unavailable'), 'an HTTP write refused with 503');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: 'storage.unavailable' } });
    // The socket writer is told, and its socket closed so that it resends once it reconnects.
    await waitFor(() => toldToRetry(socket), 'a nack and a close with 1013 for the socket writer');

    // Reads go on from memory: a new client connects and gets the whole document.
    const during = connectProvider(server.url, incident, token);
    await synced(during);
    expect(entriesMap(during.doc).size).toBe(entriesMap(reader.doc).size);
    during.destroy();
    // So does the brief, without what only the database knows (past incidents: "seen before").
    const { brief } = await api.brief(incident);
    expect([brief.seenBefore, brief.rejectedBefore]).toEqual([[], []]);

    await startDatabase();
    const resumedFrom = ackedCount();
    await waitFor(() => ackedCount() >= resumedFrom + 10, 'writes to resume', 30_000);
    await waitFor(
      () => !recent.get('kept-before-the-outage'),
      'what was kept to go as purges are heard again',
    );
    running = false;
    await Promise.all([httpWriter, socketWriter]);
    for (const id of socket.acked) acked.add(id);

    // Nothing acknowledged is missing, and what is stored is exactly what the document holds.
    const stored = new Set((await api.listEntries(incident, { limit: 5000 })).entries.map((e) => e.id));
    for (const id of acked) expect(stored.has(id), `acked entry ${id}`).toBe(true);
    const room = await server.rooms.open(incident);
    expect(new Set(entriesMap(room.doc).keys())).toEqual(stored);
    await waitFor(() => entriesMap(reader.doc).size === stored.size, 'the reader to converge');
    reader.destroy();
  }, 120_000);

  it('answers an append only once its commit is durable, and refuses it when the database goes away mid-commit', async () => {
    const incident = (await api.createIncident({ title: 'mid-commit' })).incident.id;
    await api.appendEntries(incident, { entries: [makeEntry('note', { body: 'loads the incident' })] });
    await settle(server, incident);
    const socket = await ackingSocket(incident);

    // Another session holds the incident's row lock, so the next commit (which takes it to number
    // the log rows) waits inside the database, past every lookup the request makes before it.
    const { default: postgres } = await import('postgres');
    const url = storage.databaseUrl ?? '';
    const [locker, watcher] = [
      postgres(url, { max: 1, onnotice: () => {} }),
      postgres(url, { max: 1, onnotice: () => {} }),
    ];
    // Ended however the test ends: a lock left held would hang the server's close, and the cleanup.
    onTestFinished(() =>
      Promise.all([locker.end({ timeout: 0 }), watcher.end({ timeout: 0 })]).then(() => {}),
    );
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const lock = locker
      .begin(async (tx) => {
        await tx`select 1 from incidents where id = ${incident} for update`;
        locked();
        await new Promise(() => {}); // held until the database goes away
      })
      .catch(() => {});
    await lockTaken;

    const entry = makeEntry('finding', { body: 'written while its commit waits' });
    let answer: { ok: true } | { ok: false; err: unknown } | null = null;
    const append = api.appendEntries(incident, { entries: [entry] }).then(
      () => (answer = { ok: true }),
      (err: unknown) => (answer = { ok: false, err }),
    );
    // The append (it numbers the log rows from last_seq) is the one waiting: other statements on
    // the incident's row (the meta mirror a load repairs, the search indexer's pass taking it FOR
    // KEY SHARE) may wait beside it.
    const waiting = async () =>
      (
        await watcher<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like '%set last_seq = last_seq +%'`
      )[0]?.n;
    await waitFor(async () => (await waiting()) === 1, 'the commit to wait on the lock');
    expect(answer, 'answered before its commit').toBeNull();
    socket.send(makeEntry('finding', { body: 'sent over the socket meanwhile' })); // queued behind it

    await stopDatabase();
    await append;
    expect(answer).toMatchObject({ ok: false, err: { code: 'storage.unavailable' } });
    await waitFor(() => toldToRetry(socket), 'a nack and a close with 1013 for the socket writer');
    await lock;

    // Nothing was written; the same append succeeds once the database is back.
    await startDatabase();
    await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 200, 'the database back');
    expect((await api.listEntries(incident)).entries.map((e) => e.id)).not.toContain(entry.id);
    expect((await api.appendEntries(incident, { entries: [entry] })).entries).toEqual([
      { id: entry.id, seq: expect.any(Number), created: true },
    ]);
  }, 120_000);
});
