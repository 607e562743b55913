// Outcome figures under /api: `GET /api/insights` across the incidents the token may read (the
// store's query says which), and `GET /api/incidents/:id/figures` for one it may read.
import { InsightsQuery, SitrepError } from '@sitrep/shared';
import { Hono } from 'hono';
import type { Insights } from '../insights/Insights.js';
import { type AppEnv, principalOf } from './auth.js';
import { query } from './body.js';
import type { IncidentLookup } from './incidents.js';

export function insightsRoutes({
  insights,
  incidentOf,
}: {
  insights: Insights;
  incidentOf: IncidentLookup;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  // Kept answers are JSON already: sent as they are.
  api.get('/insights', async (c) => {
    const json = await insights.across(principalOf(c), query(c, InsightsQuery));
    return c.body(json, 200, { 'content-type': 'application/json' });
  });

  api.get('/incidents/:id/figures', async (c) => {
    const { id } = await incidentOf(c, 'viewer');
    const figures = await insights.ofIncident(id);
    if (!figures) throw new SitrepError('incident.not_found', `no incident ${id}`);
    return c.json(figures);
  });

  return api;
}
