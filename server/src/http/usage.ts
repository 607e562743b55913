// An incident's AI usage: `GET /api/incidents/:id/usage` (readers: the harnesses' and the
// summarizer's tokens and cost side by side) and `POST` (responders: the usage a local hook read
// from its harness's transcript, each message counted once).
import { UsageReport, type UsageResponse } from '@sitrep/shared';
import { Hono } from 'hono';
import type { Store } from '../store/Store.js';
import { incidentUsage } from '../usage/incidentUsage.js';
import type { PriceTable } from '../usage/prices.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody } from './body.js';
import type { IncidentLookup } from './incidents.js';

/** An incident's AI usage, read from the store and priced. */
export async function usageOf(store: Store, id: string, prices: PriceTable): Promise<UsageResponse> {
  const [harness, summarizer] = await Promise.all([
    store.usage.harnessUsage(id),
    store.summaries.usageByModel(id),
  ]);
  return incidentUsage(id, harness, summarizer, prices);
}

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
    return c.json(await usageOf(store, id, prices));
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
