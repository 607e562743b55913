// Values Postgres can store. Its text and jsonb types refuse U+0000 (NUL) and its timestamps the
// year 0000, and one write holding either would fail the whole group commit, the other writers'
// updates with it. An unpaired UTF-16 surrogate has no UTF-8 form: jsonb refuses it, text and
// Yjs store U+FFFD instead, so the stored entry would differ from the one acknowledged. Input
// holding any of them is refused where it arrives, before anything is applied or written.
// Clients repair the text they send instead (`storableValue`), as a UTF-8 encoder would. Input
// from outside is parsed here too (`parseInput`): refused if unstorable, then by its schema.
import { z } from 'zod';
import { SitrepError, describeIssues } from './error.js';

export const UNSTORABLE_MESSAGE =
  'must not contain U+0000 (NUL) or an unpaired surrogate, which Postgres cannot store';

const LONE_SURROGATE = /\p{Cs}/u;

/** Whether a string holds U+0000 or an unpaired surrogate. */
const unstorable = (s: string): boolean => s.includes('\0') || LONE_SURROGATE.test(s);

/**
 * Whether any string in a JSON-like value, keys included, is unstorable. Iterative, so a request
 * body nested a million deep is walked without overflowing the stack.
 */
export function containsUnstorable(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (unstorable(v)) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      // Keys one at a time: Object.entries made an array per key, run twice per entry on ingest.
      const record = v as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (unstorable(key)) return true;
        stack.push(record[key]);
      }
    }
  }
  return false;
}

const REPAIRABLE = /\0|\p{Cs}/gu;

/**
 * A JSON-like value with each NUL and unpaired surrogate in its strings, keys included, replaced
 * by U+FFFD: what a client does before sending text it did not write itself (a transcript, a tool
 * result, an agent's output), so one bad character does not refuse a whole harness turn.
 */
export function storableValue<T>(value: T): T {
  const repair = (v: unknown): unknown => {
    if (typeof v === 'string') return unstorable(v) ? v.replace(REPAIRABLE, '\uFFFD') : v;
    if (Array.isArray(v)) return v.map(repair);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [repair(k), repair(x)]));
  };
  return repair(value) as T;
}

/** A string schema that refuses what Postgres cannot store; chain `.min()` / `.max()` on it as on any string. */
export const storableString = () => z.string().refine((s) => !unstorable(s), UNSTORABLE_MESSAGE);

/**
 * The first `n` UTF-16 units of `s`, or one fewer where the cut would split a surrogate pair: half
 * a pair is not storable. Every cut of text that may be written or sent goes through here.
 */
export function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const last = s.charCodeAt(n - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

const OFFSET_HOURS = /[+-](\d{2})(?::?\d{2})?$/;
const FIRST = Date.parse('0001-01-01T00:00:00Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether Postgres stores the time as written: an offset within ±15:59, years 0001 to 9999 in UTC. */
function storableTime(s: string): boolean {
  const hours = OFFSET_HOURS.exec(s)?.[1];
  const t = Date.parse(s);
  return !s.startsWith('0000') && (hours === undefined || Number(hours) <= 15) && t >= FIRST && t <= LAST;
}

/**
 * An ISO 8601 time with an offset that Postgres can store: no year 0000 (which ISO 8601 allows), an
 * offset within ±15:59 (its limit; ISO allows ±23:59), and an instant in years 0001 to 9999 in UTC
 * (a time that is in year 0001 or 9999 only in its own offset would be written as year 0000 or
 * 10000 on the way to the database). One such time fails a whole group commit.
 */
export const isoTime = () =>
  z.iso
    .datetime({ offset: true })
    .refine(storableTime, 'must be a time in years 0001 to 9999 (UTC) with an offset within ±15:59');

/** An ISO 8601 day (`2026-11-01`) whose midnight UTC Postgres can store: years 0001 to 9999, not 0000. */
export const isoDay = () =>
  z.iso.date().refine((d) => storableTime(`${d}T00:00:00Z`), 'must be a day in years 0001 to 9999');

/**
 * Input from outside parsed by its schema: text Postgres cannot store, or a value the schema
 * refuses, is a request.invalid naming `what` and the first issues.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  if (containsUnstorable(raw))
    throw new SitrepError('request.invalid', `invalid ${what}: text ${UNSTORABLE_MESSAGE}`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new SitrepError('request.invalid', `invalid ${what}: ${issues.slice(0, 3).join('; ')}`, issues);
  }
  return parsed.data;
}
