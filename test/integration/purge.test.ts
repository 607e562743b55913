// The admin's purge of a leaked entry: gone from connected clients, the document, the stored log
// bytes, the projection and the snapshots (even one still being written), across a restart, and
// from the memory of another node that holds the incident or kept a snapshot of it as its room
// unloaded, with an audit record; anyone else is refused.
import { ApiClient, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unpackSnapshot } from '../../server/src/store/snapshotCodec.js';
import { runCli } from '../support/cli.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import {
  type Fixture,
  adminToken,
  settle,
  startFixture,
  startTestServer,
  testStorage,
  waitFor,
} from '../support/server.js';

let t: Fixture;

beforeAll(async () => {
  t = await startFixture('pglite');
});
afterAll(async () => {
  await t.close();
});

/** Every stored byte of the incident's log, as text. */
const logText = async (incident: string) =>
  (await t.server.store.readLog(incident)).map((r) => Buffer.from(r.bytes).toString('latin1')).join('\n');

/** The values in `doc`'s memory, deleted ones included, that hold `text`. */
const valuesHolding = (doc: Y.Doc, text: string) =>
  [...doc.store.clients.values()]
    .flat()
    .filter(
      (s) =>
        s instanceof Y.Item &&
        s.content instanceof Y.ContentAny &&
        JSON.stringify(s.content.arr).includes(text),
    );

describe('purge', () => {
  it('removes a leaked entry from clients, the log and the projection, and keeps it removed', async () => {
    const incident = (await t.api.createIncident({ title: 'purge' })).incident.id;
    const leak = 'customer Jane Doe of 12 Elm Street card ending 4242 saw double charges';
    const bad = makeEntry('finding', { body: leak });
    const good = makeEntry('finding', { body: 'refunds queue is draining' });
    const p = connectProvider(t.server.url, incident, t.token);
    await synced(p);
    entriesMap(p.doc).set(good.id, good); // one written over the socket
    await t.api.appendEntries(incident, { entries: [bad] }); // one over HTTP
    await waitFor(() => entriesMap(p.doc).has(bad.id) && entriesMap(p.doc).size === 2, 'both entries');
    expect(await logText(incident)).toContain('Jane Doe');

    const res = await runCli(['purge', incident, bad.id, '--reason', 'customer PII'], {
      env: { SITREP_URL: t.server.url, SITREP_TOKEN: t.token },
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/purged .*: 1 log row rewritten/);

    await waitFor(() => !entriesMap(p.doc).has(bad.id), 'the connected client to drop it');
    expect(entriesMap(p.doc).get(good.id)).toEqual(good);
    expect(await logText(incident)).not.toContain('Jane Doe');
    expect((await t.api.listEntries(incident)).entries.map((e) => e.id)).toEqual([good.id]);
    p.destroy();

    await t.restart();
    const fresh = connectProvider(t.server.url, incident, t.token);
    await synced(fresh);
    expect([...entriesMap(fresh.doc).keys()]).toEqual([good.id]);
    fresh.destroy();

    // The id stays taken, and the purge is on the record.
    await expect(t.api.appendEntries(incident, { entries: [bad] })).rejects.toMatchObject({
      code: 'gate.overwrite',
    });
    const { records } = await t.api.listAudit({ incident, action: 'purge' });
    expect(records[0]?.detail).toMatchObject({ entry: bad.id, reason: 'customer PII', rewritten: 1 });
  });

  it("removes the copies the views made of it from the log: a theory's title in the rules view and timeline", async () => {
    const incident = (await t.api.createIncident({ title: 'purge from views' })).incident.id;
    const bad = makeEntry('theory', { title: 'customer Jane Doe of 12 Elm Street double charged' });
    const good = makeEntry('theory', { title: 'Card processor retries twice' });
    await t.api.appendEntries(incident, { entries: [bad, good] });
    await waitFor(
      async () => (await t.api.view(incident)).rules?.theories.length === 2,
      'the views to hold both',
    );
    await settle(t.server, incident);
    expect(await logText(incident)).toContain('Jane Doe');
    await t.api.purgeEntry(incident, bad.id, 'customer PII');
    await settle(t.server, incident);
    expect(await logText(incident)).not.toContain('Jane Doe');
    const { rules } = await t.api.view(incident);
    expect(rules?.theories.map((x) => x.id)).toEqual([good.id]);
  });

  it('refuses a snapshot of a state before the purge written after it, as another node might', async () => {
    const incident = (await t.api.createIncident({ title: 'late snapshot' })).incident.id;
    const bad = makeEntry('finding', { body: 'customer Jane Doe of 12 Elm Street card ending 4242' });
    await t.api.appendEntries(incident, {
      entries: [bad, makeEntry('finding', { body: 'refunds draining' })],
    });
    const room = await t.server.rooms.open(incident);
    await settle(t.server, incident);
    const [seq, before] = [room.seq, Y.encodeStateAsUpdate(room.doc)];
    await t.api.purgeEntry(incident, bad.id, 'customer PII');
    await expect(t.server.store.writeSnapshot(incident, seq, before)).rejects.toMatchObject({
      code: 'storage.conflict',
    });
    const snapshot = await t.server.store.latestSnapshot(incident);
    expect(
      snapshot === null || !Buffer.from(snapshot.state.bytes).toString('latin1').includes('Jane Doe'),
    ).toBe(true);
  });

  it("leaves nothing in the document's memory holding the entry", async () => {
    const incident = (await t.api.createIncident({ title: 'purge in memory' })).incident.id;
    const room = await t.server.rooms.open(incident);
    const leak = 'customer Jane Doe of 12 Elm Street card ending 4242 saw double charges';
    const bad = makeEntry('finding', { body: leak });
    const good = makeEntry('finding', { body: 'refunds queue is draining' });
    await t.api.appendEntries(incident, { entries: [bad, good] }); // one update holds both
    expect(valuesHolding(room.doc, 'Jane Doe').length).toBeGreaterThan(0);

    await t.api.purgeEntry(incident, bad.id, 'customer PII');
    expect(valuesHolding(room.doc, 'Jane Doe')).toEqual([]);
    expect(entriesMap(room.doc).get(good.id)).toEqual(good);
  });

  it('leaves no snapshot holding the entry, even one still being written when the purge came', async () => {
    const f = await startFixture('pglite', { SITREP_SNAPSHOT_EVERY: '1' }); // a snapshot after every commit
    try {
      const incident = (await f.api.createIncident({ title: 'purge and snapshots' })).incident.id;
      for (let i = 0; i < 5; i++) {
        const bad = makeEntry('finding', { body: `customer leak-${i}@example.com was charged twice` });
        await f.api.appendEntries(incident, { entries: [bad, makeEntry('finding', { body: `ok ${i}` })] });
        await f.api.purgeEntry(incident, bad.id, 'customer PII'); // the append's snapshot may still be in flight
      }
      // Each purge deleted every snapshot; the next write's snapshot is the one to wait for.
      const [after] = (
        await f.api.appendEntries(incident, { entries: [makeEntry('finding', { body: 'after the purges' })] })
      ).entries;
      await waitFor(
        async () => ((await f.server.store.latestSnapshot(incident))?.seq ?? 0) >= (after?.seq ?? Infinity),
        'a snapshot after the purges',
      );
      // A stopped server writes nothing more: what is stored now is every snapshot there will be.
      await f.restart();
      const { lastSeq } = (await f.api.getIncident(incident)).incident;
      const snapshots = new Map<number, string>();
      for (let seq = 1; seq <= lastSeq; seq++) {
        const snapshot = await f.server.store.latestSnapshot(incident, seq);
        if (snapshot) snapshots.set(snapshot.seq, Buffer.from(snapshot.state.bytes).toString('latin1'));
      }
      expect(snapshots.size).toBeGreaterThan(0);
      for (const [seq, bytes] of snapshots) expect(bytes, `the snapshot at ${seq}`).not.toContain('leak-');
      expect((await f.api.listEntries(incident)).entries).toHaveLength(6);
    } finally {
      await f.close();
    }
  });

  it('is refused to anyone but an admin, and for an unknown entry', async () => {
    const incident = (await t.api.createIncident({ title: 'purge refusals' })).incident.id;
    const e = makeEntry('note');
    await t.api.appendEntries(incident, { entries: [e] });
    const { token: commanderToken } = await t.api.createToken({ role: 'commander', label: 'not an admin' });
    const commander = new ApiClient(t.server.url, { token: commanderToken });
    await expect(commander.purgeEntry(incident, e.id, 'nope')).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    await expect(t.api.purgeEntry(incident, makeEntry().id, 'nothing')).rejects.toMatchObject({
      code: 'entry.not_found',
    });
    expect((await t.api.listEntries(incident)).entries).toHaveLength(1);
  });
});

describe('purge across nodes', () => {
  it('leaves nothing holding the entry in the memory of another node that follows the incident', async () => {
    const storage = await testStorage('postgres');
    const [a, b] = [await startTestServer(storage), await startTestServer(storage)];
    try {
      const api = new ApiClient(a.url, { token: adminToken(a) });
      const incident = (await api.createIncident({ title: 'purge on another node' })).incident.id;
      const follower = await b.rooms.open(incident);
      const bad = makeEntry('finding', { body: 'customer Jane Doe of 12 Elm Street was charged twice' });
      const good = makeEntry('finding', { body: 'refunds queue is draining' });
      await api.appendEntries(incident, { entries: [bad, good] });
      await waitFor(() => entriesMap(follower.doc).has(good.id), 'the other node to follow');
      expect(valuesHolding(follower.doc, 'Jane Doe').length).toBeGreaterThan(0);
      await api.purgeEntry(incident, bad.id, 'customer PII');
      await waitFor(() => !entriesMap(follower.doc).has(bad.id), 'the other node to apply the purge');
      expect(valuesHolding(follower.doc, 'Jane Doe')).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await storage.remove();
    }
  }, 60_000);
  it('leaves nothing holding the entry in the snapshot another node kept of the incident as it unloaded', async () => {
    const storage = await testStorage('postgres');
    const env = { SITREP_SNAPSHOT_EVERY: '2' };
    const [a, b] = [await startTestServer(storage, 0, env), await startTestServer(storage, 0, env)];
    try {
      const api = new ApiClient(a.url, { token: adminToken(a) });
      const incident = (await api.createIncident({ title: 'purge of a kept snapshot' })).incident.id;
      const bad = makeEntry('finding', { body: 'customer Jane Doe of 12 Elm Street was charged twice' });
      await api.appendEntries(incident, { entries: [bad] });
      for (let i = 0; i < 4; i++)
        await api.appendEntries(incident, { entries: [makeEntry('finding', { body: `ok ${i}` })] });
      await waitFor(async () => (await a.store.latestSnapshotSeq(incident)) ?? 0, 'a snapshot');
      await b.rooms.open(incident);
      await b.rooms.sweep(0);
      const kept = b.rooms.recentSnapshots.get(incident);
      expect(Buffer.from(await unpackSnapshot(kept?.parts ?? [])).toString('latin1')).toContain('Jane Doe');
      await api.purgeEntry(incident, bad.id, 'customer PII');
      await waitFor(() => !b.rooms.recentSnapshots.get(incident), 'the other node to drop what it kept');
    } finally {
      await Promise.all([a.close(), b.close()]);
      await storage.remove();
    }
  }, 60_000);
});
