// `sitrep insights [--from --to --severity --kind] [--json|--csv]`: outcome figures across the
// incidents the token may read: a table by severity and a line per incident (default), the whole
// answer as JSON, or one CSV row per incident for a spreadsheet.
import {
  type IncidentFigures,
  IncidentKind,
  InsightsQuery,
  type InsightsResponse,
  type KindInsights,
  SEVERITIES,
  type TimeSpreads,
  formatDuration,
} from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  flags: {
    ...CLIENT_FLAGS,
    from: z.string().optional(),
    to: z.string().optional(),
    severity: z.string().optional(),
    kind: IncidentKind.optional(),
    csv: z.boolean().optional(),
  },
} as const;

const usd = (v: number | null) => (v === null ? '—' : `$${v.toFixed(2)}`);
const share = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

/** Columns padded to their widest cell, the first left-aligned, the rest right-aligned. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const TIMES: [keyof TimeSpreads, string][] = [
  ['timeToAcknowledgeMs', 'ack'],
  ['timeToMitigateMs', 'mitigate'],
  ['timeToResolveMs', 'resolve'],
];
const spread = (t: TimeSpreads, key: keyof TimeSpreads) =>
  t[key].n === 0 ? '—' : `${formatDuration(t[key].medianMs)} / ${formatDuration(t[key].p90Ms)}`;

function kindText(title: string, k: KindInsights): string[] {
  if (k.count === 0) return [`${title}: none`];
  const head = ['severity', 'count', ...TIMES.map(([, name]) => `${name} median / p90`)];
  const line = (name: string, count: number, t: TimeSpreads) => [
    name,
    String(count),
    ...TIMES.map(([key]) => spread(t, key)),
  ];
  const rows = SEVERITIES.filter((s) => k.bySeverity[s].count > 0).map((s) =>
    line(s, k.bySeverity[s].count, k.bySeverity[s].times),
  );
  return [
    `${title}: ${k.count}`,
    ...table([head, ...rows, line('all', k.count, k.times)]).map((l) => `  ${l}`),
    `  AI cost ${usd(k.ai.costUsd)} (list prices): ${usd(k.ai.perIncidentUsd)} per incident, ` +
      `${usd(k.ai.perIncidentHourUsd)} per hour of incident` +
      (k.ai.unpriced.length ? `; no price for ${k.ai.unpriced.join(', ')}` : ''),
    `  Theories ${k.theories.raised} (${k.theories.perIncident?.toFixed(1) ?? '—'} per incident), ` +
      `${share(k.theories.rejectedShare)} rejected, ${k.theories.reopened} dismissed too early, ` +
      `${k.theories.confirmed} confirmed`,
  ];
}

/** The answer as text: each kind's table by severity, then a line per incident. */
export function insightsText(res: InsightsResponse): string {
  const rows = res.rows.map((r) => [
    r.id,
    r.kind === 'drill' ? `${r.severity} drill` : r.severity,
    r.declaredAt.slice(0, 10),
    ...TIMES.map(([key]) => formatDuration(r.times[key as keyof IncidentFigures['times']])),
    String(r.theories.raised),
    usd(r.ai.costUsd),
  ]);
  return [
    ...kindText('Incidents', res.incidents),
    '',
    ...kindText('Drills', res.drills),
    '',
    ...table([
      ['incident', 'severity', 'declared', ...TIMES.map(([, name]) => name), 'theories', 'AI cost'],
      ...rows,
    ]),
  ].join('\n');
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
const field = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const CSV_COLUMNS: [string, (r: IncidentFigures) => string | number | null][] = [
  ['id', (r) => r.id],
  ['title', (r) => r.title],
  ['kind', (r) => r.kind],
  ['severity', (r) => r.severity],
  ['status', (r) => r.status],
  ['declared_at', (r) => r.declaredAt],
  ['time_to_detect_ms', (r) => r.times.timeToDetectMs],
  ['time_to_acknowledge_ms', (r) => r.times.timeToAcknowledgeMs],
  ['time_to_mitigate_ms', (r) => r.times.timeToMitigateMs],
  ['time_to_resolve_ms', (r) => r.times.timeToResolveMs],
  ['time_to_confirmed_theory_ms', (r) => r.timeToConfirmedTheoryMs],
  ['time_to_first_decision_ms', (r) => r.timeToFirstDecisionMs],
  ['entries', (r) => r.entries.total],
  ['entries_human', (r) => r.entries.byAuthorKind.human],
  ['entries_harness', (r) => r.entries.byAuthorKind.harness],
  ['theories_raised', (r) => r.theories.raised],
  ['theories_rejected', (r) => r.theories.rejected],
  ['theories_reopened', (r) => r.theories.reopened],
  ['theories_confirmed', (r) => r.theories.confirmed],
  [
    'ai_tokens',
    (r) => r.ai.tokens.input + r.ai.tokens.output + r.ai.tokens.cacheRead + r.ai.tokens.cacheCreation,
  ],
  ['ai_cost_usd', (r) => r.ai.costUsd],
];

/** One row per incident and drill, with a header. */
export function insightsCsv(res: InsightsResponse): string {
  return [
    CSV_COLUMNS.map(([name]) => name).join(','),
    ...res.rows.map((r) => CSV_COLUMNS.map(([, value]) => field(value(r))).join(',')),
  ].join('\r\n');
}

const insights: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const q = { from: v.from, to: v.to, severity: v.severity, kind: v.kind };
  check(InsightsQuery, q, 'insights');
  const res = await (await client(v)).insights(q);
  console.log(v.json ? JSON.stringify(res, null, 2) : v.csv ? insightsCsv(res) : insightsText(res));
};
export default insights;
