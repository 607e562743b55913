// The HTTP application: /healthz, the JSON API under /api, Claude Code's HTTP hooks under /hooks,
// its OTLP metrics at /v1/metrics, MCP over Streamable HTTP at /mcp, the dashboard at /. Every
// error leaves as JSON `{ error: { code, message, details? } }` with the status mapped in errors.ts.
import { type Me, SitrepError } from '@sitrep/shared';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/Authenticator.js';
import type { OriginPolicy } from '../auth/OriginPolicy.js';
import type { Metrics } from '../metrics.js';
import { isStorageOutage } from '../store/faults.js';
import { type AppEnv, bearerAuth, principalOf } from './auth.js';
import { connectRoutes } from './connect.js';
import { dashboardRoutes } from './dashboard.js';
import { drillRoutes } from './drills.js';
import { limitBody } from './body.js';
import { browserHeaders, originCheck } from './browser.js';
import { errorResponse } from './errors.js';
import { IMPORT_PATH, exportRoutes } from './exports.js';
import { hookRoutes } from './hooks.js';
import { type ApiDeps, incidentLookup, incidentRoutes } from './incidents.js';
import { mcpRoutes } from './mcp.js';
import { IncidentMemory } from '../memory/IncidentMemory.js';
import { type BriefOf, incidentBrief } from '../room/incidentBrief.js';
import { memoryRoutes } from './memory.js';
import { sanitizerRoutes } from './sanitizer.js';
import { adminRoutes } from './tokens.js';
import { viewRoutes } from './views.js';
import { usageRoutes } from './usage.js';
import { insightsRoutes } from './insights.js';
import { Insights } from '../insights/Insights.js';
import { drillReportRoutes } from './drillReport.js';
import { otlpRoutes } from './otlp.js';
import type { PriceTable } from '../usage/prices.js';
import type { Summarizer } from '../summarizer/Summarizer.js';

/** The largest request body; an append of 500 full entries fits. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function createApp(
  deps: ApiDeps & {
    log: Logger;
    auth: Authenticator;
    origins: OriginPolicy;
    metrics: Metrics;
    summarizer: Summarizer;
    /** List prices per million tokens by model, for the usage answer. */
    prices: PriceTable;
    /** Resolves once the search index holds what this node knows was committed, or after `timeoutMs`. */
    searchIndexed(timeoutMs: number): Promise<void>;
    importMaxBytes: number;
    onRevoke(tokenId: string): void;
    onVisibilityChange(incidentId: string): void;
  },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    // The store's failures arrive as SitrepErrors (see store/faults.ts); its internal ones carry the driver's error.
    if (isStorageOutage(err)) deps.log.warn({ path: c.req.path }, 'database unavailable');
    else if (!(err instanceof SitrepError) || err.code === 'internal')
      deps.log.error({ err, path: c.req.path }, 'request failed');
    return errorResponse(c, err);
  });
  app.notFound((c) =>
    errorResponse(c, new SitrepError('route.not_found', `no route ${c.req.method} ${c.req.path}`)),
  );

  app.use('*', browserHeaders());
  app.use('*', originCheck(deps.origins));

  // An import takes what an export gives, under a limit of its own (exports.ts).
  const bodyLimit = limitBody(MAX_BODY_BYTES);
  app.use('/api/*', (c, next) => (c.req.path === IMPORT_PATH ? next() : bodyLimit(c, next)));

  app.get('/healthz', async (c) => {
    try {
      await deps.store.ping();
      return c.json({ ok: true, storage: deps.store.driver, loadedIncidents: deps.rooms.loaded });
    } catch {
      return errorResponse(c, new SitrepError('storage.unavailable', 'the database does not answer'));
    }
  });

  // Like /healthz, unauthenticated for scrapers; the server binds loopback unless told otherwise.
  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.text(), 200, { 'content-type': deps.metrics.contentType }),
  );

  app.use('/api/*', bearerAuth(deps.auth));
  // Who the token is: the dashboard shows only the controls its role may use, and names its
  // reader by the token's label in presence.
  app.get('/api/me', (c) => {
    const { tokenId, label, role, incidentId, isolated } = principalOf(c);
    const me: Me = { tokenId, label, role, incidentId, isolated };
    return c.json(me);
  });
  const incidentOf = incidentLookup(deps.auth);
  const memory = new IncidentMemory(deps.store.memory, undefined, deps.searchIndexed);
  const briefOf: BriefOf = (id, request) => incidentBrief({ ...deps, memory }, id, request);
  app.route('/api', incidentRoutes({ ...deps, incidentOf }));
  app.route('/api', viewRoutes({ ...deps, incidentOf, briefOf }));
  app.route('/api', exportRoutes({ ...deps, incidentOf }));
  app.route('/api', sanitizerRoutes({ ...deps, incidentOf }));
  app.route('/api', memoryRoutes({ memory, rooms: deps.rooms, incidentOf }));
  app.route('/api', drillRoutes({ ...deps, memory }));
  app.route('/api', connectRoutes({ ...deps, incidentOf }));
  app.route('/api', adminRoutes(deps));
  app.route('/api', usageRoutes({ ...deps, incidentOf }));
  app.route('/api', insightsRoutes({ insights: new Insights(deps.store, deps.prices), incidentOf }));
  app.route('/api', drillReportRoutes({ ...deps, incidentOf }));
  app.route('/', hookRoutes({ ...deps, briefOf }));
  app.route('/', otlpRoutes(deps));
  app.route('/', mcpRoutes({ ...deps, memory, briefOf }));

  dashboardRoutes(app);

  return app;
}
