// How a table the reader sorts by clicking a column orders its rows: one column at a time, in
// the direction its header announces (`aria-sort`), blanks last either way, ties as they came.

export type SortDirection = 'ascending' | 'descending';

export interface SortOrder<K extends string> {
  key: K;
  direction: SortDirection;
}

/** A cell's sort value; null is a blank (an unresolved incident has no time to resolve). */
export type SortValue = number | string | null;

/** The rows in `order`, by the value `cellValue` gives each; a new array, the input untouched. */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  order: SortOrder<K>,
  cellValue: (row: T, key: K) => SortValue,
): T[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: cellValue(row, order.key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v), 'en', { numeric: true });
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.row);
}

/**
 * The order after the reader picks column `key`: the other direction when it is the column
 * sorted now, else `first` (figures where bigger is news, such as cost, start descending).
 */
export function nextOrder<K extends string>(now: SortOrder<K>, key: K, first: SortDirection): SortOrder<K> {
  if (now.key !== key) return { key, direction: first };
  return { key, direction: now.direction === 'ascending' ? 'descending' : 'ascending' };
}
