// Export and import under /api: an incident as a Markdown postmortem draft, self-contained HTML
// or complete JSON (rebuilt from the raw log), and the JSON taken back in as a new incident.
import { ExportDocument, ExportQuery, ImportQuery } from '@sitrep/shared';
import { Hono } from 'hono';
import { authorize } from '../auth/Authenticator.js';
import { exportIncident } from '../export/exportIncident.js';
import { importIncident } from '../room/importIncident.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, query } from './body.js';
import { type ApiDeps, type IncidentLookup, creator } from './incidents.js';

export function exportRoutes({ store, incidentOf, incidentsPerHour }: ApiDeps & { incidentOf: IncidentLookup }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/export', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { format, at } = query(c, ExportQuery);
    const out = await exportIncident(store, incident, format, at);
    await store.audit.record({
      action: 'export',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { format, seq: out.seq, redactions: out.redactions },
    });
    return c.body(out.body, 200, {
      'content-type': out.contentType,
      'content-disposition': `inline; filename="${out.filename}"`,
      'x-sitrep-seq': String(out.seq),
    });
  });

  api.post('/incidents/import', async (c) => {
    const principal = principalOf(c);
    authorize(principal, 'commander', principal.incidentId); // the role, before the body is read
    const { id } = query(c, ImportQuery);
    const doc = await jsonBody(c, ExportDocument);
    const target = id ?? doc.incident.id;
    authorize(principal, 'commander', target); // and the incident it makes
    const by = creator(principal, incidentsPerHour, { action: 'import', incidentId: target, detail: { entries: doc.entries.length, from: doc.incident.id } });
    return c.json({ incident: await importIncident(store, doc, target, by) }, 201);
  });

  return api;
}
