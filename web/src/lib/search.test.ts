import type { Entry, SearchResult } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { groupByIncident, moveActive, readingOrder } from './search.js';

const entry = (n: number): Entry => ({
  v: 1,
  id: `01JD${String(n).padStart(22, '0')}`,
  kind: 'finding',
  body: `finding ${n}`,
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: '2026-11-24T14:00:00Z',
});
const result = (incident: string, n: number): SearchResult => ({
  incident: { id: incident, title: incident, status: 'resolved', severity: 'SEV2', kind: 'incident' },
  entry: entry(n),
  score: 1 / n,
  snippet: `finding **${n}**`,
});

describe('search results', () => {
  it('groups results under their incident in the order of each incident best result', () => {
    const groups = groupByIncident([result('db', 1), result('dns', 2), result('db', 3), result('tls', 4)]);
    expect(groups.map((g) => [g.incident.id, g.results.map((r) => [r.result.entry.body, r.index])])).toEqual([
      [
        'db',
        [
          ['finding 1', 0],
          ['finding 3', 1],
        ],
      ],
      ['dns', [['finding 2', 2]]],
      ['tls', [['finding 4', 3]]],
    ]);
    expect(readingOrder(groups).map((r) => r.entry.body)).toEqual([
      'finding 1',
      'finding 3',
      'finding 2',
      'finding 4',
    ]);
    expect(groupByIncident([])).toEqual([]);
  });

  it('moves the active result with the arrow keys, wrapping round, and ignores other keys', () => {
    expect(moveActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowDown')).toBe(1);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(2, 3, 'ArrowUp')).toBe(1);
    expect(moveActive(1, 3, 'Enter')).toBeNull();
    expect(moveActive(-1, 0, 'ArrowDown')).toBeNull();
  });
});
