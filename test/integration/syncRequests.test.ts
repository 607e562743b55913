// What a sync step 1 costs the node, against a real server on PGlite and Postgres: the full state
// a new client asks for (a 4-byte frame) is encoded once per version of the document and the same
// bytes sent to everyone who asks, a write makes the next answer new, and a socket that floods
// step 1 and query-awareness is answered at a bounded rate while others keep syncing.
import { MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, entriesMap } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SYNC_REQUEST_BURST } from '../../server/src/sync/Connection.js';
import { connectProvider, makeEntry, syncPayload, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

/** Sync step 1 with an empty state vector: "send me everything". */
const STEP1_EMPTY = new Uint8Array([MESSAGE_SYNC, SYNC_STEP1, 1, 0]);
const QUERY_AWARENESS = new Uint8Array([MESSAGE_QUERY_AWARENESS]);
const PER_MINUTE = 120;
const FLOOD = 200;

const isStep2 = (f: Uint8Array) => f[0] === MESSAGE_SYNC && f[1] === SYNC_STEP2;

describe.each(BACKENDS)('sync requests on %s', (backend) => {
  let t: Fixture;
  let viewer: string;
  const providers: WebsocketProvider[] = [];
  const sockets: WebSocket[] = [];
  const connect = (incident: string) => {
    const p = connectProvider(t.server.url, incident, t.token);
    providers.push(p);
    return p;
  };
  /** A bare socket with every frame it has received, once the server's step 1 has come. */
  const rawSocket = async (incident: string, token: string) => {
    const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${token}`);
    sockets.push(ws);
    const frames: Uint8Array[] = [];
    ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
    await waitFor(() => frames.length > 0, "the server's step 1");
    return { ws, frames, step2s: () => frames.filter(isStep2) };
  };
  /** The values of a labelled counter in /metrics, by label value. */
  const counter = async (name: string) => {
    const text = await (await fetch(`${t.server.url}/metrics`)).text();
    const values: Record<string, number> = {};
    for (const m of text.matchAll(new RegExp(`^${name}\\{\\w+="([^"]+)"\\} (\\S+)$`, 'gm')))
      values[m[1] as string] = Number(m[2]);
    return values;
  };
  const grew = (after: Record<string, number>, before: Record<string, number>, key: string) =>
    (after[key] ?? 0) - (before[key] ?? 0);
  /** An incident holding `n` entries, with the server's own writes after them done. */
  const incidentWith = async (n: number) => {
    const id = (await t.api.createIncident({ title: `sync requests on ${backend}` })).incident.id;
    await t.api.appendEntries(id, {
      entries: Array.from({ length: n }, (_, i) => makeEntry('finding', { body: `finding ${i}` })),
    });
    await settle(t.server, id);
    return id;
  };

  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_SYNC_REQUESTS_PER_MINUTE: String(PER_MINUTE) });
    viewer = (await t.api.createToken({ role: 'viewer', label: 'a viewer' })).token;
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
    for (const ws of sockets.splice(0)) ws.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('encodes the full state once per version, however many sockets ask for it', async () => {
    const id = await incidentWith(50);
    const before = await counter('sitrep_sync_replies_total');
    const askers = await Promise.all([1, 2, 3, 4].map(() => rawSocket(id, viewer)));
    for (const s of askers) for (let i = 0; i < 3; i++) s.ws.send(STEP1_EMPTY);
    await waitFor(() => askers.every((s) => s.step2s().length === 3), 'three replies on each socket');
    const after = await counter('sitrep_sync_replies_total');
    expect(['full', 'cached', 'diff'].map((k) => grew(after, before, k))).toEqual([1, 11, 0]);
    const replies = askers.flatMap((s) => s.step2s());
    for (const r of replies) expect(Buffer.from(r).equals(Buffer.from(replies[0] as Uint8Array))).toBe(true);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, syncPayload(replies[0] as Uint8Array));
    expect(entriesMap(doc).size).toBe(50);

    // A state vector that covers only a sliver of the document (or unknown writers) is answered
    // from the same bytes; one that covers it all gets only what it lacks: nothing.
    const [s] = askers;
    const all = Y.decodeStateVector(Y.encodeStateVector(doc));
    const sliver = new Map([...all].map(([client, clock]) => [client, Math.floor(clock / 10)]));
    sliver.set(123456789, 7);
    const partial = step1(sliver);
    const whole = step1(all);
    const mark = await counter('sitrep_sync_replies_total');
    s?.ws.send(partial);
    await waitFor(() => s?.step2s().length === 4, 'the reply to a sliver');
    s?.ws.send(whole);
    await waitFor(() => s?.step2s().length === 5, 'the reply to a whole state vector');
    const end = await counter('sitrep_sync_replies_total');
    expect(['full', 'cached', 'diff'].map((k) => grew(end, mark, k))).toEqual([0, 1, 1]);
    expect(Buffer.from(s?.step2s()[3] as Uint8Array).equals(Buffer.from(replies[0] as Uint8Array))).toBe(
      true,
    );
    // What it lacks is nothing but the delete set.
    expect((s?.step2s()[4] as Uint8Array | undefined)?.byteLength).toBeLessThan(
      (replies[0] as Uint8Array).byteLength / 20,
    );
  });

  it('answers with the new state after each write: stock providers that connect later have every entry', async () => {
    const id = await incidentWith(20);
    const watcher = connect(id);
    await synced(watcher); // its step 1 put this version's full state in the cache
    for (let round = 0; round < 3; round++) {
      const fresh = makeEntry('finding', { body: `round ${round}` });
      await t.api.appendEntries(id, { entries: [fresh] });
      await waitFor(() => entriesMap(watcher.doc).has(fresh.id), 'the watcher to see the write');
      const late = connect(id);
      await synced(late);
      expect([round, entriesMap(late.doc).has(fresh.id), entriesMap(late.doc).size]).toEqual([
        round,
        true,
        21 + round,
      ]);
    }
    const replies = await counter('sitrep_sync_replies_total');
    expect(replies.full).toBeGreaterThanOrEqual(4);
  });

  it('paces a socket that floods step 1 and query-awareness, while another socket keeps syncing', async () => {
    const id = await incidentWith(50);
    const flooder = await rawSocket(id, viewer);
    const heldBefore = await counter('sitrep_sync_requests_held_total');
    const started = performance.now();
    for (let i = 0; i < FLOOD; i++) {
      flooder.ws.send(STEP1_EMPTY);
      flooder.ws.send(QUERY_AWARENESS);
    }
    // Meanwhile a stock provider on the same node syncs and sees a write.
    const good = connect(id);
    await synced(good);
    const fresh = makeEntry('finding', { body: 'written during the flood' });
    await t.api.appendEntries(id, { entries: [fresh] });
    await waitFor(() => entriesMap(good.doc).has(fresh.id), 'the well-behaved provider to see the write');
    expect(entriesMap(good.doc).size).toBe(51);

    // Every request past the burst was held, not answered...
    await waitFor(async () => {
      const held = await counter('sitrep_sync_requests_held_total');
      return (
        grew(held, heldBefore, 'sync-step1') === FLOOD - SYNC_REQUEST_BURST &&
        grew(held, heldBefore, 'query-awareness') === FLOOD - SYNC_REQUEST_BURST
      );
    }, 'the flood to be read');
    const elapsedMs = performance.now() - started;
    const answered = flooder.step2s().length;
    expect(answered).toBeGreaterThanOrEqual(SYNC_REQUEST_BURST);
    expect(answered).toBeLessThanOrEqual(
      SYNC_REQUEST_BURST + Math.ceil((elapsedMs * PER_MINUTE) / 60_000) + 1,
    );
    // ...and the newest held one is answered once the bucket allows, with the state of then.
    await waitFor(() => flooder.step2s().length > SYNC_REQUEST_BURST, 'the held request to be answered');
    const last = new Y.Doc();
    Y.applyUpdate(last, syncPayload(flooder.step2s().at(-1) as Uint8Array));
    expect(entriesMap(last).has(fresh.id)).toBe(true);
  });
});

/** A sync step 1 frame with this state vector. */
function step1(clocks: ReadonlyMap<number, number>): Uint8Array {
  const sv = encoding.createEncoder();
  encoding.writeVarUint(sv, clocks.size);
  for (const [client, clock] of clocks) {
    encoding.writeVarUint(sv, client);
    encoding.writeVarUint(sv, clock);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(sv));
  return encoding.toUint8Array(e);
}
