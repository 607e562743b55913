// Benchmark: what keeping the views costs the log on a 2,000-theory incident. A real server
// (PGlite; BENCH_VIEWS_DATABASE_URL for Postgres) holds 2,000 theories with a finding each (and
// one leading with a hundred); two
// viewers (stock providers) change their presence focus every 250 ms, first alone for
// BENCH_VIEWS_SECONDS (60), then while a responder appends a finding every second. Prints the log
// rows and bytes each phase added, per minute. Presence should add nothing; a finding, its own
// row and the few view parts it changed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type Entry, newEntryId } from '@sitrep/shared';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/main.js';
import { printTable } from './table.js';

const THEORIES = 2_000;
const SECONDS = Number(process.env.BENCH_VIEWS_SECONDS ?? 60);
const PRESENCE_MS = 250;

const author = (i: number) => ({
  id: `responder-${i % 8}`,
  name: `Responder ${i % 8}`,
  kind: 'harness' as const,
  harness: 'claude-code',
});
const entry = (kind: Entry['kind'], i: number, extra: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: newEntryId(),
  kind,
  body: `${kind} ${i}: p99 on checkout-api rose to ${200 + (i % 900)} ms with the pool at ${i % 100}/100 on shard ${i % 97}`,
  author: author(i),
  at: new Date().toISOString(),
  ...extra,
});

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-bench-views-'));
  const config = loadConfig({
    SITREP_PORT: '0',
    SITREP_DATA_DIR: dataDir,
    DATABASE_URL: process.env.BENCH_VIEWS_DATABASE_URL,
    SITREP_LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, createLogger('silent'));
  const token = server.bootstrap?.token ?? '';
  const api = new ApiClient(server.url, { token });
  const incident = (await api.createIncident({ title: 'two thousand theories' })).incident.id;
  const theories = Array.from({ length: THEORIES }, (_, i) =>
    entry('theory', i, {
      title: `Theory ${i}: connection pool exhausted on shard ${i % 97} after deploy ${i}`,
    }),
  );
  for (let i = 0; i < THEORIES; i += 500)
    await api.appendEntries(incident, { entries: theories.slice(i, i + 500) });
  for (let i = 0; i < THEORIES; i += 500) {
    await api.appendEntries(incident, {
      entries: theories.slice(i, i + 500).map((t, j) => entry('finding', i + j, { refs: [t.id] })),
    });
  }
  // One theory leads by far, as one usually does: the findings below change no other card's state.
  const lead = theories[0]?.id ?? '';
  await api.appendEntries(incident, {
    entries: Array.from({ length: 100 }, (_, i) => entry('finding', i, { refs: [lead] })),
  });
  await server.views.settled(incident);
  const rulesBytes = JSON.stringify((await api.view(incident)).rules).length;

  const viewers = ['Ana', 'Bo'].map((name) => {
    const p = new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs`, incident, new Y.Doc(), {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    return { name, p };
  });
  await Promise.all(viewers.map(({ p }) => new Promise((r) => p.once('sync', r))));
  let step = 0;
  const presence = setInterval(() => {
    step++;
    for (const { name, p } of viewers)
      p.awareness.setLocalState({ name, kind: 'human', focus: theories[step % THEORIES]?.id });
  }, PRESENCE_MS);

  const rows: string[][] = [];
  const phase = async (what: string, during: () => Promise<number>) => {
    const before = (await api.getIncident(incident)).incident.lastSeq;
    const findings = await during();
    await server.views.settled(incident);
    const log = await server.store.readLog(incident, before);
    const bytes = log.reduce((n, r) => n + r.bytes.byteLength, 0);
    const perMinute = 60 / SECONDS;
    rows.push([
      what,
      String(Math.round(log.length * perMinute)),
      ((bytes * perMinute) / 1024).toFixed(1),
      findings ? (bytes / findings / 1024).toFixed(2) : '—',
    ]);
  };
  await phase(`presence every ${PRESENCE_MS} ms (2 viewers)`, async () => {
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    return 0;
  });
  await phase('presence, and a finding a second', async () => {
    let n = 0;
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      await api.appendEntries(incident, {
        entries: [entry('finding', THEORIES + n, { refs: [theories[1 + (n % (THEORIES - 1))]?.id ?? ''] })],
      });
      n++;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return n;
  });
  clearInterval(presence);
  printTable(
    [
      'workload (rules view ' + (rulesBytes / 1024).toFixed(0) + ' KB)',
      'log rows / min',
      'log KB / min',
      'KB / finding',
    ],
    rows,
  );
  for (const { p } of viewers) p.destroy();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}

await main();
