// Benchmark: HTTP batch append throughput, durable (each response comes after the commit). C
// clients each post batches of 500 entries (400-byte bodies) to their own incident and to one
// shared incident, on PGlite and on Postgres; the server runs in this process. Prints entries/s
// and the CPU per entry of this process (server and clients) and of Postgres's processes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type EntryDraft } from '@sitrep/shared';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/main.js';
import { startPostgres } from '../support/postgres.js';
import { cpuOf, pgPids } from './proc.js';
import { printTable } from './table.js';

const CLIENTS = Number(process.env.INGEST_CLIENTS ?? 4);
const ENTRIES = Number(process.env.INGEST_ENTRIES ?? 40_000);
const BATCH = 500;
const body =
  'p99 latency on checkout-api rose while the connection pool saturated; waiters climbed past 300 and the replica lag grew. '
    .repeat(4)
    .slice(0, 400);

function batch(client: number, n: number): EntryDraft[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    kind: 'finding',
    body: `${n + i}: ${body}`.slice(0, 400),
    author: { id: `ingest-${client}`, name: `Ingest ${client}`, kind: 'harness', harness: 'bench' },
  }));
}

async function measure(backend: 'pglite' | 'postgres', shared: boolean): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-ingest-'));
  const pg = backend === 'postgres' ? await startPostgres() : null;
  const server = await startServer(
    loadConfig({ SITREP_PORT: '0', SITREP_DATA_DIR: dir, DATABASE_URL: pg?.url, SITREP_LOG_LEVEL: 'silent' }),
    createLogger('silent'),
  );
  const api = new ApiClient(server.url, { token: server.bootstrap?.token, timeoutMs: 120_000 });
  const ids = await Promise.all(
    Array.from({ length: shared ? 1 : CLIENTS }, (_, c) =>
      api.createIncident({ title: `ingest ${c}` }).then((r) => r.incident.id),
    ),
  );
  const perClient = Math.ceil(ENTRIES / CLIENTS / BATCH) * BATCH;
  const pgCpu = async () => (pg ? cpuOf(pgPids(pg)) : 0);
  const [cpu0, pg0, started] = [process.cpuUsage(), await pgCpu(), performance.now()];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; n < perClient; n += BATCH)
        await api.appendEntries(ids[shared ? 0 : c] ?? '', { entries: batch(c, n) });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = perClient * CLIENTS;
  const used = process.cpuUsage(cpu0);
  const perEntry = (s: number) => ((s * 1000) / total).toFixed(3);
  const cpu = [perEntry((used.user + used.system) / 1e6), pg ? perEntry((await pgCpu()) - pg0) : '-'];
  await server.close();
  await pg?.remove();
  await rm(dir, { recursive: true, force: true });
  return [
    backend,
    shared ? '1 shared' : `${CLIENTS} (one each)`,
    String(CLIENTS),
    String(total),
    seconds.toFixed(1),
    (total / seconds).toFixed(0),
    ...cpu,
  ];
}

const rows: string[][] = [];
for (const backend of ['postgres', 'pglite'] as const) {
  if (process.env.INGEST_BACKENDS && !process.env.INGEST_BACKENDS.split(',').includes(backend)) continue;
  for (const shared of [false, true]) {
    process.stderr.write(`  ingest on ${backend}, ${shared ? 'one incident' : 'an incident per client'}\n`);
    rows.push(await measure(backend, shared));
  }
}
const head = [
  'storage',
  'incidents',
  'clients',
  'entries',
  'seconds',
  'entries/s (durable)',
  'process CPU ms/entry',
  'Postgres CPU ms/entry',
];
printTable(head, rows);
console.log(`\nbatches of ${BATCH} entries of about 400 bytes; target: 20,000 entries/s on Postgres`);
