import type { Entry } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { filterEntries, insertSorted, virtualWindow } from './feed.js';

const author = (id: string) => ({ id, name: id.toUpperCase(), kind: 'human' as const });
const e = (id: string, kind: Entry['kind'], who: string, body: string, title?: string): Entry => ({
  v: 1,
  id,
  kind,
  body,
  author: author(who),
  at: '2026-11-24T14:00:00Z',
  ...(title && { title }),
});
const entries = [
  e('01A', 'finding', 'ana', 'pool saturated'),
  e('01B', 'theory', 'bo', 'slow upstream', 'Processor slow'),
  e('01C', 'note', 'ana', 'DNS is fine'),
];

describe('feed', () => {
  it('filters by kind, author and text (title, body, rationale, any case)', () => {
    expect(filterEntries(entries, { kind: '', author: '', text: '' })).toBe(entries);
    expect(filterEntries(entries, { kind: 'theory', author: '', text: '' }).map((x) => x.id)).toEqual([
      '01B',
    ]);
    expect(filterEntries(entries, { kind: '', author: 'ana', text: '' }).map((x) => x.id)).toEqual([
      '01A',
      '01C',
    ]);
    expect(filterEntries(entries, { kind: '', author: '', text: 'PROCESSOR' }).map((x) => x.id)).toEqual([
      '01B',
    ]);
    expect(filterEntries(entries, { kind: 'note', author: 'ana', text: 'pool' })).toEqual([]);
  });

  it('renders only the rows in view plus overscan', () => {
    expect(virtualWindow(0, 480, 52, 10_000)).toEqual({ start: 0, end: 18 });
    expect(virtualWindow(52 * 5000, 480, 52, 10_000)).toEqual({ start: 4992, end: 5018 });
    expect(virtualWindow(52 * 9_990, 480, 52, 10_000)).toEqual({ start: 9982, end: 10_000 });
    expect(virtualWindow(0, 480, 52, 0)).toEqual({ start: 0, end: 0 });
  });

  it('keeps the list in id order as entries arrive out of order', () => {
    const list: Entry[] = [];
    for (const id of ['01C', '01A', '01D', '01B']) insertSorted(list, e(id, 'note', 'ana', id));
    expect(list.map((x) => x.id)).toEqual(['01A', '01B', '01C', '01D']);
  });
});
