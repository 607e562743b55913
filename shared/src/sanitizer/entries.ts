// Entries sanitized for writing: each entry's secrets and private data replaced (sanitize.ts),
// and what was taken out of it added to its own `redactions`, per type. What clients send and
// what the server's HTTP paths store.
import { type EntryDraft, redactionCounts } from '../entry.js';
import { type RedactionCounts, addCounts } from './dataTypes.js';
import { joinStrings, splitGroups, stringsOf } from './joinedScan.js';
import {
  type SanitizeOptions,
  type Sanitized,
  type SensitiveFinding,
  applyFindings,
  findSensitive,
  sanitizeValue,
} from './sanitize.js';

/** The draft as sanitized, its `redactions` counting what was taken out besides what it held. */
const counted = <D extends EntryDraft>(draft: D, out: D, counts: RedactionCounts): D =>
  Object.keys(counts).length === 0
    ? out
    : { ...out, redactions: addCounts(redactionCounts(draft.redactions), counts) };

/** One entry (or draft) sanitized, its `redactions` counting what this took out besides what it held. */
export async function sanitizeEntry<D extends EntryDraft>(
  draft: D,
  options: SanitizeOptions,
): Promise<Sanitized<D>> {
  const out = await sanitizeValue(draft, options);
  return { ...out, value: counted(draft, out.value, out.counts) };
}

export interface SanitizedBatch<D> {
  entries: D[];
  /** Redactions made in the whole batch, per type. */
  counts: RedactionCounts;
  /** The first entry (by index) holding data the policy refuses, and what it holds; null when none does. */
  refused: { index: number; findings: SensitiveFinding[] } | null;
}

/**
 * A batch sanitized entry by entry, in one scan of all their strings: each finding goes back to
 * the entry it is in. Blame is not looked for (the server derives it where entries are
 * stored). When the batch holds nothing (the common case) it is returned as it came.
 */
export async function sanitizeEntries<D extends EntryDraft>(
  drafts: readonly D[],
  options: SanitizeOptions,
): Promise<SanitizedBatch<D>> {
  const each = drafts.map((d) => stringsOf([d], false));
  const found = await findSensitive(joinStrings(each.flat()), options);
  if (found.length === 0) return { entries: [...drafts], counts: {}, refused: null };
  const inEntry = splitGroups(each, found);
  const out = drafts.map((d, i) => applyFindings(d, each[i] ?? [], inEntry.get(i) ?? [], options));
  const index = out.findIndex((e) => e.refused.length > 0);
  return {
    entries: out.map((e, i) => counted(drafts[i] as D, e.value, e.counts)),
    counts: addCounts(...out.map((e) => e.counts)),
    refused: index < 0 ? null : { index, findings: out[index]?.refused ?? [] },
  };
}
