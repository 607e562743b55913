// Which errors mean "the database is not there right now": connection failures of either driver
// (through drizzle's wrapping) and Postgres's connection and shutdown SQLSTATE classes.
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

/** A storage.unavailable error when `err` (or what caused it) is a database outage, else null. */
export function storageFault(err: unknown): SitrepError | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isFault((e as Error & { code?: unknown }).code)) {
      return new SitrepError('storage.unavailable', 'the database is unavailable; nothing was written, retry shortly');
    }
  }
  return null;
}
