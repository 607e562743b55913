// Fuzz: 20,000 seeded random and mutated frames against a live server. Valid updates with bit
// flips, truncated messages, wrong message types, huge lengths, garbage awareness and state
// vectors. Afterwards the server answers, other clients still sync, and what is stored is
// consistent: every entry passes its schema, the projection equals the document, and replaying
// the log gives the same document. Reproducible: FUZZ_SEED picks the seed.
import {
  Entry,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  ROOTS,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  encodeSyncUpdate,
  entriesMap,
} from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { prng } from '../support/random.js';
import { type Fixture, settle, startFixture, waitFor } from '../support/server.js';

const FRAMES = 20_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

let t: Fixture;
let incident: string;

beforeAll(async () => {
  // Every frame is followed by a query-awareness probe: pacing would make 20,000 of them take hours.
  t = await startFixture('pglite', { SITREP_SYNC_REQUESTS_PER_MINUTE: '1000000' });
  incident = (await t.api.createIncident({ title: 'fuzz target' })).incident.id;
});
afterAll(async () => {
  await t.close();
});

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

describe('fuzzed frames', () => {
  it(`survives ${FRAMES} random and mutated frames (seed ${SEED})`, async () => {
    const rnd = prng(SEED);
    const bytes = rnd.bytes;
    /** A valid update: a new entry, a meta change, or a write to a root that does not exist. */
    const validUpdate = () => {
      const doc = new Y.Doc();
      const pick = rnd.int(4);
      if (pick === 0)
        doc.getMap('meta').set('status', ['investigating', 'mitigating', 'resolved'][rnd.int(3)]);
      else if (pick === 1) doc.getText('notes').insert(0, 'x');
      else {
        const e = makeEntry(rnd.next() < 0.5 ? 'finding' : 'note', { body: `fuzz ${rnd.int(1e9)}` });
        entriesMap(doc).set(e.id, e);
      }
      return Y.encodeStateAsUpdate(doc);
    };
    const makers: (() => Uint8Array)[] = [
      () => encodeSyncUpdate(validUpdate()),
      () => {
        const f = encodeSyncUpdate(validUpdate());
        for (let i = 0; i < 1 + rnd.int(3); i++) {
          const at = rnd.int(f.length);
          f[at] = (f[at] ?? 0) ^ (1 << rnd.int(8));
        }
        return f;
      },
      () => {
        const f = encodeSyncUpdate(validUpdate());
        return f.slice(0, rnd.int(f.length));
      },
      () => bytes(1 + rnd.int(64)),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, 4 + rnd.int(250)), encoding.writeVarUint8Array(e, bytes(rnd.int(16)))
          ),
        ),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, MESSAGE_SYNC),
            encoding.writeVarUint(e, 3 + rnd.int(100)),
            encoding.writeVarUint8Array(e, bytes(8))
          ),
        ),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, MESSAGE_SYNC),
            encoding.writeVarUint(e, SYNC_UPDATE),
            encoding.writeVarUint(e, 2 ** 31 + rnd.int(2 ** 20))
          ),
        ),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, MESSAGE_SYNC),
            encoding.writeVarUint(e, SYNC_STEP2),
            encoding.writeVarUint8Array(e, bytes(rnd.int(40)))
          ),
        ),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, MESSAGE_SYNC),
            encoding.writeVarUint(e, SYNC_STEP1),
            encoding.writeVarUint8Array(e, bytes(rnd.int(40)))
          ),
        ),
      () =>
        frame(
          (e) => (
            encoding.writeVarUint(e, MESSAGE_AWARENESS), encoding.writeVarUint8Array(e, bytes(rnd.int(40)))
          ),
        ),
    ];

    const watcher = connectProvider(t.server.url, incident, t.token);
    await synced(watcher);
    const url = `${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${t.token}`;
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.on('open', () => resolve(ws));
        ws.on('error', reject);
      });
    let ws = await open();
    let closes = 0;
    let answered = 0;
    /** Sends a frame, then a query-awareness probe: the t.server has handled the frame once the
     * probe is answered (the socket lives) or the socket closes (the frame was refused). */
    const roundTrip = (w: WebSocket, f: Uint8Array) =>
      new Promise<'answered' | 'closed'>((resolve) => {
        const done = (how: 'answered' | 'closed') => {
          w.off('message', onMessage);
          w.off('close', onClose);
          resolve(how);
        };
        const onMessage = (d: Buffer) => d[0] === MESSAGE_AWARENESS && done('answered');
        const onClose = () => done('closed');
        w.on('message', onMessage);
        w.on('close', onClose);
        w.send(f);
        w.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]));
      });
    for (let sent = 0; sent < FRAMES; sent++) {
      if (ws.readyState !== WebSocket.OPEN) ws = await open();
      const f = makers[rnd.int(makers.length)]?.() ?? new Uint8Array();
      if ((await roundTrip(ws, f)) === 'closed') closes++;
      else answered++;
    }
    ws.close();

    // The t.server answers and other clients are unaffected.
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    const marker = makeEntry('note', { body: 'after the fuzz' });
    await t.api.appendEntries(incident, { entries: [marker] });
    await waitFor(
      () => entriesMap(watcher.doc).has(marker.id),
      'the watcher to see a write after the fuzz',
      60_000,
    );
    watcher.destroy();
    expect(closes + answered).toBe(FRAMES);
    expect(closes).toBeGreaterThan(FRAMES / 4);
    expect(answered).toBeGreaterThan(FRAMES / 4);

    // What is stored is consistent: schema, projection, and a replay of the log. The projection is
    // asked for before the replay holds this process's event loop (the server's too) for seconds:
    // after it, the keep-alive connection the client would reuse could be closed by the server's
    // timer in the same moment, a race of one process that no real client has.
    await settle(t.server, incident);
    const projected = (await t.api.listEntries(incident, { limit: 5000 })).entries;
    const replay = new Y.Doc();
    for (const row of await t.server.store.readLog(incident)) Y.applyUpdate(replay, row.bytes);
    expect([...replay.share.keys()].every((k) => (ROOTS as readonly string[]).includes(k))).toBe(true);
    const docEntries = [...entriesMap(replay).values()];
    for (const e of docEntries) expect(Entry.safeParse(e).success).toBe(true);
    expect(projected.map((e) => e.id).sort()).toEqual(docEntries.map((e) => e.id).sort());
    const live = (await t.server.rooms.open(incident)).doc;
    expect(Y.encodeStateVector(replay)).toEqual(Y.encodeStateVector(live));
    expect(entriesMap(live).toJSON()).toEqual(entriesMap(replay).toJSON());
  }, 300_000);
});
