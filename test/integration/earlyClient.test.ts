// A first client of an incident whose room is not loaded (issue 29), on PGlite and Postgres: it
// is served the stored state (the newest snapshot and the log rows after it as updates, then an
// empty step 2) before the document is built, then joins the room; what it wrote meanwhile lands
// once, before the server's step 1, so the client does not send it again; a stock provider served
// so has every entry when it is synced, writes, and sees later writes. A new client of the loaded
// room is served as stored too (the last snapshot and the updates since), not an encoding. Past
// 4 MiB of state a socket that offers permessage-deflate is sent the snapshot as it is stored,
// deflated (sync/deflatedFrames.ts): a fraction of its bytes on the wire, the same document.
// A reopen reads from memory the newest snapshot the room knew as it unloaded, one it wrote too,
// while storage has none newer (room/RecentSnapshots); nothing is kept while the room is loaded,
// and nothing from before a purge.
import {
  MESSAGE_SITREP_ACK,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  encodeSyncUpdate,
  entriesMap,
} from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { unpackSnapshot } from '../../server/src/store/snapshotCodec.js';
import { connectProvider, makeEntry, syncPayload, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

/** Sync step 1 with an empty state vector: a client that has nothing. */
const STEP1_EMPTY = new Uint8Array([MESSAGE_SYNC, SYNC_STEP1, 1, 0]);
const SNAPSHOT_EVERY = 10;
const ENTRIES = 25;

const syncStep = (f: Uint8Array) => (f[0] === MESSAGE_SYNC ? f[1] : undefined);

describe.each(BACKENDS)('a first client of an unloaded incident (%s)', (backend) => {
  let t: Fixture;
  const providers: WebsocketProvider[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_SNAPSHOT_EVERY: String(SNAPSHOT_EVERY) });
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
    for (const ws of sockets.splice(0)) ws.close();
  });
  afterAll(async () => {
    await t.close();
  });

  /** An incident of ENTRIES one-entry appends (so snapshots and rows after the last), unloaded. */
  const unloadedIncident = async () => {
    const id = (await t.api.createIncident({ title: `early client on ${backend}` })).incident.id;
    for (let i = 0; i < ENTRIES; i++)
      await t.api.appendEntries(id, { entries: [makeEntry('finding', { body: `finding ${i}` })] });
    await settle(t.server, id);
    await t.server.rooms.sweep(0);
    expect(t.server.rooms.loadedRoom(id)).toBeUndefined();
    return id;
  };
  const storedReplies = async () => {
    const text = await (await fetch(`${t.server.url}/metrics`)).text();
    return Number(/^sitrep_sync_replies_total\{answer="stored"\} (\S+)$/m.exec(text)?.[1] ?? 0);
  };
  const entryCount = async (id: string) => (await t.api.listEntries(id, { limit: 500 })).entries.length;

  it('serves the stored state before the build, and what the client wrote meanwhile lands before its step 1', async () => {
    const id = await unloadedIncident();
    const before = await storedReplies();
    const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${id}?token=${t.token}&acks=1`);
    sockets.push(ws);
    const frames: Uint8Array[] = [];
    ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
    const mine = makeEntry('finding', { body: 'written while the incident loads' });
    const write = new Y.Doc();
    let update: Uint8Array | null = null;
    write.on('update', (u: Uint8Array) => {
      update = u;
    });
    entriesMap(write).set(mine.id, mine);
    await new Promise((resolve) => ws.once('open', resolve));
    // Both go before anything is received: the step 1 is answered from storage, the write held.
    ws.send(STEP1_EMPTY);
    ws.send(encodeSyncUpdate(update as unknown as Uint8Array));
    const ackAt = await waitFor(() => {
      const i = frames.findIndex((f) => f[0] === MESSAGE_SITREP_ACK);
      return i >= 0 ? i + 1 : null;
    }, 'the ack of the write');
    const step1At = await waitFor(() => {
      const i = frames.findIndex((f) => syncStep(f) === SYNC_STEP1);
      return i >= 0 ? i + 1 : null;
    }, "the server's step 1");
    expect(step1At).toBeGreaterThan(ackAt);
    expect(await storedReplies()).toBe(before + 1);
    // Updates that make the whole incident as it was stored, then a step 2 that adds nothing.
    const answer = frames.slice(0, ackAt - 1);
    expect(answer.map(syncStep)).toEqual([...answer.slice(1).map(() => SYNC_UPDATE), SYNC_STEP2]);
    const served = new Y.Doc();
    for (const f of answer) Y.applyUpdate(served, syncPayload(f));
    expect(entriesMap(served).size).toBe(ENTRIES);
    expect(await entryCount(id)).toBe(ENTRIES + 1);
  });

  it('gives a stock provider every entry; it writes, and sees what others write after', async () => {
    const id = await unloadedIncident();
    const before = await storedReplies();
    const p = connectProvider(t.server.url, id, t.token);
    providers.push(p);
    await synced(p);
    expect(entriesMap(p.doc).size).toBe(ENTRIES); // every stored entry once synced
    expect(await storedReplies()).toBe(before + 1);
    const mine = makeEntry('finding', { body: 'from the early provider' });
    entriesMap(p.doc).set(mine.id, mine);
    await waitFor(async () => (await entryCount(id)) === ENTRIES + 1, 'its write stored');
    await t.api.appendEntries(id, { entries: [makeEntry('finding', { body: 'over HTTP after' })] });
    await waitFor(() => entriesMap(p.doc).size === ENTRIES + 2, 'a later write at the provider');
  });

  it('reopens from memory the newest snapshot its last session knew, kept at unload: one that session wrote too', async () => {
    const id = await unloadedIncident();
    const newestStored = async () => (await t.server.store.latestSnapshotSeq(id)) ?? 0;
    const before = await newestStored();
    expect(before).toBeGreaterThan(0);
    const reads = vi.spyOn(t.server.store, 'latestSnapshot');
    /** The incident's snapshots read from storage (a load that starts from the kept one reads none). */
    const snapshotReads = () => reads.mock.calls.filter(([of]) => of === id).length;
    try {
      // SNAPSHOT_EVERY more rows: the room (loaded from what its creation kept) writes a newer snapshot.
      for (let i = 0; i < SNAPSHOT_EVERY; i++)
        await t.api.appendEntries(id, { entries: [makeEntry('finding', { body: `after ${i}` })] });
      expect(snapshotReads()).toBe(0);
      await settle(t.server, id);
      await t.server.rooms.sweep(0);
      expect(t.server.rooms.loadedRoom(id)).toBeUndefined();
      const newest = await newestStored();
      expect(newest).toBeGreaterThan(before);
      expect(t.server.rooms.recentSnapshots.get(id)?.seq).toBe(newest);
      const reopened = connectProvider(t.server.url, id, t.token);
      providers.push(reopened);
      await synced(reopened);
      expect(entriesMap(reopened.doc).size).toBe(ENTRIES + SNAPSHOT_EVERY);
      expect(snapshotReads()).toBe(0);
    } finally {
      reads.mockRestore();
    }
  });

  it('holds nothing for a loaded room: its load takes the snapshot kept at unload', async () => {
    const id = await unloadedIncident();
    const recent = t.server.rooms.recentSnapshots;
    const kept = recent.get(id);
    expect(kept?.seq).toBe(await t.server.store.latestSnapshotSeq(id));
    const size = recent.size;
    await t.server.rooms.open(id);
    expect(recent.get(id)).toBeUndefined();
    expect(recent.size).toBe(size - (kept?.parts ?? []).reduce((n, p) => n + p.byteLength, 0));
  });

  it('keeps nothing of a purged entry across an unload: the reopened document lacks it', async () => {
    const id = await unloadedIncident();
    const recent = t.server.rooms.recentSnapshots;
    expect(recent.get(id)).toBeDefined();
    const leak = 'customer Jane Doe of 12 Elm Street was charged twice';
    const bad = makeEntry('finding', { body: leak });
    await t.api.appendEntries(id, { entries: [bad] });
    const { seq: purgedAt } = await t.api.purgeEntry(id, bad.id, 'customer PII');
    expect(recent.get(id)).toBeUndefined();
    await settle(t.server, id);
    await t.server.rooms.sweep(0);
    // Nothing, or a snapshot the room wrote after the purge (its views write rows again).
    const kept = recent.get(id);
    expect(kept === undefined || kept.seq > purgedAt).toBe(true);
    const keptText = kept ? Buffer.from(await unpackSnapshot(kept.parts)).toString('latin1') : '';
    expect(keptText).not.toContain('Jane Doe');
    const reopened = connectProvider(t.server.url, id, t.token);
    providers.push(reopened);
    await synced(reopened);
    expect(entriesMap(reopened.doc).has(bad.id)).toBe(false);
    expect(entriesMap(reopened.doc).size).toBe(ENTRIES);
    expect(Buffer.from(Y.encodeStateAsUpdate(reopened.doc)).toString('latin1')).not.toContain('Jane Doe');
  });

  it('keeps nothing of a room that a purge was heard for while it unloaded', async () => {
    const id = await unloadedIncident();
    const room = await t.server.rooms.open(id);
    await settle(t.server, id);
    // Another node's purge announced between the room leaving the registry and keeping its snapshot.
    const newest = room.newestSnapshot.bind(room);
    const spy = vi.spyOn(room, 'newestSnapshot').mockImplementation(async () => {
      t.server.rooms.purged(id);
      return newest();
    });
    try {
      await t.server.rooms.sweep(0);
      expect(spy).toHaveBeenCalled();
      expect(t.server.rooms.recentSnapshots.get(id)).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('serves a new client of the loaded room as stored: synced with every entry, written since the snapshot too', async () => {
    const id = await unloadedIncident();
    const first = connectProvider(t.server.url, id, t.token);
    providers.push(first);
    await synced(first);
    // Past GEOMETRIC_FROM_BYTES of state (where the stored state is served), then rows after the
    // last snapshot, and one more written while the next client asks.
    const large = Array.from({ length: 35 * SNAPSHOT_EVERY }, (_, i) =>
      makeEntry('finding', { body: `${i} ${'kept '.repeat(3_200)}` }),
    );
    for (let i = 0; i < large.length; i += 10)
      await t.api.appendEntries(id, { entries: large.slice(i, i + 10) });
    const later = Array.from({ length: 3 }, (_, i) => makeEntry('finding', { body: `later ${i}` }));
    for (const e of later) await t.api.appendEntries(id, { entries: [e] });
    await waitFor(
      async () => (await t.server.rooms.loadedRoom(id)?.storedState()) ?? null,
      'a large snapshot',
    );
    const before = await storedReplies();
    const second = connectProvider(t.server.url, id, t.token);
    providers.push(second);
    const writing = t.api.appendEntries(id, { entries: [makeEntry('finding', { body: 'meanwhile' })] });
    await synced(second);
    await writing;
    expect(await storedReplies()).toBe(before + 1);
    await waitFor(
      () => entriesMap(second.doc).size === ENTRIES + large.length + later.length + 1,
      'the write meanwhile too',
    );
    const at = (p: WebsocketProvider) => [...entriesMap(p.doc).keys()].sort();
    expect(at(second)).toEqual(at(first));
  });
  it('sends a first client of a large incident the snapshot as stored, deflated, and one that offers no deflate the state', async () => {
    const id = (await t.api.createIncident({ title: `large early client on ${backend}` })).incident.id;
    // Past GEOMETRIC_FROM_BYTES (4 MiB) of state, snapshots every SNAPSHOT_EVERY rows, rows after the last.
    const large = Array.from({ length: 35 * SNAPSHOT_EVERY + 3 }, (_, i) =>
      makeEntry('finding', { body: `${i} ${'stored '.repeat(2_300)}` }),
    );
    for (let i = 0; i < large.length; i += 10)
      await t.api.appendEntries(id, { entries: large.slice(i, i + 10) });
    await settle(t.server, id);
    const state = Y.encodeStateAsUpdate(t.server.rooms.loadedRoom(id)?.doc ?? new Y.Doc()).byteLength;
    await waitFor(
      async () => ((await t.server.store.latestSnapshot(id))?.state.byteLength ?? 0) > 4 * 1024 * 1024,
      'a snapshot past 4 MiB',
    );
    /** A first client of the unloaded incident: the bytes it read off its socket and the document it was served. */
    const unloaded = () =>
      waitFor(
        async () => (await t.server.rooms.sweep(0), !t.server.rooms.loadedRoom(id)) || null,
        'unloaded',
      );
    const firstClient = async (perMessageDeflate: boolean) => {
      await unloaded();
      const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${id}?token=${t.token}`, {
        perMessageDeflate,
      });
      sockets.push(ws);
      const upgraded = new Promise<IncomingMessage>((resolve) => ws.once('upgrade', resolve));
      const frames: Uint8Array[] = [];
      let done = false; // the reply ends with a step 2; what the room sends after it is not kept
      const step2 = new Promise<void>((resolve) =>
        ws.on('message', (d: Buffer) => {
          if (done) return;
          frames.push(new Uint8Array(d));
          if (syncStep(frames.at(-1) as Uint8Array) !== SYNC_STEP2) return;
          done = true;
          resolve();
        }),
      );
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(STEP1_EMPTY);
      await step2;
      // A client whose step 1 came after the build is answered by the room, after its step 1.
      const served = new Y.Doc();
      for (const f of frames.filter((f) => syncStep(f) === SYNC_UPDATE || syncStep(f) === SYNC_STEP2))
        Y.applyUpdate(served, syncPayload(f));
      const read = (await upgraded).socket.bytesRead;
      ws.close();
      return { read, extensions: ws.extensions, entries: [...entriesMap(served).keys()].sort() };
    };
    const want = large.map((e) => e.id).sort();
    const deflated = await firstClient(true);
    expect(deflated.extensions).toContain('permessage-deflate');
    expect(deflated.entries).toEqual(want);
    expect(deflated.read).toBeLessThan(state / 2); // the rows after the snapshot go as they are
    const plain = await firstClient(false);
    expect(plain.extensions).toBe('');
    expect(plain.entries).toEqual(want);
    expect(plain.read).toBeGreaterThan(state);
    // A stock provider (which offers permessage-deflate through ws) is synced with every entry.
    await unloaded();
    const p = connectProvider(t.server.url, id, t.token);
    providers.push(p);
    await synced(p);
    expect([...entriesMap(p.doc).keys()].sort()).toEqual(want);
  });
});
