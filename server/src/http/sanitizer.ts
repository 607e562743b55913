// An incident's sanitizer settings under /api: what a client redacts with before it writes.
// The key goes only to tokens that may write the incident (a holder can confirm a guessed
// datum), never into the document, its views or exports. The commander's allowances of private
// data types for the incident, audited. And (admin) a scan of the stored entries for what the
// current rules catch, so they can be purged.
import { AllowancesRequest, type SanitizerSettings } from '@sitrep/shared';
import { Hono } from 'hono';
import { scanIncident } from '../export/exportIncident.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody } from './body.js';
import type { ApiDeps, IncidentLookup } from './incidents.js';

export function sanitizerRoutes({
  store,
  privacy,
  incidentOf,
}: ApiDeps & { incidentOf: IncidentLookup }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/sanitizer', async (c) => {
    const incident = await incidentOf(c, 'responder');
    const body: SanitizerSettings = await privacy.settings(incident.id);
    return c.json(body);
  });

  // Admin only: which entries hold what (never the text), as NDJSON a chunk at a time, under the
  // incident's policy (a type it allows is not reported).
  api.get('/incidents/:id/sanitizer/scan', async (c) => {
    const incident = await incidentOf(c, 'admin');
    const { policy } = await privacy.settings(incident.id);
    const body = await scanIncident(store, incident, policy);
    await store.audit.record({
      action: 'sanitizer.scan',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { seq: incident.lastSeq },
    });
    return c.body(body, 200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
  });

  // A commander allows a type for this incident (a customer-data breach needs the customer's
  // address): audited with who and which types; clients read it through the settings above.
  api.put('/incidents/:id/allowances', async (c) => {
    const incident = await incidentOf(c, 'commander');
    const { allow } = await jsonBody(c, AllowancesRequest);
    const body: SanitizerSettings = await privacy.allow(incident.id, allow, principalOf(c).tokenId);
    return c.json(body);
  });

  return api;
}
