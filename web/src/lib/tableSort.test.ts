import { describe, expect, it } from 'vitest';
import { nextOrder, sortRows } from './tableSort.js';

type Row = { name: string; ttr: number | null };
const rows: Row[] = [
  { name: 'b2', ttr: 30 },
  { name: 'a10', ttr: null },
  { name: 'a9', ttr: 10 },
  { name: 'c', ttr: 30 },
];
const cellValue = (r: Row, key: 'name' | 'ttr') => r[key];

describe('table sort', () => {
  it('orders numbers by value and text in natural order, both ways, leaving the input as it was', () => {
    const names = (key: 'name' | 'ttr', direction: 'ascending' | 'descending') =>
      sortRows(rows, { key, direction }, cellValue).map((r) => r.name);
    expect(names('ttr', 'ascending')).toEqual(['a9', 'b2', 'c', 'a10']);
    expect(names('ttr', 'descending')).toEqual(['b2', 'c', 'a9', 'a10']);
    expect(names('name', 'ascending')).toEqual(['a9', 'a10', 'b2', 'c']);
    expect(names('name', 'descending')).toEqual(['c', 'b2', 'a10', 'a9']);
    expect(rows.map((r) => r.name)).toEqual(['b2', 'a10', 'a9', 'c']);
  });

  it('keeps blanks last whichever the direction, and ties in the order they came', () => {
    const ttr = sortRows(rows, { key: 'ttr', direction: 'descending' }, cellValue);
    expect(ttr.at(-1)?.name).toBe('a10');
    expect(ttr.slice(0, 2).map((r) => r.name)).toEqual(['b2', 'c']);
  });

  it('turns the sorted column around, and starts another in its own first direction', () => {
    const now = { key: 'ttr' as string, direction: 'ascending' as const };
    expect(nextOrder(now, 'ttr', 'ascending')).toEqual({ key: 'ttr', direction: 'descending' });
    expect(nextOrder({ key: 'ttr', direction: 'descending' }, 'ttr', 'descending')).toEqual({
      key: 'ttr',
      direction: 'ascending',
    });
    expect(nextOrder(now, 'cost', 'descending')).toEqual({ key: 'cost', direction: 'descending' });
  });
});
