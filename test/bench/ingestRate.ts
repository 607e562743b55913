// HTTP batch ingest as the ingest and memory benchmarks measure it: C clients each post batches
// of 500 entries (400-byte bodies) to their own incident or to one shared incident, against a
// server in this process on a database made ready beforehand. Returns entries/s and the CPU per
// entry of this process (server and clients) and of Postgres's processes; how long after each
// client's last acknowledgement search found that client's last entry (a word only that entry
// holds; search waits up to a second for the indexer) and until the search index held every entry
// (its lag behind the log, CPU counted until then); and how many entries the entry list gives once
// the burst is in (it must be every entry written).
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

/** A word that only the last entry of one client's burst holds. */
const lastWord = (client: number, tag: string) => `burstend${client}x${tag}`;

function batch(client: number, n: number, last: string | null): EntryDraft[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    kind: 'finding',
    body: `${n + i}: ${last !== null && i === BATCH - 1 ? `${last} ` : ''}${body}`.slice(0, 400),
    author: { id: `ingest-${client}`, name: `Ingest ${client}`, kind: 'harness', harness: 'bench' },
  }));
}

export interface IngestRun {
  seconds: number;
  entries: number;
  /** CPU ms per entry of this process, and of Postgres's processes (null on PGlite). */
  processMs: number;
  postgresMs: number | null;
  /**
   * The search index's lag: for each client, ms from its last acknowledgement until a search
   * found its last entry (searched at once, then every 10 ms), and whether the first search did;
   * empty when not `searchable`.
   */
  lagMs: number[];
  foundAtOnce: number;
  /** Ms from the last acknowledgement until the search index held every entry (its pending words merged). */
  indexedMs: number;
  /** The indexer's own lag (its oldest unindexed commit's age), the largest seen, sampled every 50 ms from start to caught up. */
  maxLagMs: number;
  /** Entries the entry list gives after the burst, all incidents together (paged by id). */
  listed: number;
}

const SEARCH_DEADLINE_MS = 60_000;
const LIST_PAGE = 1000;

/** Ms from now until a search for `word` in `incident` finds an entry; true if the first search did. */
async function untilFound(api: ApiClient, incident: string, word: string): Promise<[number, boolean]> {
  const started = performance.now();
  for (let tries = 0; performance.now() - started < SEARCH_DEADLINE_MS; tries++) {
    const { results } = await api.search({ q: word, incident });
    if (results.length > 0) return [performance.now() - started, tries === 0];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`search did not find ${word} within ${SEARCH_DEADLINE_MS} ms of its acknowledgement`);
}

/**
 * How many entries the entry list gives for the incident, a page of 1,000 at a time (pages of
 * 5,000 on PGlite held the event loop long enough for the server to close the keep-alive
 * connection the client was about to reuse: fetch failed).
 */
async function listedEntries(api: ApiClient, incident: string): Promise<number> {
  let count = 0;
  for (let after: string | undefined; ; ) {
    const { entries } = await api.listEntries(incident, { limit: LIST_PAGE, after });
    count += entries.length;
    if (entries.length < LIST_PAGE) return count;
    after = entries.at(-1)?.id;
  }
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
  /** False: the database has no search (a variant without the text index); the lag is not measured. */
  searchable?: boolean;
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
  const tag = Date.now().toString(36);
  const [cpu0, pg0, started] = [process.cpuUsage(), await pgCpu(), performance.now()];
  let ended = 0;
  let done = 0;
  let maxLagMs = 0;
  const lagSampler = setInterval(() => {
    maxLagMs = Math.max(maxLagMs, server.searchIndexer.lagSeconds() * 1000);
  }, 50);
  let allAcknowledged = () => {};
  // When the index held every entry: waited for once the last client's last append is acknowledged.
  const indexed = new Promise<void>((resolve) => {
    allAcknowledged = resolve;
  }).then(async () => {
    await server.searchIndexer.caughtUp();
    return performance.now();
  });
  const lags = await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      const incident = ids[opts.shared ? 0 : c] ?? '';
      for (let n = 0; n < perClient; n += BATCH) {
        const last = n + BATCH >= perClient ? lastWord(c, tag) : null;
        await api.appendEntries(incident, { entries: batch(c, n, last) });
        if (last === null) continue;
        ended = Math.max(ended, performance.now());
        if (++done === opts.clients) allAcknowledged();
        if (opts.searchable !== false) return untilFound(api, incident, last);
      }
      return null;
    }),
  );
  const indexedMs = (await indexed) - ended;
  clearInterval(lagSampler);
  const seconds = (ended - started) / 1000;
  const total = perClient * opts.clients;
  const used = process.cpuUsage(cpu0);
  const perEntry = (s: number) => (s * 1000) / total;
  const run: IngestRun = {
    seconds,
    entries: total,
    processMs: perEntry((used.user + used.system) / 1e6),
    postgresMs: pg ? perEntry((await pgCpu()) - pg0) : null,
    lagMs: lags.flatMap((l) => (l ? [l[0]] : [])),
    indexedMs,
    maxLagMs,
    foundAtOnce: lags.filter((l) => l?.[1]).length,
    listed: 0,
  };
  for (const id of ids) run.listed += await listedEntries(api, id);
  await opts.after?.(server, api);
  await server.close();
  if (!opts.dataDir) await rm(dir, { recursive: true, force: true });
  return run;
}
