// Export and import under /api: an incident as a Markdown postmortem draft, self-contained HTML
// or complete JSON (rebuilt from the raw log), and the JSON taken back in as a new incident.
import { ExportQuery, ImportQuery, aiFigures } from '@sitrep/shared';
import { Hono, type MiddlewareHandler } from 'hono';
import { type Authenticator, authorize } from '../auth/Authenticator.js';
import { exportIncident } from '../export/exportIncident.js';
import { documentThread } from '../export/documentThread.js';
import { writeImport } from '../room/importIncident.js';
import type { PriceTable } from '../usage/prices.js';
import { type AppEnv, principalOf } from './auth.js';
import { limitBody, query } from './body.js';
import { type ApiDeps, type IncidentLookup, creator } from './incidents.js';
import { usageOf } from './usage.js';

/** What the self-contained HTML export may do when opened from here: show its own style, no more. */
export const EXPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** The import route's full path: the general body limit leaves it to its own. */
export const IMPORT_PATH = '/api/incidents/import';

export function exportRoutes({
  store,
  privacy,
  auth,
  incidentOf,
  incidentsPerHour,
  importMaxBytes,
  prices,
}: ApiDeps & {
  auth: Authenticator;
  incidentOf: IncidentLookup;
  importMaxBytes: number;
  prices: PriceTable;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/export', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { format, at, names } = query(c, ExportQuery);
    // The drafts print the AI usage as read now; the JSON export is the document alone.
    const ai = format === 'json' ? undefined : aiFigures(await usageOf(store, incident.id, prices));
    const out = await exportIncident(store, incident, format, at, names, ai);
    await store.audit.record({
      action: 'export',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { format, seq: out.seq, redactions: out.redactions, ...(names && { names }) },
    });
    return c.body(out.body, 200, {
      'content-type': out.contentType,
      'content-disposition': `inline; filename="${out.filename}"`,
      'x-sitrep-seq': String(out.seq),
      // The HTML draft is one page with its own inline style and nothing else, should it be shown.
      ...(format === 'html' ? { 'content-security-policy': EXPORT_HTML_CSP } : {}),
    });
  });

  // The role is checked before the body is read: only a commander's import is buffered.
  const commander: MiddlewareHandler<AppEnv> = async (c, next) => (
    authorize(principalOf(c), 'commander', principalOf(c).incidentId), next()
  );
  api.post(IMPORT_PATH.replace(/^\/api/, ''), commander, limitBody(importMaxBytes), async (c) => {
    const principal = principalOf(c);
    const { id, allow, private: asked } = query(c, ImportQuery);
    // Parsed and checked in the document worker: a large import walks every entry several times.
    // The new incident's policy: the deployment's with the allowances its importer gives it.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const policy = privacy.policyWith(allow);
    const { head: checked } = await documentThread.run('import', { body, id, policy }, [body.buffer]);
    // The commander of the incident it makes, who may set its allowances.
    authorize(principal, 'commander', checked.id);
    // Private when its export was (or when asked): a copy is never readable by more than its source.
    const isPrivate = checked.private || asked;
    const redactions = Object.keys(checked.redactions).length > 0 ? { redactions: checked.redactions } : {};
    const detail = {
      entries: checked.entries,
      from: checked.from,
      ...redactions,
      ...(isPrivate && { private: true }),
    };
    const audit = { action: 'import', incidentId: checked.id, detail } as const;
    const { by, created } = creator(auth, principal, incidentsPerHour, audit, isPrivate);
    return c.json(
      created(await writeImport(store, checked, by, { allowances: allow, private: isPrivate })),
      201,
    );
  });

  return api;
}
