// HTTP batch ingest as the ingest and memory benchmarks measure it: C clients each post batches
// of 500 entries (400-byte bodies) to their own incident or to one shared incident, against a
// server in this process on a database made ready beforehand. Returns entries/s and the CPU per
// entry of this process (server and clients) and of Postgres's processes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type EntryDraft } from '@sitrep/shared';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { type RunningServer, startServer } from '../../server/src/main.js';
import type { PostgresCluster } from '../support/postgres.js';
import { cpuOf, pgPids } from './proc.js';

export const BATCH = 500;
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

export interface IngestRun {
  seconds: number;
  entries: number;
  /** CPU ms per entry of this process, and of Postgres's processes (null on PGlite). */
  processMs: number;
  postgresMs: number | null;
}

/**
 * Runs one ingest. `pg` with `databaseUrl` (a database of that cluster, or its default one)
 * for Postgres, neither for PGlite in `dataDir` (a temporary directory when not given).
 * `after` runs against the server once the entries are in, before it closes.
 */
export async function ingestRate(opts: {
  clients: number;
  entries: number;
  shared: boolean;
  pg?: PostgresCluster | undefined;
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  after?: (server: RunningServer, api: ApiClient) => Promise<void>;
}): Promise<IngestRun> {
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'sitrep-ingest-')));
  const server = await startServer(
    loadConfig({
      SITREP_PORT: '0',
      SITREP_DATA_DIR: dir,
      DATABASE_URL: opts.databaseUrl,
      SITREP_LOG_LEVEL: 'silent',
    }),
    createLogger('silent'),
  );
  const api = new ApiClient(server.url, { token: server.bootstrap?.token, timeoutMs: 120_000 });
  const ids = await Promise.all(
    Array.from({ length: opts.shared ? 1 : opts.clients }, (_, c) =>
      api.createIncident({ title: `ingest ${c}` }).then((r) => r.incident.id),
    ),
  );
  const perClient = Math.ceil(opts.entries / opts.clients / BATCH) * BATCH;
  const { pg } = opts;
  const pgCpu = async () => (pg ? cpuOf(pgPids(pg)) : 0);
  const [cpu0, pg0, started] = [process.cpuUsage(), await pgCpu(), performance.now()];
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      for (let n = 0; n < perClient; n += BATCH)
        await api.appendEntries(ids[opts.shared ? 0 : c] ?? '', { entries: batch(c, n) });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = perClient * opts.clients;
  const used = process.cpuUsage(cpu0);
  const perEntry = (s: number) => (s * 1000) / total;
  const run: IngestRun = {
    seconds,
    entries: total,
    processMs: perEntry((used.user + used.system) / 1e6),
    postgresMs: pg ? perEntry((await pgCpu()) - pg0) : null,
  };
  await opts.after?.(server, api);
  await server.close();
  if (!opts.dataDir) await rm(dir, { recursive: true, force: true });
  return run;
}
