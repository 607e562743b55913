// Claude Code's telemetry as the OpenTelemetry SDK exports it (OTLP/HTTP JSON): its meter names,
// metric names and standard attributes (code.claude.com/docs/en/monitoring-usage), posting to
// `<url>/v1/metrics` with a bearer token.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { NO_TOKENS } from '@sitrep/shared';

/** The account's e-mail Claude Code puts on every point: private data sitrep must drop. */
export const EMAIL = 'ana.lopez@example.com';

/** A Claude Code process as far as its metrics go: its meter, counters and exporter. */
export function claudeCode(opts: {
  url: string;
  token: string;
  incident?: string;
  session: string;
  temporality: AggregationTemporality;
}) {
  const exporter = new OTLPMetricExporter({
    url: `${opts.url}/v1/metrics`,
    headers: { Authorization: `Bearer ${opts.token}` },
    temporalityPreference: opts.temporality,
  });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'claude-code',
      'service.version': '2.0.14',
      'os.type': 'darwin',
      'host.arch': 'arm64',
      ...(opts.incident && { 'sitrep.incident': opts.incident }),
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('com.anthropic.claude_code', '2.0.14');
  const tokens = meter.createCounter('claude_code.token.usage', { unit: 'tokens' });
  const cost = meter.createCounter('claude_code.cost.usage', { unit: 'USD' });
  // Claude Code's standard attributes, on every metric.
  const standard = {
    'session.id': opts.session,
    'app.version': '2.0.14',
    'organization.id': 'org-2b7e',
    'user.account_uuid': 'acc-91d4',
    'user.email': EMAIL,
    'terminal.type': 'iTerm.app',
  };
  return {
    use(model: string, t: Partial<typeof NO_TOKENS>, usd: number) {
      for (const [type, n] of Object.entries(t)) tokens.add(n, { ...standard, type, model });
      cost.add(usd, { ...standard, model });
    },
    flush: () => reader.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
