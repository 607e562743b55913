// The header search box's pure part: results grouped under their incident (in rank order of each
// incident's best result, each result keeping its place in the flat order the keyboard walks),
// and where the arrow keys move the active result.
import type { MemoryIncident, SearchResult } from '@sitrep/shared';

export interface ResultGroup {
  incident: MemoryIncident;
  /** The incident's results in rank order, each with its index in the flat list. */
  results: { result: SearchResult; index: number }[];
}

/** Results grouped by incident; groups in the order of their best result, and indexed in reading order. */
export function groupByIncident(results: readonly SearchResult[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const result of results) {
    const group = groups.get(result.incident.id);
    if (group) group.results.push({ result, index: 0 });
    else groups.set(result.incident.id, { incident: result.incident, results: [{ result, index: 0 }] });
  }
  let index = 0;
  for (const group of groups.values()) for (const r of group.results) r.index = index++;
  return [...groups.values()];
}

/** The results in the order the groups show them (the order the keyboard walks). */
export const readingOrder = (groups: readonly ResultGroup[]): SearchResult[] =>
  groups.flatMap((g) => g.results.map((r) => r.result));

/**
 * The active result after a key, or null when the key is not one that moves it: ArrowDown and
 * ArrowUp wrap round; none active (-1) starts at the first or the last.
 */
export function moveActive(active: number, count: number, key: string): number | null {
  if (count === 0 || (key !== 'ArrowDown' && key !== 'ArrowUp')) return null;
  if (key === 'ArrowDown') return active < 0 || active >= count - 1 ? 0 : active + 1;
  return active <= 0 ? count - 1 : active - 1;
}
