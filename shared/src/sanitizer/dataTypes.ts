// The types of data the sanitizer tells apart, and redactions counted per type. Pure zod, no
// scanners: the entry schema (which the dashboard loads too) and the API's schemas use them.
import { z } from 'zod';

export const PRIVATE_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'nino'] as const;
export const PrivateType = z.enum(PRIVATE_TYPES);
export type PrivateType = z.infer<typeof PrivateType>;

export const DATA_TYPES = ['secret', ...PRIVATE_TYPES] as const;
export const dataTypeSchema = z.enum(DATA_TYPES);
export type DataType = z.infer<typeof dataTypeSchema>;

/** Redactions per type of data (`{ secret: 1, email: 2 }`), for an entry's record and the audit trail. */
export const RedactionCounts = z.partialRecord(dataTypeSchema, z.number().int().min(0));
export type RedactionCounts = z.infer<typeof RedactionCounts>;

/** The counts added up, per type. */
export function addCounts(...all: readonly RedactionCounts[]): RedactionCounts {
  const sum: RedactionCounts = {};
  for (const counts of all)
    for (const [type, n] of Object.entries(counts) as [DataType, number][])
      if (n) sum[type] = (sum[type] ?? 0) + n;
  return sum;
}

/**
 * What the sanitizer writes in place of what it removed: `[REDACTED:rule]` for a secret (redact.ts's
 * `REDACTED`; the rule is group 1), `[email-3f9a2c]` for a private datum (placeholder.ts; the type
 * is group 2, the tag group 3). The dashboard shows them apart by it.
 */
export const MARKER_PATTERN =
  /\[REDACTED:([\w.-]{1,64})\]|\[(email|phone|card|iban|ssn|nino)-([0-9a-f]{6})\]/g;

/**
 * A text's length as its writer wrote it, each marker counted as one character: what an entry's
 * limits are checked on, so that a text redacted by a client or the server is within the limit
 * its original was (every datum it replaced was a character or more).
 */
export function writtenLength(text: string): number {
  if (!text.includes('[')) return text.length;
  let length = text.length;
  for (const m of text.matchAll(MARKER_PATTERN)) length -= m[0].length - 1;
  return length;
}

/**
 * How many times its limit a text field may hold once redacted. The densest data there is grows
 * less: an address of 6 characters and a separator become a 14-character placeholder and a
 * separator (2 times), a phone of 7 digits 14 (2 times), a 3-character password in the shortest
 * URL that carries one (`a://:pwd@h `, 11 characters) `[REDACTED:url-credentials]` (26, about 3
 * times). Only markers written by hand, not redaction, can reach it.
 */
export const REDACTED_GROWTH = 4;
