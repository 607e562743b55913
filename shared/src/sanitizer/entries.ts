// Entries sanitized for writing: each entry's secrets and private data replaced (sanitize.ts),
// and what was taken out of it added to its own `redactions`, per type. What clients send and
// what the server's HTTP paths store.
import { setImmediate } from 'node:timers/promises';
import { type EntryDraft, redactionCounts } from '../entry.js';
import { type RedactionCounts, addCounts } from './dataTypes.js';
import { joinStrings, splitGroups, stringsOf } from './joinedScan.js';
import { PHONE_CHECK_BUDGET } from './privateData.js';
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
 * Text a batch is scanned in at a time (about 10 ms of scanning here): a larger batch is scanned
 * in parts of whole entries, with a turn of the event loop between them, so that a server
 * sanitizing the largest batch the schemas allow (500 entries of 16 KB) answers other requests
 * meanwhile. The scanners' cost is mostly per call below this size, so a part is not smaller.
 */
export const SCAN_CHARS = 128 * 1024;

/** The drafts' strings in runs of whole entries of about `SCAN_CHARS` each: [first index, strings of each]. */
function parts(each: readonly string[][]): [number, string[][]][] {
  const out: [number, string[][]][] = [];
  let size = SCAN_CHARS;
  each.forEach((strings, i) => {
    const chars = strings.reduce((n, s) => n + s.length, 0);
    if (size + chars > SCAN_CHARS) {
      out.push([i, []]);
      size = 0;
    }
    out.at(-1)?.[1].push(strings);
    size += chars;
  });
  return out;
}

/**
 * A batch sanitized entry by entry, in one scan of all their strings (one per `SCAN_CHARS` of
 * them, yielding between): each finding goes back to the entry it is in. Blame is not looked for
 * (the server derives it where entries are stored). Entries that hold nothing (the common case)
 * are returned as they came. Each part is redacted before the next is scanned.
 */
export async function sanitizeEntries<D extends EntryDraft>(
  drafts: readonly D[],
  options: SanitizeOptions,
): Promise<SanitizedBatch<D>> {
  const each = drafts.map((d) => stringsOf([d], false));
  const out: ReturnType<typeof applyFindings<D>>[] = [];
  // One budget of phone checks for the batch, as when it was scanned in one piece.
  const scan = { ...options, phoneBudget: options.phoneBudget ?? { checks: PHONE_CHECK_BUDGET } };
  for (const [n, [first, strings]] of parts(each).entries()) {
    if (n > 0) await setImmediate();
    const inEntry = splitGroups(strings, await findSensitive(joinStrings(strings.flat()), scan));
    strings.forEach((s, j) => {
      out.push(applyFindings(drafts[first + j] as D, s, inEntry.get(j) ?? [], options));
    });
  }
  const index = out.findIndex((e) => e.refused.length > 0);
  return {
    entries: out.map((e, i) => counted(drafts[i] as D, e.value, e.counts)),
    counts: addCounts(...out.map((e) => e.counts)),
    refused: index < 0 ? null : { index, findings: out[index]?.refused ?? [] },
  };
}
