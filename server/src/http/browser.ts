// What every HTTP response tells browsers, and which requests browsers may make: the dashboard's
// Content-Security-Policy (no inline script or style, no eval, nothing from elsewhere, no
// framing) with nosniff and no referrer on every response, and the Host and Origin check
// (OriginPolicy) in front of every route.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { OriginPolicy } from '../auth/OriginPolicy.js';

/**
 * The dashboard's policy. `'self'` in connect-src covers its own websocket (ws: on the page's
 * host). A response that sets a policy of its own (the HTML export) keeps it.
 */
export const DASHBOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function browserHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: DASHBOARD_CSP,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    // HSTS belongs to whoever terminates TLS; over plain HTTP browsers ignore it anyway.
    strictTransportSecurity: false,
    overwrite: false,
  });
}

/** Refuses a request whose Host is not this server's or whose Origin is another site's. */
export function originCheck(policy: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    policy.checkHost(host);
    policy.checkOrigin(c.req.header('origin'), host);
    await next();
  };
}
