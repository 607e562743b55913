// Stock y-websocket providers against a real server, on PGlite and on a real Postgres 15.
import {
  ApiClient,
  type Entry,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  encodeAwareness,
  entriesMap,
} from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import type { RunningServer } from '../../server/src/main.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import {
  BACKENDS,
  type TestStorage,
  adminToken,
  settle,
  startTestServer,
  testStorage,
  waitFor,
} from '../support/server.js';

/**
 * Sync requests answered at once: the test of a socket that does not read asks for the whole
 * document until it is dropped (syncRequests.test.ts covers the pacing).
 */
const ENV = { SITREP_SYNC_REQUESTS_PER_MINUTE: '6000' };

describe.each(BACKENDS)('sync on %s', (backend) => {
  let storage: TestStorage;
  let server: RunningServer;
  let api: ApiClient;
  let token: string;
  const providers: WebsocketProvider[] = [];
  const connect = (incident: string) => {
    const p = connectProvider(server.url, incident, token);
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    storage = await testStorage(backend);
    server = await startTestServer(storage, 0, ENV);
    token = adminToken(server);
    api = new ApiClient(server.url, { token });
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await server.close();
    await storage.remove();
  });

  const newIncident = async () => (await api.createIncident({ title: `sync on ${backend}` })).incident.id;
  /** A bare socket on the incident, with every frame it has received. */
  const rawSocket = async (id: string, as = token) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${id}?token=${as}`);
    const frames: Uint8Array[] = [];
    ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
    await new Promise((r) => ws.on('open', r));
    await waitFor(() => frames.length > 0, 'the handshake');
    return { ws, frames };
  };

  it('two stock providers converge on each other’s entries', async () => {
    const id = await newIncident();
    const a = connect(id);
    const b = connect(id);
    await Promise.all([synced(a), synced(b)]);
    const fromA = makeEntry('finding');
    const fromB = makeEntry('theory', { title: 'DNS is flaky' });
    entriesMap(a.doc).set(fromA.id, fromA);
    entriesMap(b.doc).set(fromB.id, fromB);
    await waitFor(() => entriesMap(a.doc).has(fromB.id) && entriesMap(b.doc).has(fromA.id), 'convergence');
    expect(entriesMap(a.doc).toJSON()).toEqual(entriesMap(b.doc).toJSON());
    const stored = await waitFor(async () => {
      const { entries } = await api.listEntries(id);
      return entries.length === 2 ? entries : null;
    }, 'the projection');
    expect(stored.map((e) => e.id).sort()).toEqual([fromA.id, fromB.id].sort());
  });

  it('an HTTP append appears in a connected provider', async () => {
    const id = await newIncident();
    const p = connect(id);
    await synced(p);
    const entry = makeEntry('decision', { title: 'roll back', rationale: 'fastest fix' });
    const res = await api.appendEntries(id, { entries: [entry] });
    expect(res.entries).toEqual([{ id: entry.id, seq: expect.any(Number), created: true }]);
    await waitFor(() => entriesMap(p.doc).get(entry.id), 'the appended entry');
    expect(entriesMap(p.doc).get(entry.id)).toEqual(entry);
  });

  it('appends are idempotent by entry id', async () => {
    const id = await newIncident();
    const entry = makeEntry();
    const twice = makeEntry();
    expect((await api.appendEntries(id, { entries: [twice, twice] })).entries.map((e) => e.created)).toEqual([
      true,
      false,
    ]);
    const first = await api.appendEntries(id, { entries: [entry] });
    await settle(server, id);
    const seq = (await api.getIncident(id)).incident.lastSeq;
    const again = await api.appendEntries(id, { entries: [entry, entry] });
    expect(first.entries[0]?.created).toBe(true);
    expect(again.entries.map((e) => e.created)).toEqual([false, false]);
    expect((await api.listEntries(id)).entries).toHaveLength(2);
    await settle(server, id);
    expect((await api.getIncident(id)).incident.lastSeq).toBe(seq);
  });

  it('lists entries with kind, author, since and after filters', async () => {
    const id = await newIncident();
    const t0 = '2026-11-24T10:00:00.000Z';
    const t1 = '2026-11-24T11:00:00.000Z';
    const ana = { id: 'ana', name: 'Ana', kind: 'human' } as const;
    const early = makeEntry('finding', { at: t0, author: ana });
    const late = makeEntry('theory', { at: t1, title: 'disk full' });
    const other = makeEntry('finding', { at: t1 });
    await api.appendEntries(id, { entries: [early, late, other] });
    const ids = async (q: Parameters<ApiClient['listEntries']>[1]) =>
      (await api.listEntries(id, q)).entries.map((e) => e.id);
    expect(await ids({ kind: 'finding' })).toEqual([early.id, other.id]);
    expect(await ids({ author: 'ana' })).toEqual([early.id]);
    expect(await ids({ since: t1 })).toEqual([late.id, other.id]);
    expect(await ids({ after: early.id, limit: 1 })).toEqual([late.id]);
  });

  it('answers query-awareness with the current presence', async () => {
    const id = await newIncident();
    const a = connect(id);
    await synced(a);
    a.awareness.setLocalStateField('user', { name: 'Ana', kind: 'human', role: 'commander' });
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${id}?token=${token}`);
    const frames: Uint8Array[] = [];
    ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
    await new Promise((r) => ws.on('open', r));
    await waitFor(() => frames.length > 0, 'the handshake');
    frames.length = 0;
    ws.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]));
    const reply = await waitFor(() => frames.find((f) => f[0] === MESSAGE_AWARENESS), 'an awareness reply');
    expect(Buffer.from(reply).toString()).toContain('Ana');
    ws.close();
  });

  it('carries presence between providers', async () => {
    const id = await newIncident();
    const a = connect(id);
    const b = connect(id);
    await Promise.all([synced(a), synced(b)]);
    a.awareness.setLocalStateField('user', {
      name: 'Ana',
      kind: 'human',
      role: 'commander',
      focus: 'theories',
    });
    await waitFor(() => b.awareness.getStates().get(a.awareness.clientID), 'presence');
    expect(b.awareness.getStates().get(a.awareness.clientID)).toMatchObject({ user: { name: 'Ana' } });
    a.destroy();
    await waitFor(() => !b.awareness.getStates().has(a.awareness.clientID), 'presence removed on leave');
  });

  it("keeps each presence to the socket that set it from another token's, and stock providers echoing others are not refused", async () => {
    const id = await newIncident();
    const [a, b] = [connect(id), connect(id)];
    await Promise.all([synced(a), synced(b)]);
    a.awareness.setLocalStateField('user', { name: 'Ana', focus: 'theories' });
    await waitFor(() => b.awareness.getStates().get(a.awareness.clientID), 'presence');
    // Another token's socket (one of the same token may take a presence over: presence.test.ts).
    const mallory = (await api.createToken({ role: 'responder', label: 'mallory' })).token;
    const { ws, frames } = await rawSocket(id, mallory);
    const denied = () => frames.filter((f) => f[0] === MESSAGE_AUTH).length;
    const forged = (client: number) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, 1_000_000);
      encoding.writeVarString(e, JSON.stringify({ user: { name: 'Ana', focus: 'rejecting every theory' } }));
      return encodeAwareness(encoding.toUint8Array(e));
    };
    ws.send(forged(a.awareness.clientID));
    await waitFor(() => denied() === 1, 'the forged presence refused');
    // One socket may hold a few presences of its own, not thousands.
    for (let c = 1; c <= 9; c++) ws.send(forged(1_000 + c));
    await waitFor(() => denied() === 2, 'the ninth presence refused');
    a.awareness.setLocalStateField('user', { name: 'Ana', focus: 'rollback' });
    await waitFor(
      () =>
        (b.awareness.getStates().get(a.awareness.clientID) as { user?: { focus?: string } })?.user?.focus ===
        'rollback',
      'the real update',
    );
    expect(a.awareness.getLocalState()).toMatchObject({ user: { focus: 'rollback' } });
    expect(denied()).toBe(2);
    ws.close();
  });

  it('drops a socket that does not read what it is sent, however little it sends', async () => {
    const id = await newIncident();
    const body = 'pool exhausted on checkout-db '.repeat(130); // about 4 KB
    for (let i = 0; i < 4; i++)
      await api.appendEntries(id, {
        entries: Array.from({ length: 250 }, () => makeEntry('finding', { body })),
      });
    const { ws } = await rawSocket(id);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const socket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const step1 = new Uint8Array([MESSAGE_SYNC, SYNC_STEP1, 1, 0]); // an empty state vector: the whole document, 4 MB
    const room = await server.rooms.open(id);
    // It keeps asking (asks sent at once are paced and merged into one held request, and the
    // kernel's buffers absorb a few answers), so ask again until the server drops it, at most 100 times.
    for (let i = 0; i < 100 && !room.idleFor(0); i++) {
      ws.send(step1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The server drops it: nothing holds the room any more (the client, not reading, cannot tell).
    await waitFor(() => room.idleFor(0), 'the server to drop the socket');
    socket.resume();
    expect(await closed).toBe(1006); // dropped, not closed politely: it would not have read a close frame
    const reader = connect(id);
    await synced(reader);
    expect(entriesMap(reader.doc).size).toBe(1000);
  });

  it('keeps every entry across a restart, and a provider reconnects and writes again', async () => {
    const id = await newIncident();
    const p = connect(id);
    await synced(p);
    const before: Entry[] = [makeEntry('finding'), makeEntry('gap', { title: 'unknown blast radius' })];
    for (const e of before) entriesMap(p.doc).set(e.id, e);
    await api.appendEntries(id, { entries: [makeEntry('note')] });
    await waitFor(async () => (await api.listEntries(id)).entries.length === 3, 'durable writes');
    const port = server.port;
    await server.close();
    server = await startTestServer(storage, port, ENV);
    expect(server.bootstrap).toBeNull();
    api = new ApiClient(server.url, { token });
    expect((await api.listEntries(id)).entries).toHaveLength(3);

    await waitFor(() => p.wsconnected, 'the provider to reconnect', 20_000);
    const after = makeEntry('finding', { body: 'written after the restart' });
    entriesMap(p.doc).set(after.id, after);
    await waitFor(
      async () => (await api.listEntries(id)).entries.some((e) => e.id === after.id),
      'a write after restart',
    );

    const fresh = connect(id);
    await synced(fresh);
    expect(entriesMap(fresh.doc).size).toBe(4);
  });
});
