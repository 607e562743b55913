// The corpus entry: the zod schema every writer and the write gate validate against.
// Entries are immutable once written; corrections are new entries that `refs` earlier ones.
import { decodeTime, monotonicFactory } from 'ulid';
import { z } from 'zod';
import { REDACTED_GROWTH, RedactionCounts, addCounts, writtenLength } from './sanitizer/dataTypes.js';
import { UNSTORABLE_MESSAGE, containsUnstorable, isoTime } from './storable.js';

export const ENTRY_KINDS = [
  'finding',
  'theory',
  'rejection',
  'reopen',
  'decision',
  'dataset',
  'transcript',
  'gap',
  'action',
  'note',
] as const;
export const EntryKind = z.enum(ENTRY_KINDS);
export type EntryKind = z.infer<typeof EntryKind>;

/**
 * Bounds on one entry; the gate rejects anything larger. A text's bound is on what its writer
 * wrote: the sanitizer's placeholders count one character each (`writtenText`).
 */
export const ENTRY_LIMITS = {
  titleChars: 200,
  bodyChars: 16_384,
  rationaleChars: 4_096,
  refs: 64,
  tags: 16,
  tagChars: 64,
  evidence: 32,
  evidenceChars: 2_048,
  idChars: 128,
} as const;

/**
 * A text of at most `max` characters as written: each placeholder the sanitizer put in counts one
 * character, so redaction (by a client or the server) never takes a text over its limit, and the
 * text stored is at most REDACTED_GROWTH times it (docs/decisions.md, "A redacted entry over the
 * body limit"). Nothing is cut.
 */
export const writtenText = (max: number) =>
  z
    .string()
    .max(max * REDACTED_GROWTH, `must be at most ${max * REDACTED_GROWTH} characters once redacted`)
    .refine((s) => writtenLength(s) <= max, {
      message: `must be at most ${max} characters (each redaction placeholder counts as one)`,
      abort: true,
    });

export const EntryId = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID: 26 characters of Crockford base32, upper case');
export type EntryId = z.infer<typeof EntryId>;

/**
 * How far ahead of the receiving server's clock an entry id's time may be. An id is the writer's
 * ULID, whose first ten characters are the time it was made: a writer's clock may be off by
 * minutes, not by a day, and an id from the far future (7ZZZZZZZZZ… is the year 10889) once
 * sorted after everything anyone wrote later.
 */
export const MAX_ENTRY_ID_LEAD_MS = 24 * 3_600_000;

/** Why a new entry's id may not be written now, or null: its time is too far ahead of `now`. */
export function entryIdProblem(id: EntryId, now = Date.now()): string | null {
  let at: number;
  try {
    at = decodeTime(id);
  } catch {
    at = Number.POSITIVE_INFINITY; // past what a ULID's time can hold
  }
  if (at <= now + MAX_ENTRY_ID_LEAD_MS) return null;
  const when = Number.isFinite(at) ? new Date(at).toISOString() : 'beyond the year 10889';
  return `entry id ${id} says it was made at ${when}, more than 24 h ahead of the server's clock: check the writer's clock`;
}

/** Who acts: a person, or an AI harness working for one. Entries, presence and tokens say it. */
export const ActorKind = z.enum(['human', 'harness']);
export type ActorKind = z.infer<typeof ActorKind>;

export const Author = z.strictObject({
  id: z.string().min(1).max(ENTRY_LIMITS.idChars),
  name: z.string().min(1).max(ENTRY_LIMITS.idChars),
  kind: ActorKind,
  harness: z.string().min(1).max(64).optional(),
});
export type Author = z.infer<typeof Author>;

export const Evidence = z.strictObject({
  label: writtenText(ENTRY_LIMITS.titleChars).min(1),
  url: z.url().max(ENTRY_LIMITS.evidenceChars).optional(),
  query: writtenText(ENTRY_LIMITS.evidenceChars).min(1).optional(),
});

const IsoTime = isoTime();

/**
 * What the sanitizer removed before the entry was written, per type (`{ secret: 1, email: 2 }`).
 * Entries written before private data was redacted hold a number: the secrets removed.
 */
export const EntryRedactions = z.union([z.number().int().min(0), RedactionCounts]);
export type EntryRedactions = z.infer<typeof EntryRedactions>;

/** An entry's redactions per type, whichever form it holds them in. */
export const redactionCounts = (r: EntryRedactions | undefined): RedactionCounts =>
  r === undefined ? {} : typeof r === 'number' ? addCounts({ secret: r }) : addCounts(r);

/** Each field's schema: tools and forms that take part of an entry build on these. */
export const entryShape = {
  v: z.literal(1),
  id: EntryId,
  kind: EntryKind,
  title: writtenText(ENTRY_LIMITS.titleChars)
    .min(1)
    .regex(/^[^\n\r]*$/, 'must be one line')
    .optional(),
  body: writtenText(ENTRY_LIMITS.bodyChars),
  author: Author,
  at: IsoTime,
  refs: z.array(EntryId).max(ENTRY_LIMITS.refs).optional(),
  evidence: z.array(Evidence).max(ENTRY_LIMITS.evidence).optional(),
  confidence: z.enum(['low', 'medium', 'high']).optional(),
  rationale: writtenText(ENTRY_LIMITS.rationaleChars).min(1).optional(),
  tags: z.array(z.string().min(1).max(ENTRY_LIMITS.tagChars)).max(ENTRY_LIMITS.tags).optional(),
  redactions: EntryRedactions.optional(),
};

/**
 * Rules across fields: an entry says something, the kinds that answer another entry name it,
 * and no string in it holds what Postgres cannot store (see storable.ts).
 */
function checkEntry(
  e: { kind: EntryKind; title?: string; body: string; refs?: string[] },
  ctx: z.RefinementCtx,
): void {
  if (containsUnstorable(e))
    ctx.addIssue({ code: 'custom', path: [], message: `an entry's text ${UNSTORABLE_MESSAGE}` });
  if (!e.title && e.body.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['body'], message: 'an entry needs a title or a non-empty body' });
  }
  if ((e.kind === 'rejection' || e.kind === 'reopen') && !e.refs?.length) {
    ctx.addIssue({ code: 'custom', path: ['refs'], message: `a ${e.kind} must ref the entry it answers` });
  }
  if (e.kind === 'theory' && !e.title) {
    ctx.addIssue({ code: 'custom', path: ['title'], message: 'a theory needs a one-line title' });
  }
}

export const Entry = z.strictObject(entryShape).superRefine(checkEntry);
export type Entry = z.infer<typeof Entry>;

/** What a writer supplies: `v`, `id` and `at` are filled in when absent. */
export const EntryDraft = z
  .strictObject({ ...entryShape, v: entryShape.v.optional(), id: EntryId.optional(), at: IsoTime.optional() })
  .superRefine(checkEntry);
export type EntryDraft = z.infer<typeof EntryDraft>;

/** Monotonic: ids one writer makes in the same millisecond still sort in the order made. */
const nextUlid = monotonicFactory();

export function newEntryId(now = Date.now()): EntryId {
  return nextUlid(now);
}

/**
 * Completes a validated draft into an entry; the id doubles as the idempotency key. Copied with
 * `Object.assign`, not a spread followed by more keys (the same object): V8 (Node 20) takes a
 * slow path for the latter, about 5 µs per entry against 0.5, measured on 500-entry HTTP batches.
 */
export function completeEntry(draft: EntryDraft, now = new Date()): Entry {
  return Object.assign({}, draft, {
    v: 1 as const,
    id: draft.id ?? newEntryId(now.getTime()),
    at: draft.at ?? now.toISOString(),
  });
}
