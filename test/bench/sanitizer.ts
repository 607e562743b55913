// Benchmark: the sanitizer's cost per entry, against the secret scanner alone. 2,000 entries of
// about 400 bytes of busy incident prose (the near-miss corpus: IPs, ids, versions, SQL, stack
// traces; nothing to redact) go one call per entry, as the websocket gate scans one update at a
// time and a client sanitizes one entry before sending, then 500 per call, as an HTTP batch is
// scanned, and the HTTP append's checks whole as the server runs them (the route's sanitizing,
// then the room's check, which skips a batch the route sealed: privacy/SanitizedEntries.ts; a
// tree without `httpAppend` is measured as its server ran them, `sanitizeEntries` then a scan
// for secrets); and 2,000 entries of phone-shaped numbers, 500 a call, and 2,000 of 10
// addresses and 10 tokens each, 500 a call (text made to be slow, see `phoneEntries` and
// `manyFindings`). Prints the median of BENCH_SANITIZER_ROUNDS (5) rounds in CPU µs per entry (the
// process's user and system time, which other processes on a shared machine disturb less than
// the wall clock). Runs unchanged on a tree that predates the sanitizer (it then measures the
// scanner alone).
//
// BENCH_SANITIZER_TREES=old=/path/shared/src/secrets/index.ts,before=/path/shared/src/sanitizer/index.ts
// measures those trees' modules in the same process, every round running every case on every
// tree (so load on the machine falls on all alike), and prints each sanitizer call's cost as a ratio
// of the first tree's scanner (the issue's target: at most 2). A tree is a copy of `shared/src`
// (`git archive <commit> shared/src | tar -x -C DIR`) with `shared/node_modules` linked in.
import { type Entry, newEntryId } from '@sitrep/shared';
import * as sanitizer from '@sitrep/shared/sanitizer';
import { SanitizedEntries, checkedForRoom } from '../../server/src/privacy/SanitizedEntries.js';
import { nearMissCorpus } from '../corpus/sanitizer/nearMisses.js';
import { printTable } from './table.js';

const ROUNDS = Number(process.env.BENCH_SANITIZER_ROUNDS ?? 5);
const ENTRIES = 2_000;
const BATCH = 500;

const prose = nearMissCorpus();
// Through JSON, as a request's entries arrive: flat strings, not the slices that built them.
const entries = JSON.parse(
  JSON.stringify(
    Array.from({ length: ENTRIES }, (_, i) => {
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
    }),
  ),
) as Entry[];

/**
 * The same entries' bodies made of phone-shaped numbers that pass the cheap checks (grouped with
 * dashes, dots and parentheses, after "call"), most of them valid nowhere: text made to be slow,
 * each number once tried in all 30 default regions.
 */
let seed = 1;
const digit = () => {
  seed = (seed * 48271) % 2147483647;
  return seed % 10;
};
const digits = (n: number) => Array.from({ length: n }, digit).join('');
const PHONE_SHAPES = [
  () => `${digits(3)}-${digits(3)}-${digits(4)}`,
  () => `(${digits(3)}) ${digits(3)}-${digits(4)}`,
  () => `${digits(3)}.${digits(3)}.${digits(4)}`,
  () => `call ${digits(10)}`,
];
const phoneEntries = entries.map((e, i) => {
  let body = '';
  for (let j = i; body.length < 400; j++) body += `${PHONE_SHAPES[j % PHONE_SHAPES.length]?.()}, `;
  return { ...e, body: body.slice(0, 400) };
});

/**
 * The same entries with 10 e-mail addresses and 10 GitHub tokens in each body (about 1.3 KB): a
 * batch of 500 holds 10,000 findings, text made to find much (secretlint's pairwise dropping of
 * duplicates and a search of the secrets per datum were quadratic in them, a keyed hash per datum).
 */
const manyFindings = entries.map((e, i) => {
  const token = (j: number) =>
    `ghp_${`${i}x${j}`.padEnd(36, 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5')}`.slice(0, 40);
  const body = Array.from({ length: 10 }, (_, j) => `ops-${i}-${j}@example.com token ${token(j)}`).join(', ');
  return { ...e, body };
});

/** What a tree's module offers: the scanner always, the sanitizer from the tree that added it. */
interface Module {
  firstSecret(values: readonly unknown[]): Promise<unknown>;
  redactValue(value: unknown): Promise<unknown>;
  firstRefusal?(values: readonly unknown[], options?: { policy: unknown }): Promise<unknown>;
  sanitizeValue?(value: unknown, options: { key: string }): Promise<unknown>;
  sanitizeEntries?(drafts: readonly Entry[], options: { key: string }): Promise<unknown>;
  /** The HTTP append's checks whole, as the server runs them (this tree's: see below). */
  httpAppend?(drafts: readonly Entry[]): Promise<unknown>;
}

const trees: [string, Module][] = [];
for (const spec of (process.env.BENCH_SANITIZER_TREES ?? '').split(',').filter(Boolean)) {
  const [name, path] = spec.split('=');
  if (!name || !path) throw new Error(`BENCH_SANITIZER_TREES: "${spec}" is not name=path`);
  trees.push([name, (await import(path)) as Module]);
}
const key = sanitizer.newIncidentKey();
/** What the room checked HTTP appends for once they were sanitized: secrets only (the server's SECRETS_ONLY). */
const secretsOnly = Object.fromEntries(sanitizer.PRIVATE_TYPES.map((t) => [t, 'allow']));
const policy = sanitizer.DEFAULT_POLICY;
trees.push([
  'this tree',
  {
    ...(sanitizer as unknown as Module),
    // The server's code: the route's sanitizing (sealed for the incident), then the room's check.
    httpAppend: async (es) => {
      const out = await SanitizedEntries.sanitize('inc-bench', es, { key, policy });
      return checkedForRoom(out.sealed ?? out.entries, 'inc-bench', policy);
    },
  },
]);
const each = (f: (e: Entry) => Promise<unknown>) => async () => {
  for (const e of entries) await f(e);
};
const batches =
  (f: (es: Entry[]) => Promise<unknown>, of = entries) =>
  async () => {
    for (let i = 0; i < of.length; i += BATCH) await f(of.slice(i, i + BATCH));
  };

/** A measured call: what, the scanner call it is compared with, and how a tree's module runs it. */
interface Case {
  what: string;
  /** The `what` of the scanner's case it is held against, for a sanitizer call. */
  against?: string;
  round(m: Module): (() => Promise<unknown>) | undefined;
}
const CASES: Case[] = [
  { what: 'gate: firstSecret, one entry a call', round: (m) => each((e) => m.firstSecret([e])) },
  { what: 'gate: firstSecret, 500 entries a call', round: (m) => batches((es) => m.firstSecret(es)) },
  { what: 'client: redactValue, one entry a call', round: (m) => each((e) => m.redactValue(e)) },
  {
    what: 'gate: firstRefusal, one entry a call',
    against: 'gate: firstSecret, one entry a call',
    round: (m) => (m.firstRefusal ? each((e) => m.firstRefusal?.([e]) as Promise<unknown>) : undefined),
  },
  {
    what: 'gate: firstRefusal, 500 entries a call',
    against: 'gate: firstSecret, 500 entries a call',
    round: (m) => (m.firstRefusal ? batches((es) => m.firstRefusal?.(es) as Promise<unknown>) : undefined),
  },
  {
    what: 'client: sanitizeValue, one entry a call',
    against: 'client: redactValue, one entry a call',
    round: (m) =>
      m.sanitizeValue ? each((e) => m.sanitizeValue?.(e, { key }) as Promise<unknown>) : undefined,
  },
  {
    what: 'HTTP: sanitizeEntries, 500 entries a call',
    against: 'gate: firstSecret, 500 entries a call',
    round: (m) =>
      m.sanitizeEntries ? batches((es) => m.sanitizeEntries?.(es, { key }) as Promise<unknown>) : undefined,
  },
  {
    what: "HTTP append whole: the route's sanitizing, then the room's check, 500 a call",
    against: 'gate: firstSecret, 500 entries a call',
    round: (m) =>
      m.httpAppend
        ? batches((es) => m.httpAppend?.(es) as Promise<unknown>)
        : m.sanitizeEntries && m.firstRefusal
          ? batches(async (es) => {
              await m.sanitizeEntries?.(es, { key });
              await m.firstRefusal?.(es, { policy: secretsOnly });
            })
          : undefined,
  },
  {
    what: 'HTTP: sanitizeEntries, 500 entries a call, each 400 bytes of phone-shaped numbers',
    round: (m) =>
      m.sanitizeEntries
        ? batches((es) => m.sanitizeEntries?.(es, { key }) as Promise<unknown>, phoneEntries)
        : undefined,
  },
  {
    what: 'HTTP: sanitizeEntries, 500 entries a call, each with 10 e-mail addresses and 10 tokens',
    round: (m) =>
      m.sanitizeEntries
        ? batches((es) => m.sanitizeEntries?.(es, { key }) as Promise<unknown>, manyFindings)
        : undefined,
  },
];

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Median CPU µs per entry of each case on each tree, after one round to warm up. Every round
 * runs every case on every tree, so a sanitizer call and the scanner call it is held against
 * see the same load.
 */
const runs = CASES.map((c) => trees.map(([, m]) => c.round(m)));
const times = CASES.map(() => trees.map((): number[] => []));
for (let r = -1; r < ROUNDS; r++) {
  for (const [i, rounds] of runs.entries()) {
    for (const [t, round] of rounds.entries()) {
      if (!round) continue;
      const t0 = cpuMicros();
      await round();
      if (r >= 0) times[i]?.[t]?.push((cpuMicros() - t0) / ENTRIES);
    }
  }
}
const results = new Map(
  CASES.map((c, i) => [
    c.what,
    (times[i] ?? []).map((xs) =>
      xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined,
    ),
  ]),
);

const fmt = (x: number | undefined, digits: number) => (x === undefined ? '—' : x.toFixed(digits));
printTable(
  ['what (CPU µs per entry)', ...trees.map(([name]) => name)],
  CASES.map((c) => [c.what, ...(results.get(c.what) ?? []).map((x) => fmt(x, 1))]),
);
const base = trees[0]?.[0] ?? 'this tree';
printTable(
  [`sanitizer ÷ ${base}'s scanner`, ...trees.map(([name]) => name)],
  CASES.filter((c) => c.against).map((c) => {
    const scanner = results.get(c.against ?? '')?.[0];
    return [
      c.what,
      ...(results.get(c.what) ?? []).map((x) => fmt(x !== undefined && scanner ? x / scanner : undefined, 2)),
    ];
  }),
);
