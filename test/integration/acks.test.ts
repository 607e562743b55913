// Durable acks for clients that ask for them (`?acks=1`), in the bytes the README documents, and
// silence for those that do not. Frames are built and read here with lib0 and y-protocols, as a
// client in another code base would, not with the server's own protocol module.
import { entriesMap } from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { makeEntry } from '../support/clients.js';
import { type Fixture, settle, startFixture, waitFor } from '../support/server.js';

/** The README's message type for acks and nacks (y-websocket's own types are 0-3). */
const ACK_MESSAGE = 100;
const MESSAGE_SYNC = 0;

let t: Fixture;

beforeAll(async () => {
  t = await startFixture('pglite');
});
afterAll(async () => {
  await t.close();
});

const newIncident = async (title: string) => (await t.api.createIncident({ title })).incident.id;

/** A y-websocket sync message: an update, or step 1 with the state vector of `doc`. */
const syncUpdate = (update: Uint8Array) =>
  encoding.encode((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), syncProtocol.writeUpdate(e, update)));
const syncStep1 = (doc: Y.Doc) =>
  encoding.encode((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), syncProtocol.writeSyncStep1(e, doc)));

type Ack = { n: number; ok: true; seq: number } | { n: number; ok: false; reason: string };

/** Reads an ack frame as the README describes it: [100, 0, n, seq] or [100, 1, n, reason]. */
function readAck(frame: Uint8Array): Ack {
  const d = decoding.createDecoder(frame);
  expect(decoding.readVarUint(d)).toBe(ACK_MESSAGE);
  const kind = decoding.readVarUint(d);
  const n = decoding.readVarUint(d);
  expect([0, 1]).toContain(kind);
  const ack: Ack =
    kind === 0
      ? { n, ok: true, seq: decoding.readVarUint(d) }
      : { n, ok: false, reason: decoding.readVarString(d) };
  expect(decoding.hasContent(d), 'bytes after the ack').toBe(false);
  return ack;
}

async function socket(incident: string, query: string) {
  const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${t.token}${query}`);
  const frames: Uint8Array[] = [];
  ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
  await new Promise((r) => ws.on('open', r));
  return {
    ws,
    frames,
    acks: () => frames.filter((f) => f[0] === ACK_MESSAGE).map(readAck),
    /**
     * Asks for sync step 2 and waits for it: the server answers a socket's frames in order, so
     * every reply to what was sent before (an ack, a refusal) has arrived once it is here.
     */
    async roundTrip() {
      const step2 = () =>
        frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === syncProtocol.messageYjsSyncStep2).length;
      const before = step2();
      ws.send(syncStep1(new Y.Doc()));
      await waitFor(() => step2() > before, 'sync step 2');
    },
  };
}

const entryUpdate = () => {
  const doc = new Y.Doc();
  const e = makeEntry('finding');
  entriesMap(doc).set(e.id, e);
  return Y.encodeStateAsUpdate(doc);
};

/** A change to a root the document does not have: the gate refuses it (gate.unknown_root). */
const unknownRootUpdate = () => {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, 'x');
  return Y.encodeStateAsUpdate(doc);
};

describe('acks', () => {
  it('sends the documented bytes: [100, 0, n, seq] once durable, [100, 1, n, reason] for a refusal', async () => {
    const incident = await newIncident('ack bytes');
    const { ws, frames } = await socket(incident, '&acks=1');
    const first = entryUpdate();
    ws.send(syncUpdate(first));
    ws.send(syncUpdate(unknownRootUpdate()));
    await waitFor(() => frames.filter((f) => f[0] === ACK_MESSAGE).length === 2, 'an ack and a nack');
    const ackFrame = frames.find((f) => f[0] === ACK_MESSAGE && f[1] === 0) ?? new Uint8Array();
    const nackFrame = frames.find((f) => f[0] === ACK_MESSAGE && f[1] === 1) ?? new Uint8Array();
    const row = (await t.server.store.readLog(incident)).find((r) => Buffer.compare(r.bytes, first) === 0);
    expect(row?.seq).toBeLessThan(128); // one byte as a varuint, so the frame is literally the README's
    expect([...ackFrame]).toEqual([100, 0, 0, row?.seq]);
    expect(readAck(ackFrame)).toEqual({ n: 0, ok: true, seq: row?.seq });
    expect([...nackFrame.subarray(0, 3)]).toEqual([100, 1, 1]);
    expect(readAck(nackFrame)).toEqual({
      n: 1,
      ok: false,
      reason: expect.stringMatching(/^gate\.unknown_root: /),
    });
    ws.close();
  });

  it('acks each update with the sequence number that made it durable, and nacks a refusal', async () => {
    const incident = await newIncident('acks');
    const { ws, acks } = await socket(incident, '&acks=1');
    const first = entryUpdate();
    ws.send(syncUpdate(first));
    const [ack] = await waitFor(() => (acks().length === 1 ? acks() : null), 'the first ack');
    const row = (await t.server.store.readLog(incident)).find((r) => Buffer.compare(r.bytes, first) === 0);
    expect(ack).toEqual({ n: 0, ok: true, seq: row?.seq });

    ws.send(syncUpdate(first)); // a resend: nothing new
    ws.send(syncUpdate(unknownRootUpdate()));
    ws.send(syncUpdate(entryUpdate()));
    const all = await waitFor(() => (acks().length === 4 ? acks() : null), 'four acks');
    const byN = new Map(all.map((a) => [a.n, a]));
    expect(byN.get(1)).toEqual({ n: 1, ok: true, seq: 0 });
    expect(byN.get(2)).toMatchObject({
      n: 2,
      ok: false,
      reason: expect.stringContaining('gate.unknown_root'),
    });
    expect(byN.get(3)).toMatchObject({ n: 3, ok: true, seq: expect.any(Number) });
    ws.close();
  });

  it('sends no ack message to a client that did not ask', async () => {
    const incident = await newIncident('no acks');
    const { ws, frames, roundTrip } = await socket(incident, '');
    const written = entryUpdate();
    ws.send(syncUpdate(written));
    ws.send(syncUpdate(unknownRootUpdate()));
    await waitFor(
      async () =>
        (await t.server.store.readLog(incident)).some((r) => Buffer.compare(r.bytes, written) === 0),
      'the write durable',
    );
    await settle(t.server, incident);
    await roundTrip(); // whatever the server said about both writes has arrived
    expect(frames.some((f) => f[0] === 2)).toBe(true); // the permission-denied for the refused write
    expect(frames.map((f) => f[0]).filter((type) => ![0, 1, 2].includes(type ?? -1))).toEqual([]);
    ws.close();
  });

  it('counts accepted and refused updates, commits and connections in /metrics', async () => {
    const metrics = async () => {
      const res = await fetch(`${t.server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      return {
        text,
        value: (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0),
      };
    };
    const incident = await newIncident('metrics');
    const before = await metrics();
    const { ws, acks } = await socket(incident, '&acks=1');
    ws.send(syncUpdate(entryUpdate()));
    ws.send(syncUpdate(unknownRootUpdate()));
    await waitFor(() => acks().length === 2, 'an ack and a nack');
    const { text, value } = await metrics();
    const grew = (name: string) => value(name) - before.value(name);
    expect(grew('sitrep_updates_accepted_total')).toBeGreaterThanOrEqual(1);
    expect(grew('sitrep_updates_rejected_total\\{code="gate.unknown_root"\\}')).toBe(1);
    expect(grew('sitrep_log_rows_total')).toBeGreaterThanOrEqual(1);
    expect(grew('sitrep_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(grew('sitrep_document_load_seconds_count\\{outcome="ok"\\}')).toBe(1);
    expect(value('sitrep_loaded_documents')).toBeGreaterThanOrEqual(1);
    expect(value('sitrep_connections')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('sitrep_commit_seconds_bucket');
    await settle(t.server, incident);
    expect((await metrics()).value('sitrep_view_seconds_count')).toBeGreaterThan(
      before.value('sitrep_view_seconds_count'),
    );
    ws.close();
  });
});
