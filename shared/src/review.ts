// Blame flags of an entry: which of its sentences blame or judge a person, and why. Entries are
// immutable, so a flag is never written into one: the server's projection, the rules view, the
// dashboard and the postmortem drafts all derive it here, from the entry's prose (title, body,
// rationale), with the sanitizer's pure detector. Author names, tags and evidence are not prose.
import { z } from 'zod';
import type { Entry } from './entry.js';
import { findBlame } from './sanitizer/blame.js';

export const BLAME_FIELDS = ['title', 'body', 'rationale'] as const;

/** One flagged sentence: where it is, as written, and why it reads as blame. */
export const ReviewFlag = z.strictObject({
  field: z.enum(BLAME_FIELDS),
  sentence: z.string(),
  reasons: z.array(z.string()).min(1),
});
export type ReviewFlag = z.infer<typeof ReviewFlag>;

/** An entry's flags are fixed by its text, and entries never change: each is checked once. */
const checked = new WeakMap<Entry, ReviewFlag[]>();

/** The entry's blame flags, in field order then text order; empty when it blames no one. */
export function reviewFlags(entry: Entry): ReviewFlag[] {
  const known = checked.get(entry);
  if (known) return known;
  const flags = BLAME_FIELDS.flatMap((field) =>
    findBlame(entry[field] ?? '').map((f) => ({ field, sentence: f.sentence, reasons: f.reasons })),
  );
  checked.set(entry, flags);
  return flags;
}

/**
 * `copy` is `entry` decoded again from the same bytes (the document's copy of an entry the gate
 * read, which the projection flagged): it takes the same flags, worked out once for both. The
 * rules view reads the document's copies; without this it checked every live entry a second time.
 * A copy whose checked text differs takes nothing, and is checked on its own when read.
 */
export function shareReviewFlags(entry: Entry, copy: Entry): void {
  if (BLAME_FIELDS.some((field) => copy[field] !== entry[field])) return;
  checked.set(copy, reviewFlags(entry));
}

/** Every reason the entry's flags give, once each, in the order they first appear. */
export const blameReasons = (flags: readonly ReviewFlag[]): string[] => [
  ...new Set(flags.flatMap((f) => f.reasons)),
];
