// Benchmark: insights across incidents (issue 27). The memory bench's corpus of INSIGHTS_INCIDENTS
// incidents (1,000) of INSIGHTS_ENTRIES entries each (200), with milestone times, severities,
// summarizer runs and harness usage, then GET /api/insights through a real server over HTTP for
// an unscoped viewer (private incidents left out by the store's query): the first request (every
// incident's entry figures worked out and kept), requests after it (kept figures), and requests
// after INSIGHTS_CHANGED incidents (10) each gained an entry (those worked out again).
// Options: INSIGHTS_BACKENDS=postgres,pglite; INSIGHTS_INCIDENTS, INSIGHTS_ENTRIES
// (INSIGHTS_QUICK=1: 200 x 50); INSIGHTS_REQUESTS (30).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, newEntryId } from '@sitrep/shared';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/main.js';
import { openDatabase } from '../../server/src/store/db.js';
import { type PostgresCluster, startPostgres } from '../support/postgres.js';
import { makeCorpus, seedCorpus } from './memoryCorpus.js';
import { percentile, printTable } from './table.js';

const quick = process.env.INSIGHTS_QUICK === '1';
const INCIDENTS = Number(process.env.INSIGHTS_INCIDENTS ?? (quick ? 200 : 1000));
const ENTRIES = Number(process.env.INSIGHTS_ENTRIES ?? (quick ? 50 : 200));
const REQUESTS = Number(process.env.INSIGHTS_REQUESTS ?? 30);
const CHANGED = Number(process.env.INSIGHTS_CHANGED ?? 10);
const BACKENDS = (process.env.INSIGHTS_BACKENDS ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];

async function timedMs(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** An ISO time `minutes` (an SQL expression) after the incident's creation. */
const after = (minutes: string) =>
  `to_char((created_at + (${minutes}) * interval '1 minute') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Severities and milestone times (minutes from declaration, by a hash of the id) for the corpus. */
const OUTCOMES = `
  update incidents set
    severity = 'SEV' || (1 + abs(hashtext(id)) % 4),
    declared_at = created_at,
    milestones = jsonb_build_object(
      'createdAt', ${after('0')}, 'startedAt', null, 'detectedAt', null,
      'acknowledgedAt', ${after("1 + abs(hashtext(id || 'a')) % 15")},
      'mitigatedAt', ${after("20 + abs(hashtext(id || 'm')) % 120")},
      'resolvedAt', ${after("150 + abs(hashtext(id || 'r')) % 600")})`;

const serve = (dataDir: string, databaseUrl: string | undefined) =>
  startServer(
    loadConfig({
      SITREP_PORT: '0',
      SITREP_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SITREP_LOG_LEVEL: 'silent',
    }),
    createLogger('silent'),
  );

async function run(backend: 'postgres' | 'pglite', pg: PostgresCluster | null, dir: string) {
  const databaseUrl = backend === 'postgres' ? await pg?.createDatabase('insights') : undefined;
  const dataDir = join(dir, 'insights');
  const server0 = await serve(dataDir, databaseUrl);
  const token = server0.bootstrap?.token ?? '';
  const admin = new ApiClient(server0.url, { token, timeoutMs: 600_000 });
  const tokenId = (await admin.me()).tokenId;
  const viewerToken = (await admin.createToken({ role: 'viewer', label: 'bench viewer' })).token;
  await server0.close();

  const handle = await openDatabase({ databaseUrl, dataDir });
  const corpus = makeCorpus({
    incidents: INCIDENTS,
    entriesPerIncident: ENTRIES,
    modes: Math.ceil(INCIDENTS / 15),
  });
  process.stderr.write(`  insights on ${backend}: seeding ${INCIDENTS} x ${ENTRIES}\n`);
  await seedCorpus(handle, corpus);
  await handle.db.execute(OUTCOMES);
  // Five summarizer runs per incident; a harness session of 20 messages (four token kinds each).
  await handle.db.execute(`
    insert into summaries (incident_id, model, input_tokens, output_tokens, latency_ms)
    select i.id, 'claude-sonnet-4-5', 4000 + g * 100, 600, 1000 from incidents i, generate_series(1, 5) g`);
  if (!/^[\w-]+$/.test(tokenId)) throw new Error(`unexpected token id ${tokenId}`);
  await handle.db.execute(`
    insert into harness_usage (incident_id, token_id, session_id, model, kind, source, series, start_ns, end_ns, value, tokens, at)
    select i.id, '${tokenId}', 's-' || i.id, 'claude-sonnet-4-5', k, 'transcript', 'm' || g, 0, 0, 1000, 1000, i.created_at
    from incidents i, generate_series(1, 20) g, unnest(array['input', 'output', 'cacheRead', 'cacheCreation']) k`);
  // Counted as the migration counts usage recorded before the counter: summed on the first read.
  await handle.db.execute('insert into usage_sums (incident_id, seq) select id, 1 from incidents');
  await handle.db.execute('analyze');
  await handle.close();

  const server = await serve(dataDir, databaseUrl);
  const viewer = new ApiClient(server.url, { token: viewerToken, timeoutMs: 600_000 });
  const writer = new ApiClient(server.url, { token, timeoutMs: 600_000 });
  process.stderr.write(`  insights on ${backend}: first request, then ${REQUESTS}\n`);
  let counted = 0;
  const cold = await timedMs(async () => {
    counted = (await viewer.insights()).rows.length;
  });
  const warm: number[] = [];
  for (let i = 0; i < REQUESTS; i++) warm.push(await timedMs(() => viewer.insights()));
  // The same answer read as plain JSON: the server's time without the client's schema check.
  const raw: number[] = [];
  const plain = () =>
    fetch(`${server.url}/api/insights`, { headers: { authorization: `Bearer ${viewerToken}` } }).then((r) =>
      r.json(),
    );
  for (let i = 0; i < REQUESTS; i++) raw.push(await timedMs(plain));
  const filtered: number[] = [];
  for (let i = 0; i < REQUESTS; i++)
    filtered.push(await timedMs(() => viewer.insights({ severity: 'SEV1', from: '2026-01-01' })));
  const changed: number[] = [];
  const open = corpus.filter((c) => !c.private);
  for (let i = 0; i < Math.min(REQUESTS, 10); i++) {
    for (let j = 0; j < CHANGED; j++) {
      const c = open[(i * CHANGED + j) % open.length];
      if (!c) continue;
      await writer.appendEntries(c.id, {
        entries: [
          {
            id: newEntryId(),
            kind: 'note',
            body: 'bench change',
            author: { id: 'b', name: 'B', kind: 'human' },
          },
        ],
      });
    }
    changed.push(await timedMs(() => viewer.insights()));
  }
  await server.close();
  const row = (what: string, ms: readonly number[]) => [
    backend,
    what,
    String(ms.length),
    percentile(ms, 50).toFixed(1),
    percentile(ms, 95).toFixed(1),
    Math.max(...ms).toFixed(1),
    backend === 'postgres' && what !== 'first request (all worked out)' ? '< 200' : '',
  ];
  return [
    row('first request (all worked out)', [cold]),
    row(`kept figures, ${counted} incidents counted`, warm),
    row('kept figures, read as plain JSON (no client schema check)', raw),
    row('kept, ?severity=SEV1&from=', filtered),
    row(`after ${CHANGED} incidents changed`, changed),
  ];
}

const dir = await mkdtemp(join(tmpdir(), 'sitrep-insights-'));
const pg = BACKENDS.includes('postgres') ? await startPostgres() : null;
try {
  const rows: string[][] = [];
  for (const backend of BACKENDS) rows.push(...(await run(backend, pg, join(dir, backend))));
  console.log(
    `\nGET /api/insights over HTTP, ${INCIDENTS} incidents x ${ENTRIES} entries, an unscoped viewer`,
  );
  printTable(['storage', 'request', 'n', 'p50 ms', 'p95 ms', 'max ms', 'target ms'], rows);
} finally {
  await pg?.remove();
  await rm(dir, { recursive: true, force: true });
}
