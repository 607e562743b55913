// The one mapping from error codes to HTTP statuses, and the JSON error body.
import { type ErrorCode, SitrepError } from '@sitrep/shared';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  'request.malformed_json': 400,
  'request.invalid': 400,
  'request.too_large': 413,
  'request.media_type': 415,
  'request.host': 403,
  'request.origin': 403,
  'route.not_found': 404,
  'auth.missing': 401,
  'auth.invalid': 401,
  'auth.forbidden': 403,
  'quota.exceeded': 429,
  'token.not_found': 404,
  'incident.not_found': 404,
  'incident.exists': 409,
  'entry.not_found': 404,
  'entry.unknown_ref': 400,
  'gate.unknown_root': 403,
  'gate.forbidden': 403,
  'gate.client': 403,
  'gate.overwrite': 409,
  'gate.delete': 403,
  'gate.schema': 400,
  'gate.nested': 400,
  'gate.content': 400,
  'gate.secret': 422,
  'gate.private': 422,
  'gate.too_large': 413,
  'gate.unresolved': 400,
  'gate.malformed': 400,
  'protocol.malformed': 400,
  'storage.unavailable': 503,
  'storage.conflict': 409,
  'summarizer.bad_output': 502,
  'summarizer.failed': 502,
  'import.invalid': 400,
  'config.invalid': 500,
  'cli.usage': 400,
  'remote.error': 502,
  internal: 500,
};

export function errorResponse(c: Context, err: unknown): Response {
  const e = err instanceof SitrepError ? err : new SitrepError('internal', 'internal error');
  // A quota says when it frees up, for clients that honour Retry-After.
  const retry = e.details && !Array.isArray(e.details) ? e.details.retryAfterSeconds : undefined;
  const status = HTTP_STATUS[e.code];
  return c.json({ error: e.toJSON() }, status, {
    ...(typeof retry === 'number' && { 'retry-after': String(retry) }),
    // RFC 6750 §3: a request without a usable token is told which scheme to use, and a token
    // that was sent but is not good is called invalid (clients then ask for a new one).
    ...(status === 401 && {
      'www-authenticate': `Bearer realm="sitrep"${e.code === 'auth.invalid' ? ', error="invalid_token"' : ''}`,
    }),
  });
}
