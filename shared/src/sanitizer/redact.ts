// Redaction before writing: clients replace every secret the scanner finds with a marker and
// count them in the entry's `redactions`; the server refuses what still holds one.
import type { EntryDraft } from '../entry.js';
import { type SecretFinding, findSecrets } from './scanner.js';

export const REDACTED = (rule: string) => `[REDACTED:${rule}]`;

/** Replaces each finding (sorted, not overlapping) in `text` with its marker. */
function redactFindings(text: string, found: readonly SecretFinding[]): string {
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + REDACTED(f.rule);
    at = f.end;
  }
  return out + text.slice(at);
}

export async function redactText(text: string): Promise<{ text: string; redactions: number }> {
  const found = await findSecrets(text);
  return { text: redactFindings(text, found), redactions: found.length };
}

/**
 * Joins strings for one scan: a newline, a NUL and a newline between them match no detector
 * (none takes NUL, and an assignment needs its `=` or `:` after the whitespace), so no finding
 * spans two strings.
 */
const SEPARATOR = '\n\u0000\n';

/** Every string in the values, in walk order (object keys too, when asked), for one scan. */
function stringsOf(values: readonly unknown[], keys: boolean): string[] {
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      for (const [key, x] of Object.entries(v)) {
        if (keys) strings.push(key);
        collect(x);
      }
    }
  };
  values.forEach(collect);
  return strings;
}

/**
 * Redacts every string in a JSON value; returns the new value and how many secrets it held. The
 * strings go through the scanner in one pass (its cost is mostly per call, not per character:
 * one call per string made a 20,000-entry export take 21 s).
 */
export async function redactValue<T>(value: T): Promise<{ value: T; redactions: number }> {
  const strings = stringsOf([value], false);
  const found = await findSecrets(strings.join(SEPARATOR));
  if (found.length === 0) return { value, redactions: 0 };
  // Where each string starts in the joined text, then each finding moved into its string.
  const starts: number[] = [];
  let offset = 0;
  for (const s of strings) {
    starts.push(offset);
    offset += s.length + SEPARATOR.length;
  }
  const inString = new Map<number, SecretFinding[]>();
  let i = 0;
  for (const f of found) {
    while (i + 1 < starts.length && (starts[i + 1] as number) <= f.start) i++;
    const start = starts[i] as number;
    const length = (strings[i] as string).length;
    const list = inString.get(i) ?? [];
    list.push({ rule: f.rule, start: f.start - start, end: Math.min(f.end - start, length) });
    inString.set(i, list);
  }
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const here = inString.get(n++);
      return here ? redactFindings(v, here) : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, redactions: found.length };
}

/** An entry draft with its secrets redacted and `redactions` counting them. */
export async function redactEntry(draft: EntryDraft): Promise<EntryDraft> {
  const { value, redactions } = await redactValue(draft);
  return redactions > 0 ? { ...value, redactions: (draft.redactions ?? 0) + redactions } : draft;
}

/**
 * The first secret in any string of the given values, object keys included, or null. All strings
 * go through the scanner in one pass: its cost is mostly per call, not per character.
 */
export async function firstSecret(values: readonly unknown[]): Promise<SecretFinding | null> {
  const [f] = await findSecrets(stringsOf(values, true).join(SEPARATOR));
  return f ?? null;
}
