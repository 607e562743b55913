// `POST /v1/metrics`: OTLP/HTTP metrics in the JSON encoding, where Claude Code's OpenTelemetry
// exporter posts when OTEL_EXPORTER_OTLP_ENDPOINT is this server. Who reports is the bearer
// token; the incident is the resource's `sitrep.incident` or the token's own. The export is
// checked whole (schema, incidents, the token's right to write each) before any of it is
// recorded, in one transaction: a refused export records nothing, and the exporter does not
// retry a 4xx. Attribute values that hold private data or secrets are dropped before anything
// is stored or hashed.
import { ExportMetricsServiceRequest, IncidentId, SitrepError } from '@sitrep/shared';
import { findSensitive } from '@sitrep/shared/sanitizer';
import { Hono } from 'hono';
import { type Authenticator, type Principal, authorize } from '../auth/Authenticator.js';
import type { Store } from '../store/Store.js';
import { INCIDENT_ATTRIBUTE, attributeValues, usagePoints } from '../usage/otlpUsage.js';
import { type AppEnv, bearerAuth, principalOf } from './auth.js';
import { jsonBody, limitBody } from './body.js';

export const OTLP_METRICS_PATH = '/v1/metrics';

/** The largest export taken: Claude Code's are a few kilobytes. */
export const MAX_OTLP_BODY_BYTES = 512 * 1024;

/** Refuses what is not OTLP JSON, naming the exporter setting that makes it so. */
function checkEncoding(contentType: string | undefined, contentEncoding: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new SitrepError(
      'request.media_type',
      `sitrep takes OTLP metrics as http/json, not ${type || 'a body without a content type'}: ` +
        'set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/json',
    );
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity')
    throw new SitrepError(
      'request.media_type',
      `sitrep takes OTLP metrics uncompressed, not ${contentEncoding}: unset OTEL_EXPORTER_OTLP_COMPRESSION`,
    );
}

/** The values that are private data or secrets, checked once each. */
async function privateValues(values: Iterable<string>): Promise<Set<string>> {
  const found = new Set<string>();
  for (const v of values) if ((await findSensitive(v)).length) found.add(v);
  return found;
}

/** The incident a point goes to: its resource's, or the token's; refused unless the token may write it. */
async function writableIncidents(
  auth: Authenticator,
  principal: Principal,
  named: ReadonlySet<string | undefined>,
): Promise<Map<string | undefined, string>> {
  const resolved = new Map<string | undefined, string>();
  for (const name of named) {
    const id = name ?? principal.incidentId;
    if (!id)
      throw new SitrepError(
        'request.invalid',
        `which incident: set the resource attribute ${INCIDENT_ATTRIBUTE} ` +
          `(OTEL_RESOURCE_ATTRIBUTES=${INCIDENT_ATTRIBUTE}=<id>), or use a token limited to one`,
      );
    if (!IncidentId.safeParse(id).success)
      throw new SitrepError('request.invalid', `invalid body: ${INCIDENT_ATTRIBUTE} is not an incident id`);
    await auth.readable(principal, id);
    authorize(principal, 'responder', id);
    resolved.set(name, id);
  }
  return resolved;
}

export function otlpRoutes({ store, auth }: { store: Store; auth: Authenticator }): Hono<AppEnv> {
  const otlp = new Hono<AppEnv>();
  otlp.use(OTLP_METRICS_PATH, limitBody(MAX_OTLP_BODY_BYTES), bearerAuth(auth));
  otlp.post(OTLP_METRICS_PATH, async (c) => {
    checkEncoding(c.req.header('content-type'), c.req.header('content-encoding'));
    const principal = principalOf(c);
    const body = await jsonBody(c, ExportMetricsServiceRequest);
    const points = usagePoints(body, await privateValues(attributeValues(body)));
    const incidents = await writableIncidents(auth, principal, new Set(points.map((p) => p.incident)));
    await store.usage.recordPoints(
      principal.tokenId,
      points.map(({ incident, ...p }) => ({ ...p, incidentId: incidents.get(incident) as string })),
    );
    // An ExportMetricsServiceResponse without partialSuccess: every point was taken.
    return c.json({});
  });
  return otlp;
}
