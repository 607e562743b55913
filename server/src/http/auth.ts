// Authentication for /api: the bearer token becomes the request's principal.
import { SitrepError } from '@sitrep/shared';
import type { Context, MiddlewareHandler } from 'hono';
import type { Authenticator, Principal } from '../auth/Authenticator.js';

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
