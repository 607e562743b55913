// Durable acks for clients that ask for them (`?acks=1`), and silence for those that do not.
import { entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MESSAGE_SITREP_ACK, decodeAck, encodeSyncUpdate } from '../../server/src/sync/protocol.js';
import { makeEntry } from '../support/clients.js';
import { type Fixture, waitFor, startFixture } from '../support/server.js';

let t: Fixture;
let incident: string;

beforeAll(async () => {
  t = await startFixture('pglite');
  incident = (await t.api.createIncident({ title: 'acks' })).incident.id;
});
afterAll(async () => {
  await t.close();
});

async function socket(query: string) {
  const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${t.token}${query}`);
  const frames: Uint8Array[] = [];
  ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
  await new Promise((r) => ws.on('open', r));
  return { ws, frames, acks: () => frames.filter((f) => f[0] === MESSAGE_SITREP_ACK).map(decodeAck) };
}

const entryUpdate = () => {
  const doc = new Y.Doc();
  const e = makeEntry('finding');
  entriesMap(doc).set(e.id, e);
  return Y.encodeStateAsUpdate(doc);
};

describe('acks', () => {
  it('acks each update with the sequence number that made it durable, and nacks a refusal', async () => {
    const { ws, acks } = await socket('&acks=1');
    const first = entryUpdate();
    ws.send(encodeSyncUpdate(first));
    const [ack] = await waitFor(() => (acks().length === 1 ? acks() : null), 'the first ack');
    const row = (await t.server.store.readLog(incident)).find((r) => Buffer.compare(r.bytes, first) === 0);
    expect(ack).toEqual({ ref: 0, ok: true, seq: row?.seq });

    ws.send(encodeSyncUpdate(first)); // a resend: nothing new
    const notes = new Y.Doc();
    notes.getText('notes').insert(0, 'x');
    ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(notes)));
    ws.send(encodeSyncUpdate(entryUpdate()));
    const all = await waitFor(() => (acks().length === 4 ? acks() : null), 'four acks');
    const byRef = new Map(all.map((a) => [a.ref, a]));
    expect(byRef.get(1)).toEqual({ ref: 1, ok: true, seq: 0 });
    expect(byRef.get(2)).toMatchObject({ ref: 2, ok: false, reason: expect.stringContaining('gate.unknown_root') });
    expect(byRef.get(3)).toMatchObject({ ref: 3, ok: true });
    ws.close();
  });

  it('sends no ack message to a client that did not ask', async () => {
    const { ws, frames } = await socket('');
    ws.send(encodeSyncUpdate(entryUpdate()));
    const notes = new Y.Doc();
    notes.getText('notes').insert(0, 'x');
    ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(notes)));
    await waitFor(() => frames.some((f) => f[0] === 2), 'the permission-denied for the refused write');
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.every((f) => [0, 1, 2].includes(f[0] ?? -1))).toBe(true);
    ws.close();
  });

  it('counts accepted and refused updates, commits and connections in /metrics', async () => {
    const res = await fetch(`${t.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('sitrep_updates_accepted_total')).toBeGreaterThanOrEqual(2);
    expect(value('sitrep_updates_rejected_total\\{code="gate.unknown_root"\\}')).toBeGreaterThanOrEqual(2);
    expect(value('sitrep_log_rows_total')).toBeGreaterThanOrEqual(2);
    expect(value('sitrep_loaded_documents')).toBe(1);
    expect(text).toContain('sitrep_commit_seconds_bucket');
    expect(value('sitrep_document_load_seconds_count\\{outcome="ok"\\}')).toBe(1);
    expect(value('sitrep_view_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^sitrep_connections \d+$/m);
  });
});
