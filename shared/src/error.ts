// The one error type of sitrep: a stable code, a human message, optional details.
// Servers map codes to HTTP statuses and websocket replies in one place each.
// It imports nothing: a worker thread that only reports errors (room/snapshotWorker.ts) loads
// this module alone (`@sitrep/shared/error`), not the schemas.

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
