// The live feed's pure parts: filtering entries and the window of rows a virtual list renders.
import type { Entry, EntryKind } from '@sitrep/shared';

export interface FeedFilter {
  kind: EntryKind | '';
  author: string;
  text: string;
}

/** Entries matching every filter that is set; text matches title, body and rationale, any case. */
export function filterEntries(entries: readonly Entry[], f: FeedFilter): readonly Entry[] {
  const text = f.text.trim().toLowerCase();
  if (!f.kind && !f.author && !text) return entries;
  return entries.filter(
    (e) =>
      (!f.kind || e.kind === f.kind) &&
      (!f.author || e.author.id === f.author) &&
      (!text || `${e.title ?? ''}\n${e.body}\n${e.rationale ?? ''}`.toLowerCase().includes(text)),
  );
}

/** The rows to render for a scroll position: fixed row height, a few rows of overscan either side. */
export function virtualWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

/** Inserts an entry into an id-sorted list; new entries nearly always go at the end. */
export function insertSorted(list: Entry[], e: Entry): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as Entry).id > e.id) i--;
  list.splice(i, 0, e);
}
