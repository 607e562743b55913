// Authentication for /api, /hooks and /mcp: the bearer token becomes the request's principal;
// a remote harness's incident is the token's own or `?incident=`.
import { IncidentId, SitrepError } from '@sitrep/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Authenticator, Principal } from '../auth/Authenticator.js';
import { query } from './body.js';

export type AppEnv = { Variables: { principal: Principal } };

export function bearerAuth(auth: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (header && !m)
      throw new SitrepError('auth.invalid', 'the Authorization header must be "Bearer <token>"');
    c.set('principal', await auth.authenticate(m?.[1]));
    await next();
  };
}

export const principalOf = (c: Context<AppEnv>): Principal => c.get('principal');

const HarnessQuery = z.strictObject({ incident: IncidentId.optional() });

/**
 * The incident a remote harness's request (/hooks, /mcp) is about: `?incident=`, else the one its
 * token is limited to; 400 without either, not found unless the token may read it.
 */
export async function harnessIncident(c: Context<AppEnv>, auth: Authenticator): Promise<string> {
  const principal = principalOf(c);
  const incidentId = query(c, HarnessQuery).incident ?? principal.incidentId;
  if (!incidentId)
    throw new SitrepError(
      'request.invalid',
      'which incident: add ?incident=<id> to the url, or use a token limited to one',
    );
  await auth.readable(principal, incidentId);
  return incidentId;
}
