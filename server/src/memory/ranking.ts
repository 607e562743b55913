// How incident memory ranks, in one place: the weights search gives each part of an entry, how
// much each text of an incident says what it is about, what each kind of term and entry counts in
// "seen before", and the threshold a past incident must pass to be shown. The store runs the SQL;
// these numbers are its parameters.
import type { Entry, EntryKind } from '@sitrep/shared';
import type { MemoryTerm, SourceText } from './terms.js';

/**
 * Search's `ts_rank` weights for the document's parts D, C, B, A (schema.ts
 * `entrySearchDocument`): notes and transcripts, findings and the like, theory / decision /
 * rejection bodies and rationales, titles.
 */
export const SEARCH_WEIGHTS = [0.1, 0.3, 0.7, 1.0] as const;

/**
 * A search result's rank is multiplied by this when its text holds the query's words as the
 * phrase asked (an error string quoted whole): exact strings count strongly, and among them a
 * title still ranks over a note.
 */
export const PHRASE_BONUS = 3;

/** How much an incident's title says what it is about, against its entries' texts (sourceTexts). */
export const INCIDENT_TITLE_WEIGHT = 3;

/**
 * How much an entry's text says what an incident is about, by kind and part: the body of a
 * theory, decision or rejection most, of a note, transcript or dataset least; an entry's title one
 * more than its body; a rationale as much as a theory.
 */
export function sourceTexts(e: Entry): SourceText[] {
  const strong = e.kind === 'theory' || e.kind === 'decision' || e.kind === 'rejection';
  const weak = e.kind === 'note' || e.kind === 'transcript' || e.kind === 'dataset';
  const body = strong ? 2 : weak ? 0.5 : 1;
  return [
    ...(e.title ? [{ text: e.title, weight: body + 1 }] : []),
    { text: e.body, weight: body },
    ...(e.rationale ? [{ text: e.rationale, weight: 2 }] : []),
  ];
}

/** What a matched term counts in "seen before", by kind: an error string most, then a service. */
export const TERM_WEIGHT: Record<MemoryTerm['kind'], number> = { error: 3, service: 2, word: 1 };

/**
 * What a match counts by the kind of entry it is in (the best one in the incident counts): the
 * incident's own title, theories, decisions and rejections most, notes and transcripts least.
 */
export const ENTRY_WEIGHT: Record<EntryKind | 'title', number> = {
  title: 1,
  theory: 1,
  decision: 1,
  rejection: 1,
  reopen: 0.8,
  finding: 0.8,
  gap: 0.7,
  action: 0.7,
  dataset: 0.6,
  transcript: 0.5,
  note: 0.5,
};

/**
 * Entries read per term at most, when counting how many incidents hold it. A term found in more
 * is common: it counts as if every incident held it (almost nothing), and its cost stays bounded.
 */
export const TERM_ROWS_CAP = 2000;

/**
 * The score a past incident must reach to be "seen before". A term counts its kind's weight
 * times the best entry it is found in, times its rarity squared: (ln(1 + N/df) / ln(1 + N))²,
 * where N is the incidents the reader may see and df those holding the term (1 for a term only
 * one incident holds, near 0 for one most hold). So one shared error string (3) or a service
 * name with a rare word (2 + 1) passes; a handful of generic words (latency, deploy, errors:
 * each far below 1) do not.
 */
export const RELATED_THRESHOLD = 2.4;

/**
 * How much of the asked terms an entry speaks of (the words of its title, body and rationale):
 * orders the lists of an outcome, so a theory like the one asked about comes first.
 */
export function relevanceTo(
  terms: readonly MemoryTerm[],
): (e: { title?: string; body: string; rationale?: string }) => number {
  return (e) => {
    const text = `${e.title ?? ''} ${e.body} ${e.rationale ?? ''}`.toLowerCase();
    let r = 0;
    for (const t of terms) if (text.includes(t.text.toLowerCase())) r += TERM_WEIGHT[t.kind];
    return r;
  };
}
