// An incident's sanitizer settings under /api: what a client redacts with before it writes.
// The key goes only to tokens that may write the incident (a holder can confirm a guessed
// datum), never into the document, its views or exports.
import type { SanitizerSettings } from '@sitrep/shared';
import { Hono } from 'hono';
import type { AppEnv } from './auth.js';
import type { ApiDeps, IncidentLookup } from './incidents.js';

export function sanitizerRoutes({ privacy, incidentOf }: ApiDeps & { incidentOf: IncidentLookup }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/sanitizer', async (c) => {
    const incident = await incidentOf(c, 'responder');
    const body: SanitizerSettings = await privacy.settings(incident.id);
    return c.json(body);
  });

  return api;
}
