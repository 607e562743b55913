// Snapshots and time travel: the document loads from its latest snapshot plus the log tail, the
// raw log is never cut, and replay rebuilds the entries as of any sequence number or time.
import { ApiClient, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../../server/src/main.js';
import { WORKER_FROM_BYTES } from '../../server/src/room/SnapshotCache.js';
import { runCli } from '../support/cli.js';
import { largeEntries, makeEntry } from '../support/clients.js';
import {
  BACKENDS,
  type TestStorage,
  adminToken,
  settle,
  startTestServer,
  testStorage,
  waitFor,
} from '../support/server.js';

describe.each(BACKENDS)('history on %s', (backend) => {
  let storage: TestStorage;
  let server: RunningServer;
  let token: string;
  let api: ApiClient;
  const env = { SITREP_SNAPSHOT_EVERY: '5' };
  /** Snapshots this server took so far, built here or in the worker, written or failed. */
  const snapshots = async (built: 'here' | 'worker', outcome: 'ok' | 'failed' = 'ok') =>
    (await server.metrics.snapshots.get()).values.find(
      (v) => v.labels.built === built && v.labels.outcome === outcome,
    )?.value ?? 0;

  beforeAll(async () => {
    storage = await testStorage(backend);
    server = await startTestServer(storage, 0, env);
    token = adminToken(server);
    api = new ApiClient(server.url, { token });
  });
  afterAll(async () => {
    await server.close();
    await storage.remove();
  });

  it('snapshots as the log grows, keeps the raw log, and loads from snapshot plus tail', async () => {
    const id = (await api.createIncident({ title: `history on ${backend}` })).incident.id;
    const written = [];
    const times: string[] = [];
    for (let i = 0; i < 12; i++) {
      const e = makeEntry('finding', { body: `finding ${i}` });
      const res = await api.appendEntries(id, { entries: [e] });
      written.push({ id: e.id, seq: res.entries[0]?.seq ?? -1 });
      times.push(new Date().toISOString());
      await new Promise((r) => setTimeout(r, 5));
    }
    await settle(server, id);
    const snapshot = await waitFor(async () => {
      const s = await server.store.latestSnapshot(id);
      return s && s.seq >= 10 ? s : null;
    }, 'a snapshot');
    const lastSeq = (await api.getIncident(id)).incident.lastSeq;
    expect(snapshot.seq).toBeLessThanOrEqual(lastSeq);
    // A document below WORKER_FROM_BYTES: each snapshot is its own encoding, none from the worker.
    expect(await snapshots('here')).toBeGreaterThanOrEqual(2);
    expect(await snapshots('worker')).toBe(0);
    // The raw log is whole: every row from 1 (the incident's creation) to the last, the server's
    // own view writes among them.
    expect((await server.store.readLog(id)).map((r) => r.seq)).toEqual(
      Array.from({ length: lastSeq }, (_, i) => i + 1),
    );

    const port = server.port;
    await server.close();
    server = await startTestServer(storage, port, env);
    api = new ApiClient(server.url, { token });
    const room = await server.rooms.open(id);
    await settle(server, id);
    expect(entriesMap(room.doc).size).toBe(12);
    const fromRawLog = new Y.Doc();
    for (const row of await server.store.readLog(id)) Y.applyUpdate(fromRawLog, row.bytes);
    expect(Y.encodeStateVector(room.doc)).toEqual(Y.encodeStateVector(fromRawLog));
    expect(entriesMap(room.doc).toJSON()).toEqual(entriesMap(fromRawLog).toJSON());

    // Replay by sequence number, by time, and from the CLI.
    const at4 = await api.replay(id, 4);
    expect(at4.seq).toBe(4);
    expect(at4.entries.map((e) => e.id)).toEqual(written.filter((w) => w.seq <= 4).map((w) => w.id));
    expect(at4.entries.length).toBeGreaterThan(0);
    expect(at4.meta).toMatchObject({ title: `history on ${backend}` });
    const at11th = await api.replay(id, written[10]?.seq ?? -1);
    expect(at11th.entries).toHaveLength(11);
    const byTime = await api.replay(id, times[5] ?? '');
    expect(byTime.entries.map((e) => e.id)).toEqual(written.slice(0, 6).map((w) => w.id));
    expect((await api.replay(id, 10_000)).entries).toHaveLength(12);
    const second = written[1]?.seq ?? -1;
    const cli = await runCli(['replay', id, '--at', String(second)], {
      env: { SITREP_URL: server.url, SITREP_TOKEN: token },
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`as of seq ${second}: 2 entries`);
    await expect(api.replay(id, 'yesterday')).rejects.toMatchObject({ code: 'request.invalid' });
  });

  it('past WORKER_FROM_BYTES, builds each snapshot from the one before and the updates since, equal to replaying the log', async () => {
    const id = (await api.createIncident({ title: `chain on ${backend}` })).incident.id;
    const before = await snapshots('worker');
    // Past WORKER_FROM_BYTES of state in a few rows of large entries, then small rows.
    const large = largeEntries(WORKER_FROM_BYTES, 'chained');
    for (let i = 0; i < large.length; i += 32)
      await api.appendEntries(id, { entries: large.slice(i, i + 32) });
    for (let i = 0; i < 15; i++)
      await api.appendEntries(id, { entries: [makeEntry('finding', { body: `chained finding ${i}` })] });
    await settle(server, id);
    const lastSeq = (await api.getIncident(id)).incident.lastSeq;
    const latest = await waitFor(
      async () => server.store.latestSnapshot(id).then((s) => (s && s.seq > lastSeq - 5 ? s : null)),
      'a late snapshot',
    );
    // Each snapshot past it was built in the worker from the one before.
    await waitFor(async () => (await snapshots('worker')) - before >= 3, 'snapshots built in the worker');
    expect((await snapshots('worker', 'failed')) + (await snapshots('here', 'failed'))).toBe(0);
    expect(latest.state.byteLength).toBeGreaterThan(WORKER_FROM_BYTES);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, latest.state.bytes);
    const fromLog = new Y.Doc();
    for (const row of await server.store.readLog(id, 0, latest.seq)) Y.applyUpdate(fromLog, row.bytes);
    // Compared as bytes: toEqual walks megabytes element by element for tens of seconds.
    expect(Buffer.compare(Y.encodeStateAsUpdate(fromSnapshot), Y.encodeStateAsUpdate(fromLog))).toBe(0);
    expect(entriesMap(fromSnapshot).size).toBe(entriesMap(fromLog).size);
  });

  it('reads a snapshot of many parts back whole, in part order', async () => {
    const id = (await api.createIncident({ title: `parts on ${backend}` })).incident.id;
    const state = new Uint8Array(9 << 20);
    for (let i = 0; i < state.length; i++) state[i] = (i * 2654435761) >>> 24; // poorly compressible: a part per MiB
    const parts = await server.store.writeSnapshot(id, 1_000_000, state);
    expect(parts.length).toBeGreaterThan(8);
    const read = await server.store.latestSnapshot(id);
    expect(read?.seq).toBe(1_000_000);
    expect(read?.parts.map((p, i) => Buffer.compare(p, parts[i] ?? new Uint8Array()))).toEqual(
      parts.map(() => 0),
    );
    expect(Buffer.compare(read?.state.bytes ?? new Uint8Array(), state)).toBe(0);
  });

  it('snapshots at load when the tail is long (as after a migration dropped the snapshots)', async () => {
    const port = server.port;
    await server.close();
    server = await startTestServer(storage, port, { SITREP_SNAPSHOT_EVERY: '100000' });
    const id = (await api.createIncident({ title: `tail on ${backend}` })).incident.id;
    for (let i = 0; i < 3; i++)
      await api.appendEntries(id, { entries: [makeEntry('finding', { body: `finding ${i}` })] });
    await settle(server, id);
    expect(await server.store.latestSnapshot(id)).toBeNull();
    const end = (await api.getIncident(id)).incident.lastSeq;
    await server.close();
    server = await startTestServer(storage, port, { SITREP_SNAPSHOT_EVERY: '2' });
    await server.rooms.open(id);
    const snapshot = await waitFor(
      async () => server.store.latestSnapshot(id).then((s) => (s && s.seq >= end ? s : null)),
      'a snapshot at load',
    );
    const doc = new Y.Doc();
    Y.applyUpdate(doc, snapshot.state.bytes);
    expect(entriesMap(doc).size).toBe(3);
  });
});
