// Benchmark: what the LLM summarizer sends per run on a 5,000-entry incident. A real server (PGlite)
// summarizes through the real SDK against the fake Messages API on loopback; entries arrive in
// steps, the summarizer runs after each step, and the fake server's usage counts say how many
// input tokens each run cost. Prints a table: the input stays within the configured budget
// however long the incident gets, and the cost per new entry stays flat.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type Entry, newEntryId } from '@sitrep/shared';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/main.js';
import { startFakeAnthropic } from '../support/fakeAnthropic.js';
import { prng } from '../support/random.js';
import { printTable } from './table.js';

const TOTAL = Number(process.env.BENCH_SUMMARY_ENTRIES ?? 5_000);
const STEPS = [1, 10, 50, 250];
const MAX_INPUT_TOKENS = 12_000;
const random = prng(11);
const KINDS = ['finding', 'finding', 'finding', 'note', 'transcript', 'theory', 'dataset'] as const;
const authors = Array.from({ length: 8 }, (_, i) => ({
  id: `responder-${i}`,
  name: `Responder ${i}`,
  kind: 'harness' as const,
  harness: 'claude-code',
}));

function entry(i: number, theories: string[]): Entry {
  const kind = KINDS[random.int(KINDS.length)] ?? 'finding';
  const e: Entry = {
    v: 1,
    id: newEntryId(),
    kind,
    body:
      `Observation ${i}: p99 on checkout-api is ${200 + random.int(2000)} ms, pool ` +
      `${random.int(100)}/100 in use, ${random.int(500)} waiters; error rate ` +
      `${(random.next() * 5).toFixed(1)}%.`,
    author: authors[random.int(authors.length)] ?? authors[0]!,
    at: new Date(Date.parse('2026-11-24T14:00:00Z') + i * 1000).toISOString(),
  };
  if (kind === 'theory')
    e.title = `Theory ${i}: ${['pool exhaustion', 'bad deploy', 'noisy neighbour', 'dns'][random.int(4)]}`;
  const target = theories[random.int(theories.length)];
  if (kind === 'finding' && target && random.next() < 0.4) e.refs = [target];
  return e;
}

async function main() {
  const fake = await startFakeAnthropic();
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-bench-summary-'));
  const config = loadConfig({
    SITREP_PORT: '0',
    SITREP_DATA_DIR: dir,
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: fake.url,
    SITREP_SUMMARY_DEBOUNCE_MS: '20',
    SITREP_SUMMARY_TOKENS_PER_HOUR: '100000000',
    SITREP_SUMMARY_MAX_INPUT_TOKENS: String(MAX_INPUT_TOKENS),
  });
  const server = await startServer(config, createLogger('silent'));
  const api = new ApiClient(server.url, { token: server.bootstrap?.token });
  const { id } = (await api.createIncident({ title: 'summarizer bench' })).incident;
  const theories: string[] = [];
  const rows: string[][] = [];
  let written = 0;
  let step = 0;
  while (written < TOTAL) {
    const size = Math.min(STEPS[step++ % STEPS.length] ?? 1, TOTAL - written);
    const batch = Array.from({ length: size }, (_, k) => entry(written + k, theories));
    for (const e of batch) if (e.kind === 'theory') theories.push(e.id);
    for (let i = 0; i < batch.length; i += 500)
      await api.appendEntries(id, { entries: batch.slice(i, i + 500) });
    written += size;
    const last = batch.at(-1)?.id;
    const before = fake.requests.length;
    for (let t = Date.now(); (await api.view(id)).commander?.watermark !== last; ) {
      if (Date.now() - t > 30_000) throw new Error(`no view after ${written} entries`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const runs = fake.requests.slice(before);
    const req = runs.at(-1);
    if (!req) continue;
    const tokens = Math.ceil((req.system.length + req.user.length) / 4);
    if (rows.length < 12 || written === TOTAL || step % 8 === 0) {
      const included = req.data.newEntries.length;
      rows.push([
        String(written),
        String(size),
        String(included),
        String(req.data.omittedOlderNewEntries ?? 0),
        String(tokens),
        (tokens / Math.max(1, included)).toFixed(0),
      ]);
    }
  }
  // Everything at once: a summarizer that starts late on a full incident (paused while it fills,
  // then resumed) still stays in budget.
  const { id: late } = (await api.createIncident({ title: 'summarizer bench, all at once' })).incident;
  await api.setSummarizerPaused(late, true);
  const all = Array.from({ length: TOTAL }, (_, i) => entry(i, []));
  for (let i = 0; i < all.length; i += 500) await api.appendEntries(late, { entries: all.slice(i, i + 500) });
  const before = fake.requests.length;
  await api.setSummarizerPaused(late, false);
  for (
    let t = Date.now();
    !fake.requests.slice(before).some((r) => r.data.meta.title.endsWith('all at once'));
  ) {
    if (Date.now() - t > 30_000) throw new Error('no run on the late incident');
    await new Promise((r) => setTimeout(r, 20));
  }
  const lateReq = fake.requests.slice(before).find((r) => r.data.meta.title.endsWith('all at once'));
  if (lateReq) {
    const tokens = Math.ceil((lateReq.system.length + lateReq.user.length) / 4);
    rows.push([
      `${TOTAL} (new incident)`,
      String(TOTAL),
      String(lateReq.data.newEntries.length),
      String(lateReq.data.omittedOlderNewEntries ?? 0),
      String(tokens),
      (tokens / lateReq.data.newEntries.length).toFixed(0),
    ]);
  }
  await server.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });

  const head = [
    'entries so far',
    'new since last run',
    'new sent',
    'new left out',
    'input tokens',
    'tokens per new entry sent',
  ];
  printTable(head, rows);
  console.log(
    `\ninput budget per run: ${MAX_INPUT_TOKENS} tokens (estimated at 4 characters a token; the fake API counts the same way)`,
  );
}

await main();
