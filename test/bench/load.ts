// Benchmark: loading an incident with a long history. Builds incidents of 10k and 100k updates
// (one entry each, written through the real log path in group commits), then measures cold
// loads from the latest snapshot plus the tail (LOAD_REPEATS, 3; the median is reported), a
// replay of the raw log for comparison, the reply to a first client's sync (the whole state,
// encoded on the event loop), the first read of every entry (what the views recompute does
// after a load), the memory held per loaded document before and after that read, and
// the writing of one more snapshot of it: how long, and the longest the event loop stalled
// meanwhile (PGlite runs on it), and reading the stored state alone (the snapshot and the rows
// after it: what a first client is served before the document is built). Last, a sitrep server
// on the same storage serves the incident, unloaded each time, to a first client in a process of
// its own (firstClient.ts; LOAD_REPEATS times): how long from asking for its socket
// until it has received the whole state (a sync step 2, as a stock client asks for it: its step 1
// with nothing), and until a stock WebsocketProvider is synced (which adds the client applying
// the state). Prints a table.
// Run: pnpm bench (never part of pnpm test).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Entry, entriesMap, newEntryId, readEntries } from '@sitrep/shared';
import { DEFAULT_POLICY } from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { Metrics } from '../../server/src/metrics.js';
import { type RunningServer, startServer } from '../../server/src/main.js';
import { createIncident } from '../../server/src/room/createIncident.js';
import { logAt } from '../../server/src/room/documentAt.js';
import { IncidentRoom } from '../../server/src/room/IncidentRoom.js';
import { encodeMapInserts } from '../../server/src/room/serverUpdates.js';
import { type Store, openStore } from '../../server/src/store/Store.js';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { prng } from '../support/random.js';
import { printTable } from './table.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const SNAPSHOT_EVERY = 1000;
/** Cold loads per size; the table gives the median, as single runs on a small VM vary by a third. */
const REPEATS = Number(process.env.LOAD_REPEATS ?? 3);
const log = createLogger('silent');

// Bodies of 400 characters drawn from an incident vocabulary with numbers and hashes, so the
// deflated snapshots compress like real text, not like one sentence repeated.
const WORDS = (
  'p99 latency checkout-api pool saturated connections postgres replica lag deploy rollback ' +
  'canary 5xx errors timeout upstream retry queue depth kafka consumer heap gc pause node pod ' +
  'evicted oom dns resolver cache miss rate limit tls handshake region failover shard hot key'
).split(' ');
const random = prng(7);
function body(i: number): string {
  const words = [`finding ${i}:`];
  while (words.join(' ').length < 400) {
    const r = random.next();
    words.push(
      r < 0.15
        ? String(random.int(100_000))
        : r < 0.2
          ? random.int(2 ** 32).toString(16)
          : (WORDS[random.int(WORDS.length)] ?? ''),
    );
  }
  return words.join(' ').slice(0, 400);
}

function entry(i: number): Entry {
  return {
    v: 1,
    id: newEntryId(),
    kind: 'finding',
    body: body(i),
    author: { id: `responder-${i % 7}`, name: `Responder ${i % 7}`, kind: 'harness', harness: 'claude-code' },
    at: new Date(1_764_000_000_000 + i * 1000).toISOString(),
  };
}

/** Writes `n` one-entry updates as the room would, with snapshots every SNAPSHOT_EVERY rows. */
async function build(store: Store, n: number): Promise<string> {
  const { id } = (await createIncident(store, { title: `load bench ${n}` }, null, DEFAULT_POLICY)).incident;
  const client = 424242;
  const shadow = new Y.Doc();
  let seq = 1;
  for (let i = 0; i < n; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const e = entry(j);
      batch.push({ bytes: encodeMapInserts(client, j, 'entries', [[e.id, e]]).bytes, entries: [e] });
    }
    const seqs = await store.appendUpdates(id, batch);
    for (const b of batch) Y.applyUpdate(shadow, b.bytes);
    for (const s of seqs) {
      seq = s;
      if (s % SNAPSHOT_EVERY === 0) await store.writeSnapshot(id, s, Y.encodeStateAsUpdate(shadow));
    }
    if ((i / 500) % 20 === 0) process.stderr.write(`  building ${n}: ${Math.min(n, i + 500)}/${n}\n`);
  }
  process.stderr.write(`  built ${n} updates (last seq ${seq})\n`);
  return id;
}

/**
 * Memory in use once pending work (the load's meta mirror write) has run and all is collected:
 * the JavaScript heap plus the buffers outside it.
 */
async function collectedMemory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    globalThis.gc?.();
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

/** The incident's last sequence number and its state then, from the newest snapshot and the log after it. */
async function wholeState(store: Store, id: string): Promise<[number, Uint8Array]> {
  const doc = new Y.Doc();
  const snapshot = await store.latestSnapshot(id);
  if (snapshot) Y.applyUpdate(doc, snapshot.state.bytes);
  const tail = await store.readLog(id, snapshot?.seq ?? 0);
  doc.transact(() => {
    for (const r of tail) Y.applyUpdate(doc, r.bytes);
  });
  return [tail.at(-1)?.seq ?? snapshot?.seq ?? 0, Y.encodeStateAsUpdate(doc)];
}

/** Runs `fn` and measures, besides its time, the longest the event loop went without a turn. */
async function stalls<T>(fn: () => Promise<T>): Promise<[number, number]> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const [, ms] = await time(fn);
  clearInterval(tick);
  return [ms, Math.max(longest, performance.now() - last)];
}

/** A first client in a process of its own (firstClient.ts): its milliseconds, as it measured them. */
function firstClient(
  mode: 'received' | 'provider',
  server: RunningServer,
  token: string,
  id: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', new URL('./firstClient.ts', import.meta.url).pathname, mode, server.url, id, token],
      { maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve((JSON.parse(stdout) as { ms: number }).ms)),
    );
  });
}

/**
 * A sitrep server on `env`'s storage serves `id`, unloaded before each client: the times until
 * a first client has received the state and until a stock provider is synced, each run REPEATS times.
 */
async function firstClients(env: Record<string, string>, id: string): Promise<[number[], number[]]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-bench-serve-'));
  const config = loadConfig({
    SITREP_PORT: '0',
    SITREP_DATA_DIR: dataDir,
    SITREP_LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, log);
  const token = server.bootstrap?.token ?? '';
  const unloaded = async () => {
    while (server.rooms.loadedRoom(id) || server.rooms.loaded > 0) {
      await new Promise((r) => setTimeout(r, 50));
      await server.rooms.sweep(0);
    }
    await collectedMemory();
  };
  const received: number[] = [];
  const providers: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    await unloaded();
    received.push(await firstClient('received', server, token, id));
    await unloaded();
    providers.push(await firstClient('provider', server, token, id));
  }
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  return [received, providers];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const medianEach = (xs: number[]) => `${median(xs).toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(', ')})`;

async function main() {
  const rows: string[][] = [];
  /** `serve`: runs a server on the same storage (PGlite's store is closed meanwhile: one process at a time). */
  type Opened = {
    store: Store;
    serve<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T>;
    done(): Promise<void>;
  };
  const backends: { name: string; open(): Promise<Opened> }[] = [
    {
      name: 'postgres',
      async open() {
        const pg: PostgresCluster = await startPostgres();
        const store = await openStore({ databaseUrl: pg.url, dataDir: '/tmp/unused' });
        return {
          store,
          serve: (fn) => fn({ DATABASE_URL: pg.url }),
          done: async () => (await store.close(), await pg.remove()),
        };
      },
    },
    {
      name: 'pglite',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'sitrep-bench-'));
        const opened: Opened = {
          store: await openStore({ dataDir: dir, databaseUrl: undefined }),
          async serve(fn) {
            await opened.store.close();
            try {
              return await fn({ SITREP_DATA_DIR: dir });
            } finally {
              opened.store = await openStore({ dataDir: dir, databaseUrl: undefined });
            }
          },
          done: async () => (await opened.store.close(), await rm(dir, { recursive: true, force: true })),
        };
        return opened;
      },
    },
  ];
  for (const backend of backends) {
    if (process.env.BENCH_BACKENDS && !process.env.BENCH_BACKENDS.split(',').includes(backend.name)) continue;
    const opened = await backend.open();
    for (const n of SIZES) {
      const store = opened.store;
      const id = await build(store, n);
      // The raw replay runs first, so the snapshot load does not pay for warming up.
      const [, replayMs] = await time(async () => {
        const doc = new Y.Doc();
        const logRows = await store.readLog(id);
        doc.transact(() => {
          for (const r of logRows) Y.applyUpdate(doc, r.bytes);
        });
        return doc;
      });
      const loads: number[] = [];
      for (let k = 1; k < REPEATS; k++) {
        await collectedMemory(); // each load starts with the last one's garbage collected
        const [room, ms] = await time(() => IncidentRoom.load(id, store, log, new Metrics(), SNAPSHOT_EVERY));
        loads.push(ms);
        await new Promise((r) => setTimeout(r, 100)); // the meta mirror write the load started
        room.destroy();
      }
      await collectedMemory();
      // The last load also weighs the document: memory with it held, less memory once dropped
      // (held in an array, as a variable of this async function would outlive the drop), as
      // loaded and after every entry was read once.
      const held: IncidentRoom[] = [];
      const [, lastMs] = await time(async () =>
        held.push(await IncidentRoom.load(id, store, log, new Metrics(), SNAPSHOT_EVERY)),
      );
      loads.push(lastMs);
      const [, replyMs] = await time(
        async () => held[0] && Y.encodeStateAsUpdate(held[0].doc, new Uint8Array([0])),
      );
      const count = held[0] ? entriesMap(held[0].doc).size : 0;
      const unread = await collectedMemory();
      const readAll = () => time(async () => held[0] && readEntries(held[0].doc).length);
      const [, readMs] = await readAll();
      const read = await collectedMemory();
      const [, againMs] = await readAll(); // the same read with every value already decoded
      for (const r of held.splice(0)) r.destroy();
      const base = await collectedMemory();
      const mb = (bytes: number) => ((bytes - base) / 2 ** 20).toFixed(1);
      loads.sort((a, b) => a - b);
      const loadMs = loads[Math.floor(loads.length / 2)] ?? NaN;
      const each = loads.map((l) => l.toFixed(0)).join(', ');
      const [lastSeq, state] = await wholeState(store, id);
      const [snapshotMs, stallMs] = await stalls(() => store.writeSnapshot(id, lastSeq, state));
      const [, storedMs] = await time(() => logAt(store, id));
      const [received, providers] = await opened.serve((env) => firstClients(env, id));
      rows.push([
        backend.name,
        String(n),
        String(count),
        `${loadMs.toFixed(0)} (${each})`,
        replyMs.toFixed(0),
        `${readMs.toFixed(0)} (${againMs.toFixed(0)})`,
        replayMs.toFixed(0),
        (replayMs / loadMs).toFixed(1),
        mb(unread),
        mb(read),
        `${snapshotMs.toFixed(0)} (${stallMs.toFixed(0)})`,
        storedMs.toFixed(0),
        medianEach(received),
        medianEach(providers),
      ]);
    }
    await opened.done();
  }
  const head = [
    'storage',
    'updates',
    'entries',
    'load ms, median (each)',
    'first sync reply ms',
    'then read all ms (again)',
    'raw replay ms',
    'speed-up',
    'MB per doc',
    'MB once read',
    'snapshot write ms (stall)',
    'stored state read ms',
    'first client: state received ms, median (each)',
    'stock provider synced ms, median (each)',
  ];
  printTable(head, rows);
  console.log(
    `\nnode ${process.version}, ${loadConfig({}).host}; snapshot every ${SNAPSHOT_EVERY} rows; target: 100k-update load under 1000 ms`,
  );
}

await main();
