// Yjs client ids belong to the writer that first used them: a token cannot add changes under
// another token's client id or the server's (which would make the owner's next writes look like
// resends and vanish), on both storages, across a restart.
import { encodeSyncUpdate, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  collectProviderWarnings,
  connectProvider,
  makeEntry,
  sendForAck,
  synced,
  updateUnder,
} from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

describe.each(BACKENDS)('client ids on %s', (backend) => {
  let t: Fixture;
  let incident: string;
  let alice: string;
  let bob: string;
  const providers: WebsocketProvider[] = [];
  collectProviderWarnings();

  beforeAll(async () => {
    t = await startFixture(backend);
    incident = (await t.api.createIncident({ title: `client ids on ${backend}` })).incident.id;
    alice = (await t.api.createToken({ role: 'responder', label: 'alice' })).token;
    bob = (await t.api.createToken({ role: 'responder', label: 'bob' })).token;
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await t.close();
  });

  const connect = async (token: string) => {
    const p = connectProvider(t.server.url, incident, token);
    providers.push(p);
    await synced(p);
    return p;
  };

  /** Bob's update adding one entry under `client`'s next clock, built on the server's state. */
  async function forgeUnder(client: number) {
    const seen = await connect(bob);
    const entry = makeEntry('finding', { body: 'written under someone else’s client id' });
    return { entry, update: updateUnder(seen.doc, client, (doc) => entriesMap(doc).set(entry.id, entry)) };
  }

  const sendAsBob = (update: Uint8Array) => sendForAck(t.server.url, incident, bob, update);

  const stored = async () =>
    new Set((await t.api.listEntries(incident, { limit: 500 })).entries.map((e) => e.id));

  it('refuses changes under another token’s client id, and the owner’s next write still lands', async () => {
    const a = await connect(alice);
    const first = makeEntry('finding', { body: 'alice 1' });
    entriesMap(a.doc).set(first.id, first);
    await waitFor(async () => (await stored()).has(first.id), 'alice’s first entry');

    const { entry: forged, update } = await forgeUnder(a.doc.clientID);
    expect(await sendAsBob(update)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('gate.client'),
    });

    const second = makeEntry('finding', { body: 'alice 2' });
    entriesMap(a.doc).set(second.id, second);
    await waitFor(async () => (await stored()).has(second.id), 'alice’s second entry');
    const reader = await connect(t.token);
    await waitFor(() => entriesMap(reader.doc).has(second.id), 'a reader to see it');
    expect(entriesMap(reader.doc).has(forged.id)).toBe(false);
    expect((await stored()).has(forged.id)).toBe(false);

    // Bob's own client id is his: the same entry from a document of his own lands.
    const own = new Y.Doc();
    entriesMap(own).set(forged.id, forged);
    expect(await sendAsBob(Y.encodeStateAsUpdate(own))).toMatchObject({ ok: true });
  });

  it('closes the refused socket with 1013 (try again), so a client that reached a lagging node resyncs', async () => {
    const a = await connect(alice);
    const first = makeEntry('finding', { body: 'alice, owner' });
    entriesMap(a.doc).set(first.id, first);
    await waitFor(async () => (await stored()).has(first.id), 'alice’s entry');
    const { update } = await forgeUnder(a.doc.clientID);
    const ws = new WebSocket(`${t.server.url.replace(/^http/, 'ws')}/yjs/${incident}?token=${bob}`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      setTimeout(() => resolve({ code: 0, reason: 'still open after 5 s' }), 5_000);
    });
    ws.on('open', () => ws.send(encodeSyncUpdate(update)));
    expect(await closed).toEqual({ code: 1013, reason: expect.stringContaining('gate.client') });
    ws.close();
  });

  it('refuses changes under the server’s client id', async () => {
    const appended = makeEntry('note', { body: 'by HTTP' });
    await t.api.appendEntries(incident, { entries: [appended] });
    const reader = await connect(t.token);
    const serverClient = entriesMap(reader.doc)._map.get(appended.id)?.id.client ?? -1;
    const { update } = await forgeUnder(serverClient);
    expect(await sendAsBob(update)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('gate.client'),
    });
    // The server's next append under that id still lands.
    const next = makeEntry('note', { body: 'by HTTP again' });
    await t.api.appendEntries(incident, { entries: [next] });
    await waitFor(() => entriesMap(reader.doc).has(next.id), 'the next HTTP entry');
  });

  it('fills none of another writer’s clocks when it refuses a write for something else', async () => {
    const a = await connect(alice);
    const mine = makeEntry('finding', { body: 'alice, before' });
    entriesMap(a.doc).set(mine.id, mine);
    await waitFor(async () => (await stored()).has(mine.id), 'alice’s entry');
    const appended = makeEntry('note', { body: 'by HTTP, before' });
    await t.api.appendEntries(incident, { entries: [appended] });
    const reader = await connect(t.token);
    await waitFor(() => entriesMap(reader.doc).has(appended.id), 'the HTTP entry');
    const serverClient = entriesMap(reader.doc)._map.get(appended.id)?.id.client ?? -1;

    for (const victim of [a.doc.clientID, serverClient]) {
      const update = updateUnder(reader.doc, victim, (doc) =>
        doc.getText('not-a-root').insert(0, 'x'.repeat(500)),
      );
      expect(await sendAsBob(update)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('gate.unknown_root'),
      });
    }

    const after = makeEntry('finding', { body: 'alice, after' });
    entriesMap(a.doc).set(after.id, after);
    const byHttp = makeEntry('note', { body: 'by HTTP, after' });
    const res = await t.api.appendEntries(incident, { entries: [byHttp] });
    expect(res.entries[0]).toMatchObject({ created: true });
    await waitFor(
      () => entriesMap(reader.doc).has(after.id) && entriesMap(reader.doc).has(byHttp.id),
      'both later writes',
    );
    expect((await stored()).has(byHttp.id)).toBe(true);
  });

  it('has the database refuse, whole, a commit that claims an id someone else owns', async () => {
    const a = await connect(alice);
    const e = makeEntry('finding', { body: 'claimed by alice' });
    entriesMap(a.doc).set(e.id, e);
    await waitFor(async () => (await stored()).has(e.id), 'alice’s entry');
    const store = t.server.store;
    const aliceId = alice.split('_')[1] ?? '';
    expect((await store.clientOwners(incident, [a.doc.clientID])).get(a.doc.clientID)).toBe(aliceId);
    const bobId = bob.split('_')[1] ?? '';
    const doc = new Y.Doc();
    const bytes = Y.encodeStateAsUpdate(doc); // nothing: the claims are what is tested
    // The views the server writes after alice's entry land first, so nothing else moves lastSeq below.
    await settle(t.server, incident);
    const before = (await t.api.getIncident(incident)).incident.lastSeq;
    const claims = [
      { client: doc.clientID, tokenId: bobId },
      { client: a.doc.clientID, tokenId: bobId },
    ];
    await expect(
      store.appendUpdates(incident, [{ bytes, entries: [], tokenId: bobId, claims }]),
    ).rejects.toMatchObject({ code: 'storage.conflict' });
    expect((await t.api.getIncident(incident)).incident.lastSeq).toBe(before);
    expect((await store.clientOwners(incident, [doc.clientID])).size).toBe(0);
    // The same claim by its owner is no conflict.
    await expect(
      store.appendUpdates(incident, [
        { bytes, entries: [], tokenId: aliceId, claims: [{ client: a.doc.clientID, tokenId: aliceId }] },
      ]),
    ).resolves.toHaveLength(1);
  });

  it('remembers whose each client id is across a restart', async () => {
    const a = await connect(alice);
    const entry = makeEntry('finding', { body: 'before the restart' });
    entriesMap(a.doc).set(entry.id, entry);
    await waitFor(async () => (await stored()).has(entry.id), 'the entry before the restart');
    a.destroy();
    await t.restart();
    const { update } = await forgeUnder(a.doc.clientID);
    expect(await sendAsBob(update)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('gate.client'),
    });
    const audit = await t.api.listAudit({ incident, action: 'reject' });
    expect(audit.records.some((r) => r.detail.code === 'gate.client')).toBe(true);
  });
});
