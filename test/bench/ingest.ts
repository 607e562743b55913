// Benchmark: HTTP batch append throughput, durable (each response comes after the commit). C
// clients each post batches of 500 entries (400-byte bodies) to their own incident and to one
// shared incident, on PGlite and on Postgres (fsync on); the server runs in this process. Prints
// entries/s, the CPU per entry of this process (server and clients) and of Postgres's processes,
// the search index's lag (ms from each client's last acknowledgement until search found its last
// entry: the longest, and how many clients' the first search found; ms from the last
// acknowledgement until the index held every entry; the indexer's own largest lag during the
// run, sampled every 50 ms), whether the entry list gives
// every entry written, and the load average. Options: INGEST_CLIENTS (4), INGEST_ENTRIES (40,000),
// INGEST_BACKENDS (postgres,pglite).
import { loadavg } from 'node:os';
import { startPostgres } from '../support/postgres.js';
import { BATCH, ingestRate } from './ingestRate.js';
import { printTable } from './table.js';

const CLIENTS = Number(process.env.INGEST_CLIENTS ?? 4);
const ENTRIES = Number(process.env.INGEST_ENTRIES ?? 40_000);

async function measure(backend: 'pglite' | 'postgres', shared: boolean): Promise<string[]> {
  const pg = backend === 'postgres' ? await startPostgres({ fsync: true }) : null;
  const run = await ingestRate({
    clients: CLIENTS,
    entries: ENTRIES,
    shared,
    pg: pg ?? undefined,
    databaseUrl: pg?.url,
  });
  await pg?.remove();
  return [
    backend,
    shared ? '1 shared' : `${CLIENTS} (one each)`,
    String(CLIENTS),
    String(run.entries),
    run.seconds.toFixed(1),
    (run.entries / run.seconds).toFixed(0),
    run.processMs.toFixed(3),
    run.postgresMs?.toFixed(3) ?? '-',
    `${Math.max(...run.lagMs).toFixed(0)} (${run.foundAtOnce} of ${run.lagMs.length} at once)`,
    run.indexedMs.toFixed(0),
    run.maxLagMs.toFixed(0),
    run.listed === run.entries ? 'yes' : `no: ${run.listed} of ${run.entries}`,
    loadavg()[0]?.toFixed(1) ?? '-',
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
  'last entry searchable, ms after its ack',
  'index caught up, ms after the last ack',
  'index lag, largest ms',
  'entry list exact',
  'load average',
];
printTable(head, rows);
console.log(
  `\nbatches of ${BATCH} entries of about 400 bytes; targets: 20,000 entries/s on Postgres, 5,000 on PGlite, ` +
    'search caught up within 10 s, its lag under 1 s',
);
