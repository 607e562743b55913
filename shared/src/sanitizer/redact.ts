// Secret redaction before writing, as the server's paths use it today: clients replace every
// secret the scanner finds with a marker and count them in the entry's `redactions`; the server
// refuses what still holds one. The sanitizer (sanitize.ts) does the same for private data too.
import { type EntryDraft, redactionCounts } from '../entry.js';
import { addCounts } from './dataTypes.js';
import { joinStrings, mapStrings, replaceSpans, splitFindings, stringsOf } from './joinedScan.js';
import { type SecretFinding, findSecrets } from './scanner.js';

export const REDACTED = (rule: string) => `[REDACTED:${rule}]`;

export async function redactText(text: string): Promise<{ text: string; redactions: number }> {
  const found = await findSecrets(text);
  return { text: replaceSpans(text, found, (f) => REDACTED(f.rule)), redactions: found.length };
}

/** Redacts every string in a JSON value in one scan; returns the new value and how many secrets it held. */
export async function redactValue<T>(value: T): Promise<{ value: T; redactions: number }> {
  const strings = stringsOf([value], false);
  const found = await findSecrets(joinStrings(strings));
  if (found.length === 0) return { value, redactions: 0 };
  const inString = splitFindings(strings, found);
  const out = mapStrings(value, (s, n) => {
    const here = inString.get(n);
    return here ? replaceSpans(s, here, (f) => REDACTED(f.rule)) : s;
  });
  return { value: out, redactions: found.length };
}

/** An entry draft with its secrets redacted and `redactions` counting them (per type). */
export async function redactEntry(draft: EntryDraft): Promise<EntryDraft> {
  const { value, redactions } = await redactValue(draft);
  return redactions > 0
    ? { ...value, redactions: addCounts(redactionCounts(draft.redactions), { secret: redactions }) }
    : draft;
}

/**
 * The first secret in any string of the given values, object keys included, or null. All strings
 * go through the scanner in one pass: its cost is mostly per call, not per character.
 */
export async function firstSecret(values: readonly unknown[]): Promise<SecretFinding | null> {
  const [f] = await findSecrets(joinStrings(stringsOf(values, true)));
  return f ?? null;
}
