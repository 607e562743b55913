// Entries sanitized for writing: each entry's secrets and private data replaced (sanitize.ts),
// and what was taken out of it added to its own `redactions`, per type. What clients send and
// what the server's HTTP paths store.
import { type EntryDraft, redactionCounts } from '../entry.js';
import { type RedactionCounts, addCounts } from './dataTypes.js';
import { type SanitizeOptions, type Sanitized, type SensitiveFinding, sanitizeValue } from './sanitize.js';

/** One entry (or draft) sanitized, its `redactions` counting what this took out besides what it held. */
export async function sanitizeEntry<D extends EntryDraft>(
  draft: D,
  options: SanitizeOptions,
): Promise<Sanitized<D>> {
  const out = await sanitizeValue(draft, options);
  if (Object.keys(out.counts).length === 0) return out;
  return {
    ...out,
    value: { ...out.value, redactions: addCounts(redactionCounts(draft.redactions), out.counts) },
  };
}

export interface SanitizedBatch<D> {
  entries: D[];
  /** Redactions made in the whole batch, per type. */
  counts: RedactionCounts;
  /** The first entry (by index) holding data the policy refuses, and what it holds; null when none does. */
  refused: { index: number; findings: SensitiveFinding[] } | null;
}

/**
 * A batch sanitized entry by entry. The scanner's cost is mostly per call, so the batch is
 * scanned once first: when it holds nothing (the common case) it is returned as it came.
 */
export async function sanitizeEntries<D extends EntryDraft>(
  drafts: readonly D[],
  options: SanitizeOptions,
): Promise<SanitizedBatch<D>> {
  const whole = await sanitizeValue(drafts, options);
  if (Object.keys(whole.counts).length === 0 && whole.refused.length === 0)
    return { entries: [...drafts], counts: {}, refused: null };
  const each = await Promise.all(drafts.map((d) => sanitizeEntry(d, options)));
  const index = each.findIndex((e) => e.refused.length > 0);
  return {
    entries: each.map((e) => e.value),
    counts: addCounts(...each.map((e) => e.counts)),
    refused: index < 0 ? null : { index, findings: each[index]?.refused ?? [] },
  };
}
