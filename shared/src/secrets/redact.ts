// Redaction before writing: clients replace every secret the scanner finds with a marker and
// count them in the entry's `redactions`; the server refuses what still holds one.
import type { EntryDraft } from '../entry.js';
import { type SecretFinding, findSecrets } from './scanner.js';

export const REDACTED = (rule: string) => `[REDACTED:${rule}]`;

export async function redactText(text: string): Promise<{ text: string; redactions: number }> {
  const found = await findSecrets(text);
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + REDACTED(f.rule);
    at = f.end;
  }
  return { text: out + text.slice(at), redactions: found.length };
}

/** Redacts every string in a JSON value; returns the new value and how many secrets it held. */
export async function redactValue<T>(value: T): Promise<{ value: T; redactions: number }> {
  let count = 0;
  const walk = async (v: unknown): Promise<unknown> => {
    if (typeof v === 'string') {
      const r = await redactText(v);
      count += r.redactions;
      return r.text;
    }
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x);
      return out;
    }
    return v;
  };
  const redacted = (await walk(value)) as T;
  return { value: redacted, redactions: count };
}

/** An entry draft with its secrets redacted and `redactions` counting them. */
export async function redactEntry(draft: EntryDraft): Promise<EntryDraft> {
  const { value, redactions } = await redactValue(draft);
  return redactions > 0 ? { ...value, redactions: (draft.redactions ?? 0) + redactions } : draft;
}

/**
 * Joins strings for one scan: a newline, a NUL and a newline between them match no detector
 * (none takes NUL, and an assignment needs its `=` or `:` after the whitespace), so no finding
 * spans two strings.
 */
const SEPARATOR = '\n\u0000\n';

/**
 * The first secret in any string of the given values, object keys included, or null. All strings
 * go through the scanner in one pass: its cost is mostly per call, not per character.
 */
export async function firstSecret(values: readonly unknown[]): Promise<SecretFinding | null> {
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      for (const [key, x] of Object.entries(v)) {
        strings.push(key);
        collect(x);
      }
    }
  };
  values.forEach(collect);
  const [f] = await findSecrets(strings.join(SEPARATOR));
  return f ?? null;
}
