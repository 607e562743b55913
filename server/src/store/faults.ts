// The store's edge for errors: what either driver (through drizzle's wrapping) throws becomes a
// SitrepError here and nowhere else. An outage (a connection failure, Postgres's connection and
// shutdown classes, a closed PGlite) is storage.unavailable; a write that lost a race (a duplicate
// key, a client id claimed first, a serialization failure or deadlock) is storage.conflict;
// anything else is internal, with the driver's error kept as its cause for the log.
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

/** Marks the error the append statement raises when a write claims a client id someone else owns. */
export const CLIENT_TAKEN = 'sitrep: client id taken ';

/** What PGlite throws once closed: it has no connection to lose, and no code. */
const PGLITE_CLOSED = 'PGlite is closed';

function isOutage(e: Error & { code?: unknown }): boolean {
  if (e.message === PGLITE_CLOSED) return true;
  if (typeof e.code !== 'string') return false;
  // 08: connection exception; 57P01-03: shutdown or cannot connect now; 53: insufficient resources.
  return CONNECTION_CODES.has(e.code) || /^(08|57P0[1-3]|53)/.test(e.code);
}

/**
 * `err` and the errors that caused it, outermost first, at most five deep: drizzle wraps the
 * driver's error (which carries the SQLSTATE in `code`) in its own.
 */
export function* causes(err: unknown): Generator<Error & { code?: unknown }> {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) yield e;
}

/** The SitrepError callers of the store see for what a database call threw. */
export function storageError(err: unknown): SitrepError {
  if (err instanceof SitrepError) return err;
  for (const e of causes(err)) {
    if (isOutage(e)) {
      return new SitrepError(
        'storage.unavailable',
        'the database is unavailable; nothing was written, retry shortly',
      );
    }
    // 23505: unique_violation (in practice an entry id, written at once on two nodes).
    if (e.code === '23505') {
      return new SitrepError(
        'storage.conflict',
        'an entry in this write was written concurrently on another node; resync and retry',
      );
    }
    if (e.message.includes(CLIENT_TAKEN)) {
      return new SitrepError(
        'storage.conflict',
        'a Yjs client id in this write belongs to another writer; resync and retry',
      );
    }
    // 40001: serialization_failure; 40P01: deadlock_detected. The database undid it whole.
    if (e.code === '40001' || e.code === '40P01') {
      return new SitrepError(
        'storage.conflict',
        'the database aborted this write for a concurrent one; retry',
      );
    }
  }
  return new SitrepError('internal', 'the database could not complete the operation', undefined, {
    cause: err,
  });
}

/** Whether `err` says the database is away (a store call refused for an outage). */
export const isStorageOutage = (err: unknown): boolean =>
  err instanceof SitrepError && err.code === 'storage.unavailable';

/**
 * `store` with every method's failure, thrown or rejected, passed through storageError: the one
 * place a driver's error is translated, so a method added later cannot forget it. Calls inside
 * the store (on `this`) are not wrapped, so an error is translated once, as it leaves.
 */
export function atStorageEdge<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => Promise.reject(storageError(err)))
            : result;
        } catch (err) {
          throw storageError(err);
        }
      };
    },
  });
}
