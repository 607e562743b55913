// The one error type of sitrep: a stable code, a human message, optional details.
// Servers map codes to HTTP statuses and websocket replies in one place each.
import type { z } from 'zod';
import { UNSTORABLE_MESSAGE, containsUnstorable } from './storable.js';

export const ERROR_CODES = [
  'request.malformed_json',
  'request.invalid',
  'request.too_large',
  'request.media_type',
  'request.host',
  'request.origin',
  'route.not_found',
  'auth.missing',
  'auth.invalid',
  'auth.forbidden',
  'quota.exceeded',
  'token.not_found',
  'incident.not_found',
  'incident.exists',
  'entry.not_found',
  'entry.unknown_ref',
  'gate.unknown_root',
  'gate.forbidden',
  'gate.client',
  'gate.overwrite',
  'gate.delete',
  'gate.schema',
  'gate.nested',
  'gate.content',
  'gate.secret',
  'gate.private',
  'gate.too_large',
  'gate.unresolved',
  'gate.malformed',
  'protocol.malformed',
  'storage.unavailable',
  'storage.conflict',
  'summarizer.bad_output',
  'summarizer.failed',
  'import.invalid',
  'config.invalid',
  'cli.usage',
  'remote.error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown> | unknown[];

export class SitrepError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    /** What went wrong underneath (a driver's error), for the log; never sent to a client. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SitrepError';
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns zod issues into short `path: message` lines for error details. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}

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
