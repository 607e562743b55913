// Benchmark: the same live workload against sitrep and the servers it is raced with (see
// servers/index.ts: @y/websocket-server + y-postgresql, Hocuspocus + extension-database, and
// in-memory @y/websocket-server as the reference), one after another in one run. Each server is a
// child process pinned to core 0 (taskset), with its own throwaway Postgres 15 cluster (fsync on)
// if it stores there; this driver is pinned to core 1. W writers each append 400-byte entries at a
// fixed rate to one shared document and R readers watch it, all through each server's stock
// provider. Reported per server: total CPU seconds per 1,000 entries (the server's process and
// Postgres's, from /proc, the split shown), fan-out latency (a writer's set to each reader's
// observe), RSS, entries lost, and what a crash loses of what readers had seen; sitrep's ratios to
// the others. The first FANOUT_WARMUP seconds of load are not measured, for every server alike.
//
// FANOUT_PREFILL=0,10000: the document holds that many entries before the load starts, written by
// one more client through the server's own provider (100 entries per update, each batch relayed
// before the next is sent), so every server stores them its own way: sitrep through its gate and
// its commit, y-postgresql as rows, Hocuspocus through its store. Each level is a table of its own.
// FANOUT_REPEAT=3 runs every server that many times, the order reversed on each pass so that drift
// in the machine's speed falls on all alike, and reports medians.
// FANOUT_SERVERS picks servers by name (servers/index.ts, PEERS); FANOUT_CRASH=0 skips the crash;
// FANOUT_PROFILE=<dir> writes CPU profiles of sitrep there. FANOUT_PG_STATS=1 prints, for each run
// on Postgres, what the cluster did in the measured window (pgStats.ts: by statement, by process).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry } from '@sitrep/shared';
import * as Y from 'yjs';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { prng } from '../support/random.js';
import { PG_STATS_SETTINGS, PgStats } from './pgStats.js';
import { cpuOf, memory, pgPids, threadCpu } from './proc.js';
import { stop } from './child.js';
import { benchEntry } from './entries.js';
import { PEERS, type Peer, type Started } from './servers/index.js';
import { percentile, printTable } from './table.js';

const W = Number(process.env.FANOUT_WRITERS ?? 10);
const R = Number(process.env.FANOUT_READERS ?? 30);
const RATE = Number(process.env.FANOUT_RATE ?? 5); // entries per second per writer
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 20);
/** Seconds of the same load before measuring, for every server alike: JIT, caches and pools warm up. */
const WARMUP = Number(process.env.FANOUT_WARMUP ?? 5);
const PREFILL = (process.env.FANOUT_PREFILL ?? '0,10000').split(',').map(Number);
const REPEAT = Number(process.env.FANOUT_REPEAT ?? 1);
/** Seconds of load after the measurement, then the server is killed (SIGKILL) and started again. */
const CRASH = Number(process.env.FANOUT_CRASH ?? 3);
const SERVERS = (
  process.env.FANOUT_SERVERS ?? 'sitrep,y-postgresql,hocuspocus,hocuspocus-debounce0,y-websocket'
).split(',');
const PG_STATS = process.env.FANOUT_PG_STATS === '1';
const PREFILL_BATCH = 100;
const random = prng(5);

const entry = (writer: number, n: number) => benchEntry(writer, n, (k) => random.int(k));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `ok()` holds, polling; throws `what` after `ms`. */
async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000} s`);
    await sleep(20);
  }
}
const entriesOf = (doc: Y.Doc) => doc.getMap<Entry>('entries');

interface Result {
  written: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU seconds per 1,000 entries of the server's process, and of its Postgres. */
  nodePer1000: number;
  pgPer1000: number;
  /**
   * Of nodePer1000, the main thread's, and the other threads' (V8's compiler and collector
   * helpers, libuv's pool, worker threads) by thread id less the process id; a thread that ended
   * in the window is left out.
   */
  mainPer1000: number;
  threadsPer1000: Record<string, number>;
  /** This driver's CPU seconds per 1,000 entries (all its clients): a busy driver writes late and reads late. */
  driverPer1000: number;
  rss: number;
  lost: number;
  /** Entries a reader had seen when the server was killed, and how many of them it no longer had. */
  crashSeen: number;
  crashLost: number;
}

/** Writes `count` entries through the server's provider, a batch at a time, each relayed before the next. */
async function prefill(server: Started, watcher: Y.Doc, count: number): Promise<void> {
  const doc = new Y.Doc();
  const conn = server.connect(doc);
  await conn.synced;
  for (let done = 0; done < count; ) {
    const batch = Array.from({ length: Math.min(PREFILL_BATCH, count - done) }, (_, i) => entry(W, done + i));
    doc.transact(() => {
      for (const e of batch) entriesOf(doc).set(e.id, e);
    });
    done += batch.length;
    const last = batch.at(-1)?.id ?? '';
    await until(() => entriesOf(watcher).has(last), 60_000, 'a prefill batch was not relayed');
  }
  conn.destroy();
  doc.destroy();
}

/** Keeps `writers` appending at RATE each until the returned function is called. */
function write(writers: Y.Doc[], sentAt: Map<string, number>, count: { n: number }): () => void {
  const timers = writers.map((doc, w) =>
    setInterval(() => {
      const e = entry(w, count.n++);
      sentAt.set(e.id, performance.now());
      entriesOf(doc).set(e.id, e);
    }, 1000 / RATE),
  );
  return () => timers.forEach(clearInterval);
}

async function run(peer: Peer, entries: number): Promise<Result> {
  const pg: PostgresCluster | null = peer.postgres
    ? await startPostgres({ fsync: true, ...(PG_STATS && { settings: PG_STATS_SETTINGS }) })
    : null;
  let stats: PgStats | null = null;
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-fanout-'));
  const store = { dir, ...(pg && { databaseUrl: pg.url }) };
  try {
    if (pg && PG_STATS) stats = await PgStats.open(pg);
    let server = await peer.start({ ...store, fresh: true });
    const readers = Array.from({ length: R }, () => new Y.Doc());
    const writers = Array.from({ length: W }, () => new Y.Doc());
    const [first] = readers;
    if (!first) throw new Error('FANOUT_READERS must be at least 1');
    const firstConn = server.connect(first);
    await firstConn.synced;
    await prefill(server, first, entries);
    const conns = [firstConn, ...[...readers.slice(1), ...writers].map((d) => server.connect(d))];
    await Promise.all(conns.map((c) => c.synced));
    const all = [...readers, ...writers];
    await until(
      () => all.every((d) => entriesOf(d).size >= entries),
      120_000,
      'the clients did not get the prefill',
    );

    const sentAt = new Map<string, number>();
    let measuredFrom = Number.POSITIVE_INFINITY;
    const latencies: number[] = [];
    const received = readers.map(() => 0);
    for (const [i, doc] of readers.entries()) {
      entriesOf(doc).observe((ev) => {
        const now = performance.now();
        for (const key of ev.keysChanged) {
          const t = sentAt.get(key);
          if (t === undefined) continue;
          if (t >= measuredFrom) latencies.push(now - t);
          received[i] = (received[i] ?? 0) + 1;
        }
      });
    }
    const pid = server.child.pid ?? -1;
    const cpu = async () => [await cpuOf([pid]), await cpuOf(pg ? pgPids(pg) : [])] as const;
    const count = { n: 0 };
    let halt = write(writers, sentAt, count);
    await sleep(WARMUP * 1000);
    const [before, threadsBefore] = await Promise.all([cpu(), threadCpu(pid)]);
    await stats?.start();
    const driverBefore = process.cpuUsage();
    const writtenBefore = count.n;
    measuredFrom = performance.now();
    await sleep(SECONDS * 1000);
    halt();
    const deadline = Date.now() + 15_000;
    while (received.some((n) => n < count.n) && Date.now() < deadline) await sleep(50);
    const [after, threadsAfter] = await Promise.all([cpu(), threadCpu(pid)]);
    await stats?.report(`${peer.name}, ${entries} entries first, ${count.n - writtenBefore} written`);
    const threads = perThread(pid, threadsBefore, threadsAfter);
    const driver = process.cpuUsage(driverBefore);
    const mem = await memory(pid);
    const measured = count.n - writtenBefore;
    const lost = received.reduce((sum, n) => sum + (count.n - n), 0) / R;

    let crashSeen = 0;
    let crashLost = 0;
    if (peer.stores && CRASH > 0) {
      halt = write(writers, sentAt, count);
      await sleep(CRASH * 1000);
      const seen = [...entriesOf(first).keys()];
      await stop(server.child, 'SIGKILL');
      halt();
      for (const c of conns) c.destroy();
      server = await peer.start({ ...store, fresh: false });
      const recovered = new Y.Doc();
      const conn = server.connect(recovered);
      await conn.synced;
      // @y/websocket-server answers before its persistence has loaded the document (slowly, on a
      // busy machine): wait for the first entries (none in 60 s: all were lost), then until no more
      // arrive for 2 s.
      await until(() => entriesOf(recovered).size > 0, 60_000, 'nothing came back').catch(() => {});
      let size = -1;
      while (size !== entriesOf(recovered).size) {
        size = entriesOf(recovered).size;
        await sleep(2000);
      }
      conn.destroy();
      crashSeen = seen.length;
      crashLost = seen.filter((id) => !entriesOf(recovered).has(id)).length;
      recovered.destroy();
    } else {
      for (const c of conns) c.destroy();
    }
    // 40 documents of 10,000 entries each: a run's clients must not outlive it (the driver's heap
    // ran out on the tenth run at 10,000 entries before they were destroyed).
    for (const d of all) d.destroy();
    await stop(server.child);
    return {
      written: measured,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      nodePer1000: ((after[0] - before[0]) / measured) * 1000,
      pgPer1000: ((after[1] - before[1]) / measured) * 1000,
      mainPer1000: ((threads.get(0) ?? 0) / measured) * 1000,
      threadsPer1000: Object.fromEntries(
        [...threads].filter(([t, s]) => t !== 0 && s > 0).map(([t, s]) => [`+${t}`, (s / measured) * 1000]),
      ),
      driverPer1000: ((driver.user + driver.system) / 1e6 / measured) * 1000,
      rss: mem.rss,
      lost,
      crashSeen,
      crashLost,
    };
  } finally {
    await stats?.close();
    await pg?.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU seconds each thread used between two readings, by thread id less the process id (main: 0). */
function perThread(
  pid: number,
  before: Map<number, number>,
  after: Map<number, number>,
): Map<number, number> {
  return new Map([...after].map(([tid, s]) => [tid - pid, s - (before.get(tid) ?? 0)]));
}

const median = (xs: readonly number[]) => percentile(xs, 50);
const total = (r: Result) => r.nodePer1000 + r.pgPer1000;

function report(entries: number, peers: Peer[], results: Map<Peer, Result[]>): void {
  const med = (p: Peer, f: (r: Result) => number) => median((results.get(p) ?? []).map(f));
  const sitrep = peers.find((p) => p.name.startsWith('sitrep'));
  const ratio = (p: Peer, f: (r: Result) => number) =>
    !sitrep || p === sitrep ? '' : (med(sitrep, f) / med(p, f)).toFixed(2);
  const head = [
    'server',
    'entries',
    'total CPU s / 1k (Node + Postgres)',
    'runs',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'RSS MB',
    'lost',
    'lost on kill -9 (of seen)',
    'sitrep CPU ratio',
    'sitrep p99 ratio',
    'driver CPU s / 1k',
    'Node: main thread + others s / 1k',
  ];
  const rows = peers.map((p) => {
    const rs = results.get(p) ?? [];
    const pgShare = p.postgres
      ? ` (${med(p, (r) => r.nodePer1000).toFixed(2)} + ${med(p, (r) => r.pgPer1000).toFixed(2)})`
      : '';
    return [
      p.name,
      med(p, (r) => r.written).toFixed(0),
      `${med(p, total).toFixed(2)}${pgShare}`,
      rs.map((r) => total(r).toFixed(2)).join(' / '),
      med(p, (r) => r.p50).toFixed(1),
      med(p, (r) => r.p95).toFixed(1),
      med(p, (r) => r.p99).toFixed(1),
      med(p, (r) => r.rss).toFixed(0),
      med(p, (r) => r.lost).toFixed(0),
      p.stores && CRASH > 0
        ? `${rs.map((r) => r.crashLost).join(' / ')} (of ${med(p, (r) => r.crashSeen).toFixed(0)})`
        : '',
      ratio(p, total),
      ratio(p, (r) => r.p99),
      med(p, (r) => r.driverPer1000).toFixed(2),
      `${med(p, (r) => r.mainPer1000).toFixed(2)} + ${med(p, (r) => r.nodePer1000 - r.mainPer1000).toFixed(2)}`,
    ];
  });
  console.log(`\n${entries.toLocaleString('en')} entries in the document before the load:`);
  printTable(head, rows);
}

async function main() {
  process.setMaxListeners(4 * (W + R + 2)); // each y-websocket provider listens for the process's exit
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
  const peers = SERVERS.map((name) => {
    const peer = PEERS[name];
    if (!peer) throw new Error(`FANOUT_SERVERS: no server ${name} (${Object.keys(PEERS).join(', ')})`);
    return peer;
  });
  for (const entries of PREFILL) {
    const results = new Map<Peer, Result[]>(peers.map((p) => [p, []]));
    for (let pass = 0; pass < REPEAT; pass++) {
      const order = pass % 2 === 0 ? peers : [...peers].reverse();
      for (const peer of order) {
        process.stderr.write(`  ${peer.name}, ${entries} entries first, run ${pass + 1} of ${REPEAT}\n`);
        const result = await run(peer, entries);
        results.get(peer)?.push(result);
        process.stderr.write(`    ${JSON.stringify(result)}\n`); // kept if a later run fails
      }
    }
    report(entries, peers, results);
  }
  console.log(
    `\nservers on core 0 (Postgres 15 with fsync on, a cluster per run), driver on core 1; ${W} writers at ${RATE} ` +
      `entries/s each, ${R} readers, 400-byte entries; ${WARMUP} s of warm-up, then ${SECONDS} s measured; ` +
      `medians of ${REPEAT} run(s); node ${process.version}`,
  );
  for (const p of peers) console.log(`- ${p.name}: durable when relayed? ${p.durability}`);
  spawnSync('taskset', ['-a', '-p', '-c', '0,1', String(process.pid)]); // the next benchmark gets both cores back
}

await main();
