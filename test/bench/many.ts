// Benchmark: many incidents on one node. The same total load (MANY_RATE, 50 entries/s, of
// 400-byte entries from stock WebsocketProviders) first on one incident (MANY_WRITERS, 10,
// writers and MANY_READERS, 30, readers on it), then spread over MANY_INCIDENTS (200): a writer on
// each, and the same 30 readers each watching every 30th incident (one reader socket per
// incident). Each case is a fresh `sitrep serve` child on core 0 (this driver on core 1) on its
// own database of one throwaway Postgres (fsync on), whose CPU is counted too. Reported per case: fan-out
// latency (a writer's set to a reader's observe), CPU seconds per 1,000 entries (Node and
// Postgres), RSS once every incident is loaded and what each loaded incident added to it (RSS
// with every room loaded less RSS before the first socket, over the incidents), and the ratios of
// the many-incident case to the one-incident case; and from the case database's statistics, its
// commits per entry (read-only transactions too) and rows written per entry by table, which show
// what the database does more of. The first MANY_WARMUP seconds (5) of load are
// not measured. The throwaway Postgres runs with fsync on, as fanout's.
// MANY_PROFILE=<dir> writes a CPU profile of each case's server under <dir>/<case's database>.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@sitrep/shared';
import postgres from 'postgres';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { synced } from '../support/clients.js';
import { freePort } from '../support/net.js';
import { prng } from '../support/random.js';
import { launch, stop } from './child.js';
import { benchEntry } from './entries.js';
import { sitrepBuilt } from './sitrepBuilt.js';
import { cpuOf, memory, pgPids } from './proc.js';
import { percentile, printTable } from './table.js';

const INCIDENTS = Number(process.env.MANY_INCIDENTS ?? 200);
const WRITERS = Number(process.env.MANY_WRITERS ?? 10);
const READERS = Number(process.env.MANY_READERS ?? 30);
const RATE = Number(process.env.MANY_RATE ?? 50); // entries per second in all
const SECONDS = Number(process.env.MANY_SECONDS ?? 20);
const WARMUP = Number(process.env.MANY_WARMUP ?? 5);

interface Case {
  name: string;
  incidents: number;
  /** The incident each writer socket writes to. */
  writers: number[];
  /** The incident each reader socket watches. */
  readers: number[];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const CASES: Case[] = [
  {
    name: '1 incident',
    incidents: 1,
    writers: range(WRITERS).map(() => 0),
    readers: range(READERS).map(() => 0),
  },
  {
    name: `${INCIDENTS} incidents`,
    incidents: INCIDENTS,
    writers: range(INCIDENTS),
    readers: range(INCIDENTS),
  },
];

interface Node {
  pid: number;
  /** The database's committed transactions and rows written (inserted or updated) per table, so far. */
  dbStats(): Promise<{ commits: number; rows: Map<string, number> }>;
  connect(incident: number, doc: Y.Doc): WebsocketProvider;
  close(): Promise<void>;
}

/** A fresh `sitrep serve` on a fresh database of `pg`, with `incidents` incidents made through the API. */
async function startSitrep(pg: PostgresCluster, db: string, incidents: number): Promise<Node> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-many-'));
  const port = await freePort();
  const prof = process.env.MANY_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MANY_PROFILE}/${db}`]
    : [];
  const dbUrl = await pg.createDatabase(db);
  const child = await launch(
    [...prof, await sitrepBuilt(), 'serve'],
    {
      SITREP_PORT: String(port),
      SITREP_DATA_DIR: dir,
      SITREP_LOG_LEVEL: 'warn',
      DATABASE_URL: dbUrl,
      SITREP_INCIDENTS_PER_HOUR: '1000000',
      SITREP_MAX_SOCKETS_PER_TOKEN: '100000',
    },
    'sitrep is running',
  );
  const url = `http://127.0.0.1:${port}`;
  const token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
  const api = new ApiClient(url, { token });
  for (let i = 0; i < incidents; i += 8) {
    await Promise.all(
      range(Math.min(8, incidents - i)).map((k) =>
        api.createIncident({ id: `many-${i + k}`, title: `many ${i + k}` }),
      ),
    );
  }
  const stats = postgres(dbUrl, { max: 1, onnotice: () => {} });
  return {
    pid: child.pid ?? -1,
    async dbStats() {
      // Backends report to these views at most once a second: a few commits' lag over 20 s.
      const [commits] =
        await stats`select xact_commit::int as n from pg_stat_database where datname = current_database()`;
      const tables = await stats`select relname, (n_tup_ins + n_tup_upd)::int as n from pg_stat_user_tables`;
      return {
        commits: Number(commits?.n ?? 0),
        rows: new Map(tables.map((t) => [String(t.relname), Number(t.n)])),
      };
    },
    connect: (incident, doc) =>
      new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, `many-${incident}`, doc, {
        params: { token },
        WebSocketPolyfill: WebSocket as never,
        disableBc: true,
      }),
    async close() {
      await stats.end();
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const random = prng(5);
const entry = (writer: number, n: number) => benchEntry(writer, n, (k) => random.int(k));

interface Result {
  c: Case;
  written: number;
  p50: number;
  p99: number;
  nodePer1000: number;
  pgPer1000: number;
  rss: number;
  rssPerIncident: number;
  lost: number;
  /** Transactions the database committed per entry, and rows written per entry by table. */
  commitsPerEntry: number;
  rowsPerEntry: Map<string, number>;
}

async function run(c: Case, pg: PostgresCluster): Promise<Result> {
  const node = await startSitrep(pg, `many_${c.incidents}`, c.incidents);
  const idle = await memory(node.pid);
  const readers = c.readers.map((incident) => ({ incident, doc: new Y.Doc() }));
  const writers = c.writers.map((incident) => ({ incident, doc: new Y.Doc() }));
  const providers = [...readers, ...writers].map(({ incident, doc }) => node.connect(incident, doc));
  await Promise.all(providers.map(synced));
  const loaded = await memory(node.pid);
  const sentAt = new Map<string, { at: number; incident: number }>();
  let measuredFrom = Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  /** Entries each incident has had, and each reader has seen. */
  const sentTo = range(c.incidents).map(() => 0);
  const seen = readers.map(() => 0);
  for (const [i, { doc }] of readers.entries()) {
    doc.getMap('entries').observe((ev) => {
      const now = performance.now();
      for (const key of ev.keysChanged) {
        const sent = sentAt.get(key);
        if (sent === undefined) continue;
        if (sent.at >= measuredFrom) latencies.push(now - sent.at);
        seen[i] = (seen[i] ?? 0) + 1;
      }
    });
  }
  const cpu = async () => [await cpuOf([node.pid]), await cpuOf(pgPids(pg))] as const;
  let written = 0;
  // One clock for every writer, round-robin: the same entries per second whatever the spread.
  // Each tick writes every entry due by then, so a late timer on a busy machine keeps the rate.
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) * RATE) / 1000);
    for (; written < due; written++) {
      const w = written % writers.length;
      const writer = writers[w];
      if (!writer) return;
      const e = entry(w, written);
      sentAt.set(e.id, { at: performance.now(), incident: writer.incident });
      sentTo[writer.incident] = (sentTo[writer.incident] ?? 0) + 1;
      writer.doc.getMap('entries').set(e.id, e);
    }
  }, 1000 / RATE);
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const before = await cpu();
  const statsBefore = await node.dbStats();
  const writtenBefore = written;
  measuredFrom = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  clearInterval(timer);
  const missing = () => readers.reduce((sum, r, i) => sum + (sentTo[r.incident] ?? 0) - (seen[i] ?? 0), 0);
  const deadline = Date.now() + 15_000;
  while (missing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const after = await cpu();
  const statsAfter = await node.dbStats();
  const mem = await memory(node.pid);
  for (const p of providers) p.destroy();
  await node.close();
  const measured = written - writtenBefore;
  return {
    c,
    written: measured,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    nodePer1000: ((after[0] - before[0]) / measured) * 1000,
    pgPer1000: ((after[1] - before[1]) / measured) * 1000,
    rss: mem.rss,
    rssPerIncident: (loaded.rss - idle.rss) / c.incidents,
    lost: missing(),
    commitsPerEntry: (statsAfter.commits - statsBefore.commits) / measured,
    rowsPerEntry: new Map(
      [...statsAfter.rows].map(([table, n]) => [table, (n - (statsBefore.rows.get(table) ?? 0)) / measured]),
    ),
  };
}

async function main() {
  process.setMaxListeners(4 * (INCIDENTS + WRITERS + READERS)); // each provider listens for the process's exit
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
  const pg = await startPostgres({ fsync: true });
  const results: Result[] = [];
  try {
    for (const c of CASES) {
      process.stderr.write(
        `  ${c.name}: ${c.writers.length} writers, ${c.readers.length} reader sockets, ${RATE}/s\n`,
      );
      results.push(await run(c, pg));
    }
  } finally {
    await pg.remove();
  }
  const [one] = results;
  const ratio = (r: Result, f: (x: Result) => number) =>
    r === one || !one ? '' : (f(r) / f(one)).toFixed(2);
  const total = (r: Result) => r.nodePer1000 + r.pgPer1000;
  printTable(
    [
      'case',
      'sockets (writers + readers)',
      'entries',
      'p50 ms',
      'p99 ms',
      'CPU s / 1k entries (Node + Postgres)',
      'RSS MB',
      'MB per loaded incident',
      'lost',
      'commits / entry',
      'CPU ratio',
      'p99 ratio',
    ],
    results.map((r) => [
      r.c.name,
      `${r.c.writers.length} + ${r.c.readers.length}`,
      String(r.written),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      `${total(r).toFixed(3)} (${r.nodePer1000.toFixed(3)} + ${r.pgPer1000.toFixed(3)})`,
      r.rss.toFixed(0),
      r.rssPerIncident.toFixed(2),
      String(r.lost),
      r.commitsPerEntry.toFixed(2),
      ratio(r, total),
      ratio(r, (x) => x.p99),
    ]),
  );
  for (const r of results) {
    const written = [...r.rowsPerEntry].filter(([, n]) => n >= 0.005).sort((a, b) => b[1] - a[1]);
    console.log(
      `${r.c.name}: rows written per entry: ${written.map(([t, n]) => `${t} ${n.toFixed(2)}`).join(', ')}`,
    );
  }
  console.log(
    `\nserver on core 0, driver on core 1; ${RATE} entries/s in all; ${WARMUP} s of warm-up, then ${SECONDS} s ` +
      `measured; Postgres fsync on; node ${process.version}`,
  );
  spawnSync('taskset', ['-a', '-p', '-c', '0,1', String(process.pid)]);
}

await main();
