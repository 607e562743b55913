// What an append statement carries (Store's appendStatement): a run of log updates with the
// entries they add, each entry's blame flags, the client ids they claim, what was redacted and any
// meta change, as ONE JSON text. Pure (no database), so the document worker can make an import's
// statements ahead of its write, as UTF-8 bytes it hands over without a copy: structured-cloning
// an import's 20,000 entries back to the event loop held it for over 100 ms, and their 10 MB of
// JSON as strings still 40-50 ms (measured, Node 20); transferred bytes cost nothing, and each
// statement's text is decoded as it is sent.
import { type Entry, bySize, redactionCounts, reviewFlags } from '@sitrep/shared';
import { type RedactionCounts, addCounts } from '@sitrep/shared/sanitizer';
import type { LogAppend } from './UpdateLog.js';

/** One statement's log rows: its JSON parameter (text, or that text as UTF-8) and how many rows it appends. */
export interface LogWrites {
  readonly json: string | Uint8Array;
  readonly rows: number;
}

/**
 * Log bytes one statement of an incident's creation carries at most. An import writes thousands
 * of entries in its one transaction, and on PGlite each statement runs on the event loop (about
 * 0.2 s per 1,000 entries): in small statements, with I/O let through between them, sockets and
 * timers go on while it writes (other queries still wait for the transaction).
 */
const CREATE_STATEMENT_BYTES = 256 * 1024;

/** What a log row weighs in a statement: its update's bytes. */
export const logBytes = (row: LogAppend) => row.bytes.length;

/** What a write's entries say was redacted from them, per type, for its audit record (null: nothing). */
function redactionsOf(written: readonly Entry[]): RedactionCounts | null {
  const sum = addCounts(...written.map((e) => redactionCounts(e.redactions)));
  return Object.keys(sum).length > 0 ? sum : null;
}

/** The statement parameter for `items`: the update bytes in base64, everything else as it is. */
export function logWrites(items: readonly LogAppend[]): LogWrites {
  const json = JSON.stringify(
    items.map((it) => ({
      b: Buffer.from(it.bytes).toString('base64'),
      t: it.tokenId ?? null,
      e: it.entries,
      f: it.entries.map(reviewFlags),
      c: it.claims ?? [],
      r: redactionsOf(it.entries),
      m: it.meta ?? null,
    })),
  );
  return { json, rows: items.length };
}

/**
 * An incident's first log rows (Store.createIncident), a statement per CREATE_STATEMENT_BYTES,
 * each as UTF-8 in an ArrayBuffer of its own (see `buffersOf`).
 */
export function creationWrites(first: readonly LogAppend[]): LogWrites[] {
  const utf8 = new TextEncoder();
  return bySize(first, CREATE_STATEMENT_BYTES, Infinity, logBytes).map((part) => {
    const { json, rows } = logWrites(part);
    return { json: utf8.encode(json as string), rows };
  });
}

/** The buffers that hold statements' bytes, each once: what a worker transfers with them. */
export function buffersOf(statements: readonly LogWrites[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { json } of statements) if (typeof json !== 'string') buffers.add(json.buffer as ArrayBuffer);
  return [...buffers];
}

/** A statement's JSON parameter as text. */
export function jsonText({ json }: LogWrites): string {
  return typeof json === 'string' ? json : new TextDecoder().decode(json);
}
