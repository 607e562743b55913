// The entries the live benchmarks write: 400-byte findings of incident words, by numbered writers.
import { type Entry, newEntryId } from '@sitrep/shared';

const BODY_WORDS =
  'latency pool saturated replica lag deploy rollback canary errors timeout retry queue depth heap pause dns cache shard'.split(
    ' ',
  );

/** Writer `writer`'s entry number `n`; `pick(k)` chooses each word of its body, from 0 to k - 1. */
export function benchEntry(writer: number, n: number, pick: (k: number) => number): Entry {
  const words = [`writer ${writer} entry ${n}:`];
  while (words.join(' ').length < 400) words.push(BODY_WORDS[pick(BODY_WORDS.length)] ?? 'x');
  return {
    v: 1,
    id: newEntryId(),
    kind: 'finding',
    body: words.join(' ').slice(0, 400),
    author: { id: `writer-${writer}`, name: `Writer ${writer}`, kind: 'harness', harness: 'bench' },
    at: new Date().toISOString(),
  };
}
