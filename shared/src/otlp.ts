// OTLP/HTTP JSON metrics as sitrep reads them: the ExportMetricsServiceRequest JSON encoding
// (opentelemetry-proto, metrics/v1) down to the sum and gauge data points. Int64 fields come as
// decimal strings (the spec) or numbers (what lenient encoders send); either is read. Metric
// types sitrep does not read (histograms, summaries) are let through unread.
import { z } from 'zod';

/** An unsigned 64-bit integer as OTLP JSON encodes it (a decimal string, or a number), as a bigint. */
const Uint64 = z
  .union([z.string().regex(/^\d{1,20}$/, 'must be a decimal integer'), z.number().int().nonnegative()])
  .transform((v) => BigInt(v))
  .refine((v) => v < 2n ** 64n, 'must fit in 64 bits');

/** A signed 64-bit integer value (`asInt`, `intValue`), as a number. */
const Int64 = z
  .union([z.string().regex(/^-?\d{1,20}$/, 'must be a decimal integer'), z.number().int()])
  .transform((v) => Number(v));

/** An attribute value; sitrep reads scalars, and keeps lists and maps unread. */
const AnyValue = z.looseObject({
  stringValue: z.string().max(4096).optional(),
  boolValue: z.boolean().optional(),
  intValue: Int64.optional(),
  doubleValue: z.number().optional(),
});

export const OtlpKeyValue = z.object({ key: z.string().min(1).max(256), value: AnyValue.optional() });
export type OtlpKeyValue = z.infer<typeof OtlpKeyValue>;

const Attributes = z.array(OtlpKeyValue).max(128).default([]);

export const NumberDataPoint = z
  .looseObject({
    attributes: Attributes,
    startTimeUnixNano: Uint64.optional(),
    timeUnixNano: Uint64,
    asInt: Int64.optional(),
    asDouble: z.number().optional(),
  })
  .refine((p) => p.asInt !== undefined || p.asDouble !== undefined, 'needs asInt or asDouble');
export type NumberDataPoint = z.infer<typeof NumberDataPoint>;

const DataPoints = z.array(NumberDataPoint).max(10_000);

/** AGGREGATION_TEMPORALITY_DELTA and _CUMULATIVE (0 is unspecified). */
export const TEMPORALITY = { delta: 1, cumulative: 2 } as const;

export const OtlpMetric = z.looseObject({
  name: z.string().min(1).max(256),
  unit: z.string().max(64).optional(),
  sum: z
    .looseObject({
      dataPoints: DataPoints.default([]),
      aggregationTemporality: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
      isMonotonic: z.boolean().optional(),
    })
    .optional(),
  gauge: z.looseObject({ dataPoints: DataPoints.default([]) }).optional(),
});
export type OtlpMetric = z.infer<typeof OtlpMetric>;

const ScopeMetrics = z.looseObject({
  scope: z.looseObject({ name: z.string().max(256).optional() }).optional(),
  metrics: z.array(OtlpMetric).max(1_000).default([]),
});

const ResourceMetrics = z.looseObject({
  resource: z.looseObject({ attributes: Attributes }).optional(),
  scopeMetrics: z.array(ScopeMetrics).max(100).default([]),
});

export const ExportMetricsServiceRequest = z.looseObject({
  resourceMetrics: z.array(ResourceMetrics).max(100).default([]),
});
export type ExportMetricsServiceRequest = z.infer<typeof ExportMetricsServiceRequest>;

/** An attribute's value as text (strings, numbers and booleans), or undefined for lists, maps and bytes. */
export function attributeText(kv: OtlpKeyValue): string | undefined {
  const v = kv.value;
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  return undefined;
}
