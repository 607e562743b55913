import { type Entry, RelatedQuery } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import type { MemoryIndex } from '../store/MemoryIndex.js';
import { IncidentMemory } from './IncidentMemory.js';

/** A store that finds one past incident for any source, with `bodyChars` of outcome, and lists the sources read. */
function index(bodyChars: number) {
  const asked: string[] = [];
  const decision = (id: string): Entry => ({
    v: 1,
    id,
    kind: 'decision',
    title: 'Roll back',
    body: 'x'.repeat(bodyChars),
    author: { id: 'a', name: 'A', kind: 'human' },
    at: '2026-12-01T00:00:00.000Z',
  });
  const stub = {
    version: async () => 'v1',
    sourceOf: async (id: string) => {
      asked.push(id);
      return { title: 'payments-db down', entries: [] };
    },
    termMatches: async () => {
      return [
        {
          incident: { id: 'past', title: 'Past', status: 'resolved', severity: 'SEV2', kind: 'incident' },
          score: 100,
          matched: [],
        },
      ];
    },
    outcomeEntries: async () => new Map([['past', [decision('01JDC7A0000000000000000000')]]]),
  };
  return { asked, index: stub as unknown as MemoryIndex };
}

const reader = { role: 'viewer', incidentId: null, isolated: false } as const;

describe('kept answers of related', () => {
  it('drops the least recently used answers past the budget, and keeps none larger than it', async () => {
    const store = index(1_000);
    const memory = new IncidentMemory(store.index, 3_000);
    const ask = (id: string) => memory.related(id, RelatedQuery.parse({}), reader);
    await ask('a');
    await ask('b');
    await ask('a'); // kept; now the most recently used
    expect(store.asked).toEqual(['a', 'b']);
    await ask('c'); // past the budget: b goes
    await ask('a');
    await ask('b');
    expect(store.asked).toEqual(['a', 'b', 'c', 'b']);
    const large = index(5_000);
    const small = new IncidentMemory(large.index, 3_000);
    await small.related('a', RelatedQuery.parse({}), reader);
    await small.related('a', RelatedQuery.parse({}), reader);
    expect(large.asked).toEqual(['a', 'a']);
  });
});
