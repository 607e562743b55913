// A synthetic corpus for the memory benchmark: incidents of recurring failure modes (each with its
// error string and services), written in a shared vocabulary of incident prose plus a long tail
// of rare tokens (hosts, ids, numbers), as real incident text has. Deterministic (a seeded PRNG),
// so every run and both stores get the same corpus.
import type { Entry, EntryKind } from '@sitrep/shared';
import type { DatabaseHandle } from '../../server/src/store/db.js';
import { entries, incidents } from '../../server/src/store/schema.js';
import { entryRow } from '../support/storeRows.js';
import { SearchIndex } from '../../server/src/store/SearchIndex.js';

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROSE = `latency errors deploy rollback timeout retry pool connection queue worker database cache
  replica primary node cluster pod container memory disk cpu load traffic request response upstream
  downstream gateway proxy load-balancer alert page dashboard graph metric spike drop saturation
  throughput backlog lag restart crash config flag release canary region zone network packet dns tls
  certificate token auth session user customer checkout payment order invoice email webhook job batch
  cron schedule index query slow lock deadlock transaction commit write read replication failover
  healthcheck probe readiness liveness scale autoscaler quota limit rate throttle burst partition
  topic consumer producer offset shard leader election heartbeat storage bucket object upload download
  build pipeline artifact image version migration schema table column row vacuum bloat checkpoint wal
  investigate confirmed ruled cause impact mitigation customers affected minutes since started noticed
  seeing looks like probably maybe unclear checked verified compared before after during between
  increase decrease higher lower normal baseline expected unexpected intermittent persistent partial`
  .split(/\s+/)
  .filter(Boolean);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID for time `ms` from the PRNG (`ulid`'s own factory costs about 0.3 ms an id here). */
function ulidAt(ms: number, rand: () => number): string {
  let time = '';
  for (let t = ms, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rand() * 32)];
  return time + tail;
}

const SYLLABLES = 'ka ro mi ta ne su lo vi da pe zu ri fo ga ti mo be ha ny qu xe wa'.split(' ');

export interface CorpusOptions {
  incidents: number;
  entriesPerIncident: number;
  /** Distinct failure modes; each incident is of one. */
  modes: number;
  seed?: number;
}

export interface CorpusIncident {
  id: string;
  title: string;
  mode: number;
  /** The error string of its failure mode. */
  error: string;
  kind: 'incident' | 'drill';
  private: boolean;
  createdAt: Date;
  entries: Entry[];
}

interface Mode {
  error: string;
  services: string[];
  words: string[];
}

export function makeCorpus(opts: CorpusOptions): CorpusIncident[] {
  const rand = prng(opts.seed ?? 25);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const made = new Set<string>();
  const word = (syllables: number): string => {
    for (;;) {
      const w = Array.from({ length: syllables }, () => pick(SYLLABLES)).join('');
      if (!made.has(w)) {
        made.add(w);
        return w;
      }
    }
  };
  // Rare tokens: most appear in a handful of entries (Zipf-like: the index is rand()^3).
  const tail = Array.from({ length: 20_000 }, (_, i) =>
    i % 3 === 0 ? `${pick(SYLLABLES)}${pick(SYLLABLES)}-${i}` : word(4),
  );
  const tailWord = () => tail[Math.floor(rand() ** 3 * tail.length)] as string;
  const modes: Mode[] = Array.from({ length: opts.modes }, () => {
    const w = Array.from({ length: 12 }, () => word(3));
    return {
      error: `${w[0]}: ${w[1]} ${w[2]} ${pick(['refused', 'expired', 'exceeded', 'failed'])} ${w[3]}`,
      services: [`${w[4]}-${pick(['db', 'api', 'worker', 'sender'])}`, `${w[5]}-${pick(['svc', 'proxy'])}`],
      words: w.slice(6),
    };
  });
  const sentence = (mode: Mode): string => {
    const n = 30 + Math.floor(rand() * 30);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rand();
      out.push(r < 0.6 ? pick(PROSE) : r < 0.85 ? tailWord() : pick(mode.words));
    }
    if (rand() < 0.2) out.splice(Math.floor(rand() * n), 0, `\`${mode.error}\``);
    if (rand() < 0.3) out.splice(Math.floor(rand() * n), 0, pick(mode.services));
    return out.join(' ');
  };
  const KINDS: [EntryKind, number][] = [
    ['finding', 0.4],
    ['note', 0.2],
    ['transcript', 0.1],
    ['theory', 0.1],
    ['rejection', 0.05],
    ['decision', 0.05],
    ['action', 0.05],
    ['gap', 0.05],
  ];
  const kindOf = (): EntryKind => {
    let r = rand();
    for (const [k, p] of KINDS) if ((r -= p) < 0) return k;
    return 'finding';
  };
  const author = { id: 'bench', name: 'Bench', kind: 'harness' as const, harness: 'bench' };
  const start = Date.now() - 2 * 365 * 86_400_000;
  const span = (2 * 365 * 86_400_000) / opts.incidents;
  return Array.from({ length: opts.incidents }, (_, i) => {
    const m = Math.floor(rand() * opts.modes);
    const mode = modes[m] as Mode;
    const createdAt = new Date(start + i * span);
    const theories: string[] = [];
    const entries = Array.from({ length: opts.entriesPerIncident }, (_, j): Entry => {
      const at = createdAt.getTime() + j * 60_000;
      let kind = kindOf();
      if ((kind === 'rejection' || kind === 'decision') && theories.length === 0) kind = 'finding';
      const id = ulidAt(at, rand);
      const e: Entry = { v: 1, id, kind, body: sentence(mode), author, at: new Date(at).toISOString() };
      if (kind === 'theory') {
        e.title = `${pick(mode.words)} ${pick(PROSE)} ${pick(PROSE)} on ${pick(mode.services)}`;
        theories.push(id);
      }
      if (kind === 'rejection' || kind === 'decision') {
        e.refs = [pick(theories)];
        e.rationale = sentence(mode).slice(0, 200);
      }
      if (kind === 'decision' || kind === 'action' || kind === 'gap') e.title = sentence(mode).slice(0, 80);
      return e;
    });
    return {
      id: `bench-${String(i).padStart(5, '0')}`,
      title: `${pick(mode.services)} ${pick(mode.words)}: ${pick(PROSE)} ${pick(PROSE)}`,
      mode: m,
      error: mode.error,
      kind: i % 50 === 7 ? 'drill' : 'incident',
      private: i % 50 === 13,
      createdAt,
      entries,
    };
  });
}

/** Terms a search for this corpus might ask: a rare word, a service, an error string, common words. */
export function searchQueries(
  corpus: readonly CorpusIncident[],
  n: number,
  seed = 7,
): { q: string; what: string }[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    const c = pick(corpus);
    const e = pick(c.entries);
    const words = e.body.split(' ').filter((w) => !w.includes('`'));
    switch (i % 4) {
      case 0:
        return { what: 'two words of an entry', q: `${pick(words)} ${pick(words)}` };
      case 1:
        return { what: 'an error string', q: c.error };
      case 2:
        return { what: 'one common word', q: pick(PROSE) };
      default:
        return { what: 'three words of an entry', q: `${pick(words)} ${pick(words)} ${pick(words)}` };
    }
  });
}

/** Rows per INSERT statement while seeding. */
const INSERT_ROWS = 500;

/** Writes the corpus into a migrated database with multi-row inserts; the seconds it took. */
export async function seedCorpus(handle: DatabaseHandle, corpus: readonly CorpusIncident[]): Promise<number> {
  const { db } = handle;
  const t0 = performance.now();
  for (let i = 0; i < corpus.length; i += INSERT_ROWS) {
    await db.insert(incidents).values(
      corpus.slice(i, i + INSERT_ROWS).map((c) => ({
        id: c.id,
        title: c.title,
        severity: 'SEV2',
        status: 'resolved',
        kind: c.kind,
        createdAt: c.createdAt,
        private: c.private,
        lastSeq: c.entries.length,
      })),
    );
  }
  const rows = corpus.flatMap((c) => c.entries.map((e, j) => ({ ...entryRow(c.id, e, j + 1), blame: [] })));
  for (let i = 0; i < rows.length; i += INSERT_ROWS)
    await db.insert(entries).values(rows.slice(i, i + INSERT_ROWS));
  // The search index, as the indexer keeps it after commits (its pending words merged once caught up).
  const index = new SearchIndex(handle);
  while ((await index.pass(20_000)).more);
  await index.mergePending();
  await db.execute('analyze');
  return (performance.now() - t0) / 1000;
}
