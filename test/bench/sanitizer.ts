// Benchmark: the sanitizer's cost per entry, against the secret scanner alone. 2,000 entries of
// about 400 bytes of busy incident prose (the near-miss corpus: IPs, ids, versions, SQL, stack
// traces) go one call per entry, as the websocket gate scans one update at a time and a client
// redacts one entry before sending, then 500 per call, as an HTTP batch is scanned. Prints the
// median of BENCH_SANITIZER_ROUNDS (5) rounds in µs per entry. Runs unchanged on a tree that
// predates the sanitizer (it then measures the scanner alone), to compare before and after.
import { newEntryId } from '@sitrep/shared';
import * as sanitizer from '@sitrep/shared/sanitizer';
import { nearMissCorpus } from '../corpus/sanitizer/nearMisses.js';
import { printTable } from './table.js';

const ROUNDS = Number(process.env.BENCH_SANITIZER_ROUNDS ?? 5);
const ENTRIES = 2_000;
const BATCH = 500;

const prose = nearMissCorpus();
const entries = Array.from({ length: ENTRIES }, (_, i) => {
  let body = '';
  for (let j = i; body.length < 400; j++) body += `${prose[j % prose.length]} `;
  return {
    v: 1,
    id: newEntryId(),
    kind: 'finding' as const,
    body: body.slice(0, 400),
    author: {
      id: `responder-${i % 8}`,
      name: `Responder ${i % 8}`,
      kind: 'harness' as const,
      harness: 'claude-code',
    },
    at: new Date(1764000000000 + i * 1000).toISOString(),
  };
});

/** Median µs per entry of `round` over the entries, after one round to warm up. */
async function perEntry(round: () => Promise<unknown>): Promise<number> {
  await round();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    await round();
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / ENTRIES);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

const each = (f: (e: (typeof entries)[number]) => Promise<unknown>) => async () => {
  for (const e of entries) await f(e);
};
const batches = (f: (es: typeof entries) => Promise<unknown>) => async () => {
  for (let i = 0; i < entries.length; i += BATCH) await f(entries.slice(i, i + BATCH));
};

const rows: [string, number][] = [
  ['gate: firstSecret, one entry a call', await perEntry(each((e) => sanitizer.firstSecret([e])))],
  ['gate: firstSecret, 500 entries a call', await perEntry(batches((es) => sanitizer.firstSecret(es)))],
  ['client: redactValue, one entry a call', await perEntry(each((e) => sanitizer.redactValue(e)))],
];
if ('firstRefusal' in sanitizer && 'sanitizeValue' in sanitizer && 'newIncidentKey' in sanitizer) {
  const key = sanitizer.newIncidentKey();
  rows.push(
    ['gate: firstRefusal, one entry a call', await perEntry(each((e) => sanitizer.firstRefusal([e])))],
    ['gate: firstRefusal, 500 entries a call', await perEntry(batches((es) => sanitizer.firstRefusal(es)))],
    [
      'client: sanitizeValue, one entry a call',
      await perEntry(each((e) => sanitizer.sanitizeValue(e, { key }))),
    ],
  );
}
printTable(
  ['what', 'µs per entry'],
  rows.map(([what, us]) => [what, us.toFixed(1)]),
);
