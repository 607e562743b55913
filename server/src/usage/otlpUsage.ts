// Claude Code's usage metrics out of an OTLP metrics export: `claude_code.token.usage` (a point
// per token `type` and `model`) and `claude_code.cost.usage` (US dollars per `model`), each point
// with its series, time span and temporality, the incident its resource names, and the
// attributes that are not private data. Other metrics are not read. Pure: the export and the
// attribute values found to be private data in, points out.
import { createHash } from 'node:crypto';
import {
  type ExportMetricsServiceRequest,
  type NumberDataPoint,
  type OtlpKeyValue,
  type OtlpMetric,
  SitrepError,
  TEMPORALITY,
  TokenKind,
  attributeText,
} from '@sitrep/shared';
import type { UsageKind, UsagePoint } from '../store/UsageLog.js';

export const TOKEN_METRIC = 'claude_code.token.usage';
export const COST_METRIC = 'claude_code.cost.usage';

/** The resource attribute that names the incident a harness works on (OTEL_RESOURCE_ATTRIBUTES). */
export const INCIDENT_ATTRIBUTE = 'sitrep.incident';

/** Attributes never kept, whatever their value: who the user is. */
const PRIVATE_KEYS = new Set(['user.email']);

/** Attributes read into columns of their own rather than kept with the point. */
const COLUMN_KEYS = new Set(['session.id', 'model', 'type', INCIDENT_ATTRIBUTE]);

/** A kept attribute value longer than this is dropped: none of Claude Code's are. */
const MAX_KEPT_VALUE = 256;

/** A usage point, with the incident its resource names (undefined: the token's own). */
export interface ExportedPoint extends UsagePoint {
  incident: string | undefined;
}

const isUsageMetric = (m: OtlpMetric): boolean => m.name === TOKEN_METRIC || m.name === COST_METRIC;

/** The attribute values of the export's usage points and their resources as text, for the private-data check. */
export function attributeValues(req: ExportMetricsServiceRequest): Set<string> {
  const values = new Set<string>();
  const add = (attrs: readonly OtlpKeyValue[]) => {
    for (const kv of attrs) {
      const text = attributeText(kv);
      if (text !== undefined) values.add(text);
    }
  };
  for (const rm of req.resourceMetrics) {
    add(rm.resource?.attributes ?? []);
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics.filter(isUsageMetric))
        for (const p of [...(m.sum?.dataPoints ?? []), ...(m.gauge?.dataPoints ?? [])]) add(p.attributes);
  }
  return values;
}

/** Attributes as a map of text values, private ones left out (by key, or by a value in `privateValues`). */
function keptAttributes(
  attrs: readonly OtlpKeyValue[],
  privateValues: ReadonlySet<string>,
): Map<string, string> {
  const kept = new Map<string, string>();
  for (const kv of attrs) {
    const text = attributeText(kv);
    if (text === undefined || PRIVATE_KEYS.has(kv.key) || privateValues.has(text)) continue;
    kept.set(kv.key, text);
  }
  return kept;
}

function kindOf(metric: string, attrs: ReadonlyMap<string, string>): UsageKind | null {
  if (metric === COST_METRIC) return 'cost';
  const kind = TokenKind.safeParse(attrs.get('type'));
  return kind.success ? kind.data : null;
}

function pointValue(p: NumberDataPoint, where: string): number {
  const value = p.asDouble ?? p.asInt ?? Number.NaN;
  if (!Number.isFinite(value) || value < 0)
    throw new SitrepError(
      'request.invalid',
      `invalid body: ${where}: a usage value must be a number of at least 0`,
    );
  return value;
}

/**
 * The usage points of an export. A sum's temporality says how to count it; a gauge is read as
 * the running total it reports (cumulative). A point of a usage metric that cannot be counted
 * (no time, no temporality, a negative value) is refused, with the whole export.
 */
export function usagePoints(
  req: ExportMetricsServiceRequest,
  privateValues: ReadonlySet<string>,
): ExportedPoint[] {
  const points: ExportedPoint[] = [];
  req.resourceMetrics.forEach((rm, r) => {
    const resource = keptAttributes(rm.resource?.attributes ?? [], privateValues);
    const incident = rm.resource?.attributes.find((kv) => kv.key === INCIDENT_ATTRIBUTE);
    rm.scopeMetrics.forEach((sm, s) => {
      sm.metrics.forEach((m, i) => {
        if (!isUsageMetric(m)) return;
        const where = `resourceMetrics.${r}.scopeMetrics.${s}.metrics.${i}`;
        if (m.sum && m.sum.aggregationTemporality === 0)
          throw new SitrepError(
            'request.invalid',
            `invalid body: ${where}.sum: aggregationTemporality is unspecified`,
          );
        const temporality = m.sum?.aggregationTemporality === TEMPORALITY.delta ? 'delta' : 'cumulative';
        const dataPoints = m.sum?.dataPoints ?? m.gauge?.dataPoints ?? [];
        dataPoints.forEach((p, j) => {
          const at = `${where}.dataPoints.${j}`;
          if (p.timeUnixNano === 0n)
            throw new SitrepError('request.invalid', `invalid body: ${at}: timeUnixNano is 0`);
          const attrs = keptAttributes(p.attributes, privateValues);
          const kind = kindOf(m.name, attrs);
          if (!kind) return;
          const value = pointValue(p, at);
          const identity = JSON.stringify([
            [...resource].sort(),
            sm.scope?.name ?? '',
            m.name,
            [...attrs].sort(),
          ]);
          const extra = [...resource, ...attrs].filter(
            ([k, v]) => !COLUMN_KEYS.has(k) && v.length <= MAX_KEPT_VALUE,
          );
          points.push({
            incident: incident ? attributeText(incident) : undefined,
            sessionId: attrs.get('session.id') ?? resource.get('session.id') ?? '',
            model: attrs.get('model') ?? '',
            kind,
            series: createHash('sha256').update(identity).digest('hex'),
            temporality,
            startNs: p.startTimeUnixNano ?? 0n,
            endNs: p.timeUnixNano,
            value,
            at: new Date(Number(p.timeUnixNano / 1_000_000n)),
            attributes: Object.fromEntries(extra),
          });
        });
      });
    });
  });
  return points;
}
