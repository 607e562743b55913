// Which errors mean "the database is not there right now": connection failures of either driver
// (through drizzle's wrapping) and Postgres's connection and shutdown SQLSTATE classes; and the
// walk down an error's causes that finds them (the store's conflict check walks it too).
import { SitrepError } from '@sitrep/shared';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

function isFault(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  // 08: connection exception; 57P01-03: shutdown or cannot connect now; 53: insufficient resources.
  return CONNECTION_CODES.has(code) || /^(08|57P0[1-3]|53)/.test(code);
}

/**
 * `err` and the errors that caused it, outermost first, at most five deep: drizzle wraps the
 * driver's error (which carries the SQLSTATE in `code`) in its own.
 */
export function* causes(err: unknown): Generator<Error & { code?: unknown }> {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) yield e;
}

/** A storage.unavailable error when `err` (or what caused it) is a database outage, else null. */
export function storageFault(err: unknown): SitrepError | null {
  for (const e of causes(err)) {
    if (isFault(e.code)) {
      return new SitrepError('storage.unavailable', 'the database is unavailable; nothing was written, retry shortly');
    }
  }
  return null;
}
