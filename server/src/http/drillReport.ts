// A drill's report under /api: `GET /drills/:id/report?format=md|html|json` (readers of the
// drill): its questions with their answers, the unanswered ones, the fix-now actions with owners,
// who took part and the AI cost. Rendered in the document worker and scanned on the way out, as
// an export is, and audited as one.
import { DrillReportQuery } from '@sitrep/shared';
import { Hono } from 'hono';
import { drillReportOf } from '../export/exportIncident.js';
import type { Store } from '../store/Store.js';
import type { PriceTable } from '../usage/prices.js';
import { type AppEnv, principalOf } from './auth.js';
import { query } from './body.js';
import { EXPORT_HTML_CSP } from './exports.js';
import type { IncidentLookup } from './incidents.js';
import { usageOf } from './usage.js';

export function drillReportRoutes({
  store,
  incidentOf,
  prices,
}: {
  store: Store;
  incidentOf: IncidentLookup;
  prices: PriceTable;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/drills/:id/report', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { format } = query(c, DrillReportQuery);
    const out = await drillReportOf(store, incident, format, await usageOf(store, incident.id, prices));
    await store.audit.record({
      action: 'export',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { report: 'drill', format, seq: out.seq, redactions: out.redactions },
    });
    return c.body(out.body, 200, {
      'content-type': out.contentType,
      'content-disposition': `inline; filename="${out.filename}"`,
      'x-sitrep-seq': String(out.seq),
      ...(format === 'html' ? { 'content-security-policy': EXPORT_HTML_CSP } : {}),
    });
  });

  return api;
}
