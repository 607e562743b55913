// `POST /api/incidents/:id/connect`: a commander of the incident (or an admin) connects a
// responder's harness. It mints a responder token limited to the incident that carries the
// responder's name (sanitized under the incident's settings, as an entry is) and answers it once,
// with the ready-to-paste setup of each harness asked for (shared/src/connect.ts builds it).
import {
  ConnectRequest,
  type ConnectResponse,
  HARNESSES,
  SitrepError,
  harnessSetup,
  tokenExport,
} from '@sitrep/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Authenticator } from '../auth/Authenticator.js';
import type { IncidentPrivacy } from '../privacy/IncidentPrivacy.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody } from './body.js';
import type { IncidentLookup } from './incidents.js';

/** How long a connected harness's token works: the incident's nights, not the year after. */
export const CONNECT_TOKEN_SECONDS = 7 * 24 * 3600;

/** A name once sanitized: a placeholder may make it longer, never past what an author's name holds. */
const SanitizedName = z.string().min(1).max(128);

export function connectRoutes(deps: {
  auth: Authenticator;
  privacy: IncidentPrivacy;
  incidentOf: IncidentLookup;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.post('/incidents/:id/connect', async (c) => {
    const incident = await deps.incidentOf(c, 'commander');
    const req = await jsonBody(c, ConnectRequest);
    const sanitized = await deps.privacy.sanitizeText(incident.id, req.name, 'the responder name');
    const name = SanitizedName.safeParse(sanitized);
    if (!name.success)
      throw new SitrepError('request.invalid', 'the responder name is too long once redacted');
    const token = await deps.auth.create(
      {
        role: 'responder',
        kind: 'harness',
        incidentId: incident.id,
        label: `${req.harness ?? 'harness'} for ${name.data}`.slice(0, 120),
        expiresIn: CONNECT_TOKEN_SECONDS,
        name: name.data,
      },
      principalOf(c),
    );
    // The server as the caller reached it: the dashboard's own origin, the CLI's --server.
    const server = new URL(c.req.url).origin;
    const target = { server, incident: incident.id };
    const answer: ConnectResponse = {
      token,
      incident: incident.id,
      server,
      export: tokenExport(token.token),
      setups: (req.harness ? [req.harness] : HARNESSES).map((h) => harnessSetup(h, target)),
    };
    return c.json(answer, 201);
  });
  return api;
}
