// Benchmark: the same live workload against sitrep, @y/websocket-server 0.1.1 and Hocuspocus 3.4,
// one after another in one run. Each server is a child process pinned to core 0 (taskset); this
// driver is pinned to core 1. W writers each append 400-byte entries at a fixed rate to one
// shared document and R readers watch it, all through each server's stock provider
// (y-websocket's WebsocketProvider; HocuspocusProvider for Hocuspocus). Reported per server:
// fan-out latency (a writer's set to each reader's observe), server CPU seconds per 1,000 entries
// (from /proc), RSS, entries lost, and sitrep's ratios to the others. The first FANOUT_WARMUP
// seconds (5) of load are not measured, for every server alike, so JIT compilation and startup
// work are not billed to the entries.
// sitrep runs as shipped: durable (PGlite in its process, or Postgres with FANOUT_BACKEND=postgres,
// whose own CPU is then added), every write through the gate and the secret scanner.
// All three run on the same stock Yjs and lib0. FANOUT_ONLY=sitrep runs one server;
// FANOUT_PROFILE=<dir> writes a CPU profile of sitrep there.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { ApiClient, type Entry, newEntryId } from '@sitrep/shared';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { synced } from '../support/clients.js';
import { freePort } from '../support/net.js';
import { prng } from '../support/random.js';
import { launch, stop } from './child.js';
import { cpuOf, memory, pgPids } from './proc.js';
import { printTable } from './table.js';

const W = Number(process.env.FANOUT_WRITERS ?? 4);
const R = Number(process.env.FANOUT_READERS ?? 16);
const RATE = Number(process.env.FANOUT_RATE ?? 25); // entries per second per writer
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 20);
/** Seconds of the same load before measuring, for every server alike: JIT, caches and pools warm up. */
const WARMUP = Number(process.env.FANOUT_WARMUP ?? 5);
const BACKEND = process.env.FANOUT_BACKEND ?? 'pglite';
const random = prng(5);

interface Running {
  pid: number;
  /** Other processes whose CPU belongs to this server (Postgres). */
  extraPids(): number[];
  connect(doc: Y.Doc): { synced: Promise<void>; destroy(): void };
  close(): Promise<void>;
}

async function startSitrep(): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-fanout-'));
  const port = await freePort();
  let pg: PostgresCluster | null = null;
  if (BACKEND === 'postgres') pg = await startPostgres();
  const prof = process.env.FANOUT_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_PROFILE}`]
    : [];
  const child = await launch(
    [...prof, 'server/bin/sitrep.js', 'serve'],
    {
      SITREP_PORT: String(port),
      SITREP_DATA_DIR: dir,
      SITREP_LOG_LEVEL: 'warn',
      ...(pg && { DATABASE_URL: pg.url }),
    },
    'sitrep is running',
  );
  const url = `http://127.0.0.1:${port}`;
  const token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
  await new ApiClient(url, { token }).createIncident({ id: 'bench', title: 'fan-out bench' });
  return {
    pid: child.pid ?? -1,
    extraPids: () => (pg ? pgPids(pg) : []),
    connect(doc) {
      const p = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, 'bench', doc, {
        params: { token },
        WebSocketPolyfill: WebSocket as never,
        disableBc: true,
      });
      return { synced: synced(p), destroy: () => p.destroy() };
    },
    async close() {
      await stop(child);
      await pg?.remove();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startYWebsocket(): Promise<Running> {
  const port = await freePort();
  const child = await launch(
    ['node_modules/@y/websocket-server/src/server.js'],
    { HOST: '127.0.0.1', PORT: String(port) },
    'running at',
  );
  return {
    pid: child.pid ?? -1,
    extraPids: () => [],
    connect(doc) {
      const p = new WebsocketProvider(`ws://127.0.0.1:${port}`, 'bench', doc, {
        WebSocketPolyfill: WebSocket as never,
        disableBc: true,
      });
      return { synced: synced(p), destroy: () => p.destroy() };
    },
    close: () => stop(child),
  };
}

async function startHocuspocus(): Promise<Running> {
  const port = await freePort();
  const child = await launch(
    ['--import', 'tsx', 'test/bench/servers/hocuspocus.ts', String(port)],
    {},
    'listening',
  );
  return {
    pid: child.pid ?? -1,
    extraPids: () => [],
    connect(doc) {
      const socket = new HocuspocusProviderWebsocket({
        url: `ws://127.0.0.1:${port}`,
        WebSocketPolyfill: WebSocket,
      });
      let done = () => {};
      const ready = new Promise<void>((resolve) => (done = resolve));
      const p = new HocuspocusProvider({
        websocketProvider: socket,
        name: 'bench',
        document: doc,
        onSynced: () => done(),
      });
      p.attach(); // a provider given a shared socket connects only once attached
      return {
        synced: ready,
        destroy: () => {
          p.destroy();
          socket.destroy();
        },
      };
    },
    close: () => stop(child),
  };
}

const BODY_WORDS =
  'latency pool saturated replica lag deploy rollback canary errors timeout retry queue depth heap pause dns cache shard'.split(
    ' ',
  );
function entry(writer: number, n: number): Entry {
  const words = [`writer ${writer} entry ${n}:`];
  while (words.join(' ').length < 400) words.push(BODY_WORDS[random.int(BODY_WORDS.length)] ?? 'x');
  return {
    v: 1,
    id: newEntryId(),
    kind: 'finding',
    body: words.join(' ').slice(0, 400),
    author: { id: `writer-${writer}`, name: `Writer ${writer}`, kind: 'harness', harness: 'bench' },
    at: new Date().toISOString(),
  };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

interface Result {
  name: string;
  written: number;
  p50: number;
  p95: number;
  p99: number;
  cpuPer1000: number;
  /** Of cpuPer1000, what the other processes (Postgres) used. */
  extraPer1000: number;
  rss: number;
  peak: number;
  lost: number;
}

async function run(name: string, start: () => Promise<Running>): Promise<Result> {
  const server = await start();
  const readers = Array.from({ length: R }, () => new Y.Doc());
  const writers = Array.from({ length: W }, () => new Y.Doc());
  const conns = [...readers, ...writers].map((d) => server.connect(d));
  await Promise.all(conns.map((c) => c.synced));
  const sentAt = new Map<string, number>();
  let measuredFrom = Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const received = readers.map(() => 0);
  for (const [i, doc] of readers.entries()) {
    doc.getMap('entries').observe((ev) => {
      const now = performance.now();
      for (const key of ev.keysChanged) {
        const t = sentAt.get(key);
        if (t !== undefined) {
          if (t >= measuredFrom) latencies.push(now - t);
          received[i] = (received[i] ?? 0) + 1;
        }
      }
    });
  }
  const cpu = async () => [await cpuOf([server.pid]), await cpuOf(server.extraPids())] as const;
  let written = 0;
  const timers = writers.map((doc, w) => {
    let n = 0;
    return setInterval(() => {
      const e = entry(w, n++);
      sentAt.set(e.id, performance.now());
      doc.getMap('entries').set(e.id, e);
      written++;
    }, 1000 / RATE);
  });
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const cpuBefore = await cpu();
  const writtenBefore = written;
  measuredFrom = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  timers.forEach(clearInterval);
  const deadline = Date.now() + 15_000;
  while (received.some((n) => n < written) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const cpuAfter = await cpu();
  const [ownUsed, extraUsed] = [cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1]];
  const mem = await memory(server.pid);
  for (const c of conns) c.destroy();
  await server.close();
  latencies.sort((a, b) => a - b);
  const lost = received.reduce((sum, n) => sum + (written - n), 0) / R;
  const measured = written - writtenBefore;
  return {
    name,
    written: measured,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    cpuPer1000: ((ownUsed + extraUsed) / measured) * 1000,
    extraPer1000: (extraUsed / measured) * 1000,
    rss: mem.rss,
    peak: mem.peak,
    lost,
  };
}

async function main() {
  process.setMaxListeners(4 * (W + R)); // each y-websocket provider listens for the process's exit
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
  const targets: [string, () => Promise<Running>][] = [
    [`sitrep (${BACKEND})`, startSitrep],
    ['@y/websocket-server 0.1.1', startYWebsocket],
    ['hocuspocus 3.4.4', startHocuspocus],
  ];
  const results: Result[] = [];
  const only = process.env.FANOUT_ONLY?.split(',');
  for (const [name, start] of targets) {
    if (only && !only.some((o) => name.startsWith(o))) continue;
    process.stderr.write(`  ${name}: ${W} writers x ${RATE}/s, ${R} readers, ${SECONDS} s\n`);
    results.push(await run(name, start));
  }
  const [sitrep] = results;
  const head = [
    'server',
    'entries',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'CPU s / 1k entries',
    'RSS MB (peak)',
    'lost',
    'sitrep CPU ratio',
    'sitrep p99 ratio',
  ];
  const rows = results.map((r) => [
    r.name,
    String(r.written),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    r.extraPer1000 > 0
      ? `${r.cpuPer1000.toFixed(3)} (Postgres ${r.extraPer1000.toFixed(3)})`
      : r.cpuPer1000.toFixed(3),
    `${r.rss.toFixed(0)} (${r.peak.toFixed(0)})`,
    r.lost.toFixed(0),
    r === sitrep || !sitrep ? '' : (sitrep.cpuPer1000 / r.cpuPer1000).toFixed(2),
    r === sitrep || !sitrep ? '' : (sitrep.p99 / r.p99).toFixed(2),
  ]);
  printTable(head, rows);
  console.log(
    `\nservers on core 0, driver on core 1; ${W} writers at ${RATE} entries/s each, ${R} ` +
      `readers; ${WARMUP} s of warm-up, then ${SECONDS} s measured; node ${process.version}`,
  );
  spawnSync('taskset', ['-a', '-p', '-c', '0,1', String(process.pid)]); // the next benchmark gets both cores back
}

await main();
