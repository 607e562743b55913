// Benchmark: incident memory (issue 25). A corpus of MEMORY_INCIDENTS incidents (1,000) of
// MEMORY_ENTRIES entries each (200), written with multi-row inserts, on Postgres and on PGlite,
// side by side; then search and "seen before" (related) latency, p50 / p95 / max over many
// queries, for a reader limited to one incident (every other non-private incident readable).
// Then the ingest rate through HTTP with the search index as it is (migration 0023: kept after
// the commit by the search indexer) and without its text index, side by side on fresh databases,
// and whether search finds what was just acknowledged: how many just-acknowledged entries the
// first search after the acknowledgement finds (it waits briefly for the indexer).
// Options: MEMORY_BACKENDS=postgres,pglite; MEMORY_INCIDENTS, MEMORY_ENTRIES (MEMORY_QUICK=1: 200
// x 50); MEMORY_SEARCHES (80), MEMORY_RELATED (30); MEMORY_INGEST_ENTRIES (20,000, 0 skips it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelatedQuery, SearchQuery } from '@sitrep/shared';
import { IncidentMemory } from '../../server/src/memory/IncidentMemory.js';
import { openDatabase } from '../../server/src/store/db.js';
import { MemoryIndex } from '../../server/src/store/MemoryIndex.js';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { ingestRate } from './ingestRate.js';
import { type CorpusIncident, makeCorpus, searchQueries, seedCorpus } from './memoryCorpus.js';
import { percentile, printTable } from './table.js';

const quick = process.env.MEMORY_QUICK === '1';
const INCIDENTS = Number(process.env.MEMORY_INCIDENTS ?? (quick ? 200 : 1000));
const ENTRIES = Number(process.env.MEMORY_ENTRIES ?? (quick ? 50 : 200));
const SEARCHES = Number(process.env.MEMORY_SEARCHES ?? (quick ? 40 : 80));
const RELATED = Number(process.env.MEMORY_RELATED ?? (quick ? 10 : 30));
const INGEST_ENTRIES = Number(process.env.MEMORY_INGEST_ENTRIES ?? (quick ? 5000 : 20_000));
const BACKENDS = (process.env.MEMORY_BACKENDS ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
async function timed(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(3, n); i++) await run(i); // warm: plans, caches, JIT
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function open(backend: 'postgres' | 'pglite', pg: PostgresCluster | null, name: string, dir: string) {
  return openDatabase({
    databaseUrl: backend === 'postgres' ? await pg?.createDatabase(name) : undefined,
    dataDir: join(dir, name),
  });
}

async function latencies(backend: 'postgres' | 'pglite', pg: PostgresCluster | null, dir: string) {
  const corpus = makeCorpus({
    incidents: INCIDENTS,
    entriesPerIncident: ENTRIES,
    modes: Math.ceil(INCIDENTS / 15),
  });
  const handle = await open(backend, pg, 'memory', dir);
  process.stderr.write(`  memory on ${backend}: seeding ${INCIDENTS} x ${ENTRIES}\n`);
  const seconds = await seedCorpus(handle, corpus);
  // Autovacuum would mark the new word records visible soon after (so they are read from their
  // index alone); PGlite has no autovacuum, and sitrep does not vacuum it.
  if (backend === 'postgres') await handle.db.execute('vacuum incident_terms');
  const index = new MemoryIndex(handle.db);
  // A new IncidentMemory per call makes every answer anew; the one below keeps its answers.
  const fresh = () => new IncidentMemory(index);
  const memory = fresh();
  const sources = corpus.filter((c) => !c.private && c.kind === 'incident');
  const source = (i: number) => sources[(i * 37) % sources.length] as CorpusIncident;
  const readerOf = (c: CorpusIncident) => ({ role: 'responder', incidentId: c.id, isolated: false }) as const;
  const viewer = { role: 'viewer', incidentId: null, isolated: false } as const;
  const held = (c: CorpusIncident) => ({ title: c.title, entries: c.entries, seq: c.entries.length });
  const queries = searchQueries(corpus, SEARCHES);
  process.stderr.write(`  memory on ${backend}: ${SEARCHES} searches, ${RELATED} x 4 related\n`);
  const search = await timed(SEARCHES, (i) =>
    memory.search(SearchQuery.parse({ q: queries[i % queries.length]?.q }), viewer),
  );
  const related = await timed(RELATED, (i) =>
    fresh().related(source(i).id, RelatedQuery.parse({}), readerOf(source(i))),
  );
  const relatedHeld = await timed(RELATED, (i) =>
    fresh().related(source(i).id, RelatedQuery.parse({}), readerOf(source(i)), held(source(i))),
  );
  const relatedEntry = await timed(RELATED, (i) => {
    const c = source(i);
    const theory = c.entries.find((e) => e.kind === 'theory') ?? c.entries[0];
    return fresh().related(c.id, RelatedQuery.parse({ entry: theory?.id }), readerOf(c));
  });
  for (let i = 0; i < RELATED; i++)
    await memory.related(source(i).id, RelatedQuery.parse({}), readerOf(source(i)));
  const relatedKept = await timed(RELATED, (i) =>
    memory.related(source(i).id, RelatedQuery.parse({}), readerOf(source(i))),
  );
  await handle.close();
  const row = (what: string, ms: number[], target: string) => [
    backend,
    what,
    String(ms.length),
    percentile(ms, 50).toFixed(1),
    percentile(ms, 95).toFixed(1),
    Math.max(...ms).toFixed(1),
    target,
  ];
  return {
    seeded: [
      backend,
      `${INCIDENTS} x ${ENTRIES}`,
      seconds.toFixed(1),
      ((INCIDENTS * ENTRIES) / seconds).toFixed(0),
    ],
    rows: [
      row('search', search, backend === 'postgres' ? '< 50' : ''),
      row('related (incident), read from the store', related, backend === 'postgres' ? '< 200' : ''),
      row('related (incident), its entries given', relatedHeld, backend === 'postgres' ? '< 200' : ''),
      row('related (?entry=)', relatedEntry, backend === 'postgres' ? '< 200' : ''),
      row('related (incident), answer kept', relatedKept, backend === 'postgres' ? '< 200' : ''),
    ],
  };
}

/** The search index as it is (kept after the commit since 0023), or without its text index: applied to a migrated database. */
const VARIANTS: Record<string, readonly string[]> = {
  'search index after the commit (0023)': [],
  'no text index': ['drop index entry_search_search'],
};

/** Entries appended one at a time, each searched for at once after its acknowledgement. */
const LAG_PROBES = 20;

async function ingest(backend: 'postgres' | 'pglite', pg: PostgresCluster | null, dir: string) {
  const rows: string[][] = [];
  let lag = '';
  for (const [variant, changes] of Object.entries(VARIANTS)) {
    const name = `ingest_${rows.length}`;
    const handle = await open(backend, pg, name, dir);
    for (const change of changes) await handle.db.execute(change);
    await handle.close();
    process.stderr.write(`  ingest on ${backend}: ${variant}\n`);
    const run = await ingestRate({
      clients: 4,
      entries: INGEST_ENTRIES,
      shared: false,
      pg: pg ?? undefined,
      databaseUrl: backend === 'postgres' ? pg?.url.replace(/\/postgres$/, `/${name}`) : undefined,
      dataDir: join(dir, name),
      searchable: !changes.some((c) => c.includes('drop column search')),
      after:
        changes.length > 0
          ? undefined
          : async (_server, api) => {
              const id = (await api.createIncident({ title: 'lag probes' })).incident.id;
              let found = 0;
              for (let i = 0; i < LAG_PROBES; i++) {
                const word = `lagprobe${i}q${Date.now().toString(36)}`;
                const author = { id: 'lag', name: 'Lag', kind: 'harness' as const };
                await api.appendEntries(id, {
                  entries: [{ kind: 'finding', body: `probe ${word}`, author }],
                });
                const { results } = await api.search({ q: word });
                if (results.length === 1) found++;
              }
              lag = `${found} of ${LAG_PROBES}`;
            },
    });
    rows.push([
      backend,
      variant,
      String(run.entries),
      run.seconds.toFixed(1),
      (run.entries / run.seconds).toFixed(0),
      run.processMs.toFixed(3),
      run.postgresMs?.toFixed(3) ?? '-',
    ]);
  }
  return { rows, lag: [backend, lag] };
}

const seeded: string[][] = [];
const latency: string[][] = [];
const ingested: string[][] = [];
const lags: string[][] = [];
for (const backend of BACKENDS) {
  const pg = backend === 'postgres' ? await startPostgres() : null;
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-memory-'));
  try {
    const l = await latencies(backend, pg, dir);
    seeded.push(l.seeded);
    latency.push(...l.rows);
    if (INGEST_ENTRIES > 0) {
      const i = await ingest(backend, pg, dir);
      ingested.push(...i.rows);
      lags.push(i.lag);
    }
  } finally {
    await pg?.remove();
    await rm(dir, { recursive: true, force: true });
  }
}
printTable(['storage', 'corpus', 'seconds', 'entries/s (multi-row inserts)'], seeded);
printTable(['storage', 'query', 'n', 'p50 ms', 'p95 ms', 'max ms', 'target p95 ms'], latency);
if (ingested.length > 0) {
  printTable(
    [
      'storage',
      'text index',
      'entries',
      'seconds',
      'entries/s (durable)',
      'process CPU ms/entry',
      'Postgres CPU ms/entry',
    ],
    ingested,
  );
  printTable(['storage', 'just-acknowledged entries found by the first search'], lags);
}
