// Admin routes under /api: tokens and the audit trail.
import { AuditQuery, CreateTokenRequest, TokenId } from '@sitrep/shared';
import { Hono } from 'hono';
import { type Authenticator, authorize } from '../auth/Authenticator.js';
import { refuseContent } from '../gate/refusals.js';
import type { IncidentPrivacy } from '../privacy/IncidentPrivacy.js';
import type { Store } from '../store/Store.js';
import { toTokenSummary } from '../store/TokenStore.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, parse, query } from './body.js';

export function adminRoutes(deps: {
  store: Store;
  auth: Authenticator;
  privacy: IncidentPrivacy;
  onRevoke(tokenId: string): void;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.use('/tokens/*', async (c, next) => (authorize(principalOf(c), 'admin'), next()));
  api.use('/tokens', async (c, next) => (authorize(principalOf(c), 'admin'), next()));
  api.use('/audit', async (c, next) => (authorize(principalOf(c), 'admin'), next()));

  api.post('/tokens', async (c) => {
    const req = await jsonBody(c, CreateTokenRequest);
    // The label is shown wherever the token acts (the audit trail, presence, "via <label>" in the
    // dashboard and exports, an author's name) and belongs to no incident whose key could redact
    // it: one holding a secret or private data the policy does not allow is refused.
    await refuseContent([req.label], 'token label', deps.privacy.policy);
    const { token, summary } = await deps.auth.create(req, principalOf(c));
    return c.json({ token, summary }, 201);
  });

  api.get('/tokens', async (c) => c.json({ tokens: (await deps.store.tokens.list()).map(toTokenSummary) }));

  api.delete('/tokens/:id', async (c) => {
    const id = parse(TokenId, c.req.param('id'), 'token id');
    await deps.auth.revoke(id, principalOf(c));
    deps.onRevoke(id);
    return c.json({ revoked: id });
  });

  api.get('/audit', async (c) => c.json({ records: await deps.store.audit.list(query(c, AuditQuery)) }));

  return api;
}
