// Benchmark: HTTP batch append throughput, durable (each response comes after the commit). C
// clients each post batches of 500 entries (400-byte bodies) to their own incident and to one
// shared incident, on PGlite and on Postgres; the server runs in this process. Prints entries/s
// and the CPU per entry of this process (server and clients) and of Postgres's processes.
import { startPostgres } from '../support/postgres.js';
import { BATCH, ingestRate } from './ingestRate.js';
import { printTable } from './table.js';

const CLIENTS = Number(process.env.INGEST_CLIENTS ?? 4);
const ENTRIES = Number(process.env.INGEST_ENTRIES ?? 40_000);

async function measure(backend: 'pglite' | 'postgres', shared: boolean): Promise<string[]> {
  const pg = backend === 'postgres' ? await startPostgres() : null;
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
