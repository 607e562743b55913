// An incident's AI usage: `GET /api/incidents/:id/usage` (readers: the harnesses' and the
// summarizer's tokens and cost side by side) and `POST` (responders: the usage a local hook read
// from its harness's transcript, each message counted once).
import { UsageReport } from '@sitrep/shared';
import { Hono } from 'hono';
import type { Store } from '../store/Store.js';
import { incidentUsage } from '../usage/incidentUsage.js';
import type { PriceTable } from '../usage/prices.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody } from './body.js';
import type { IncidentLookup } from './incidents.js';

export function usageRoutes({
  store,
  incidentOf,
  prices,
}: {
  store: Store;
  incidentOf: IncidentLookup;
  prices: PriceTable;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/usage', async (c) => {
    const { id } = await incidentOf(c, 'viewer');
    const [harness, summarizer] = await Promise.all([
      store.usage.harnessUsage(id),
      store.summaries.usageByModel(id),
    ]);
    return c.json(incidentUsage(id, harness, summarizer, prices));
  });

  api.post('/incidents/:id/usage', async (c) => {
    const { id } = await incidentOf(c, 'responder');
    const report = await jsonBody(c, UsageReport);
    const counted = await store.usage.recordMessages(
      { incidentId: id, tokenId: principalOf(c).tokenId },
      report,
    );
    return c.json({ counted });
  });

  return api;
}
