// Outcome figures: per incident (times from the meta milestones, entries by kind and author,
// theories raised / rejected / reopened / confirmed, AI usage and cost) and across incidents
// (counts by severity and month, median and p90 of each time, AI cost per incident and per hour,
// theories per incident), with drills kept apart. The schemas of `GET /api/insights` and
// `GET /api/incidents/:id/figures`, and the pure functions that compute them: the server feeds
// them stored sums, the dashboard and the CLI read their output.
import { z } from 'zod';
import { ActorKind, ENTRY_KINDS, type Entry, EntryKind } from './entry.js';
import { IncidentId, IncidentKind, type IncidentMeta, SEVERITIES, Severity, Status } from './incident.js';
import { isoDay, isoTime } from './storable.js';
import { theoryStates } from './theory.js';
import { NO_TOKENS, TOKEN_KINDS, TokenCounts, type UsageResponse } from './usage.js';
import { IncidentMetrics } from './view.js';

const Time = isoTime();
const Count = z.number().int().min(0);
const Ms = z.number().nullable();
const Usd = z.number().min(0);

// --- Per incident -------------------------------------------------------------------------------

/** The meta fields the milestone times come from. */
export type MilestoneMeta = Pick<
  IncidentMeta,
  'createdAt' | 'startedAt' | 'detectedAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'
>;

/** Milliseconds between two optional times, or null. */
export const span = (from: string | null | undefined, to: string | null | undefined): number | null =>
  from && to ? Date.parse(to) - Date.parse(from) : null;

/** When the incident was declared: its detection time, else its creation. Every time but detect counts from it. */
export const declaredAt = (meta: MilestoneMeta): string => meta.detectedAt ?? meta.createdAt;

/** Time to detect (impact began → detected) and time to acknowledge / mitigate / resolve from declaration. */
export function incidentMetrics(meta: MilestoneMeta): IncidentMetrics {
  const from = declaredAt(meta);
  return {
    startedAt: from,
    timeToDetectMs: span(meta.startedAt, meta.detectedAt),
    timeToAcknowledgeMs: span(from, meta.acknowledgedAt),
    timeToMitigateMs: span(from, meta.mitigatedAt),
    timeToResolveMs: span(from, meta.resolvedAt),
  };
}

/** The milestone times, each in ms or null while the milestone is not reached. */
export const MilestoneTimes = IncidentMetrics.omit({ startedAt: true });
export type MilestoneTimes = z.infer<typeof MilestoneTimes>;
export const TIME_FIGURES = [
  'timeToDetectMs',
  'timeToAcknowledgeMs',
  'timeToMitigateMs',
  'timeToResolveMs',
] as const;
export type TimeFigure = (typeof TIME_FIGURES)[number];

export const TheoryFigures = z.strictObject({
  /** Theory entries. */
  raised: Count,
  /** Theories rejected at least once. */
  rejected: Count,
  /** Theories rejected and standing no longer rejected at the end: dismissed too early. */
  reopened: Count,
  /** Theories confirmed at the end. */
  confirmed: Count,
});
export type TheoryFigures = z.infer<typeof TheoryFigures>;

/** What the entries alone say: the part of an incident's figures a store may keep until the log grows. */
export const EntryFigures = z.strictObject({
  total: Count,
  byKind: z.record(EntryKind, Count),
  byAuthorKind: z.record(ActorKind, Count),
  /** Entries by each person (author id), most first. */
  humans: z.array(z.strictObject({ id: z.string(), name: z.string(), entries: Count })),
  /** Entries by each harness (`author.harness`, else the author's name), most first. */
  harnesses: z.array(z.strictObject({ harness: z.string(), entries: Count })),
  theories: TheoryFigures,
  /** The writer's time of the first decision, and of the first entry that confirmed a theory. */
  firstDecisionAt: Time.nullable(),
  confirmedTheoryAt: Time.nullable(),
});
export type EntryFigures = z.infer<typeof EntryFigures>;

const byCountThenName =
  <T>(key: (t: T) => string, n: (t: T) => number) =>
  (a: T, b: T) =>
    n(b) - n(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Minimum of ISO times by instant, or null for none. */
function earliest(times: readonly string[]): string | null {
  let best: string | null = null;
  for (const t of times) if (best === null || Date.parse(t) < Date.parse(best)) best = t;
  return best;
}

/** What the figures read of an entry: a store may select only this. */
export type FigureEntry = Pick<Entry, 'id' | 'kind' | 'author' | 'at' | 'refs' | 'tags'>;

export function entryFigures(entries: readonly FigureEntry[]): EntryFigures {
  const byKind = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  const byAuthorKind: Record<ActorKind, number> = { human: 0, harness: 0 };
  const humans = new Map<string, { id: string; name: string; entries: number }>();
  const harnesses = new Map<string, number>();
  for (const e of entries) {
    byKind[e.kind]++;
    byAuthorKind[e.author.kind]++;
    if (e.author.kind === 'human') {
      const h = humans.get(e.author.id) ?? { id: e.author.id, name: e.author.name, entries: 0 };
      h.entries++;
      humans.set(e.author.id, h);
    } else {
      const name = e.author.harness ?? e.author.name;
      harnesses.set(name, (harnesses.get(name) ?? 0) + 1);
    }
  }
  const byId = new Map(entries.map((e) => [e.id, e]));
  const states = theoryStates(entries);
  const wasRejected = states.filter((t) => t.rejectedBy !== undefined);
  const confirmedBy = states.flatMap((t) =>
    t.state === 'confirmed' && t.confirmedBy ? [t.confirmedBy] : [],
  );
  return {
    total: entries.length,
    byKind,
    byAuthorKind,
    humans: [...humans.values()].sort(
      byCountThenName(
        (h) => h.id,
        (h) => h.entries,
      ),
    ),
    harnesses: [...harnesses]
      .map(([harness, n]) => ({ harness, entries: n }))
      .sort(
        byCountThenName(
          (h) => h.harness,
          (h) => h.entries,
        ),
      ),
    theories: {
      raised: states.length,
      rejected: wasRejected.length,
      reopened: wasRejected.filter((t) => t.state !== 'rejected').length,
      confirmed: confirmedBy.length,
    },
    firstDecisionAt: earliest(entries.filter((e) => e.kind === 'decision').map((e) => e.at)),
    confirmedTheoryAt: earliest(confirmedBy.flatMap((id) => byId.get(id)?.at ?? [])),
  };
}

const AiSide = z.strictObject({ tokens: TokenCounts, costUsd: Usd });

/** AI usage of an incident in tokens and money: the summarizer's runs and the harnesses' sessions. */
export const AiFigures = z.strictObject({
  tokens: TokenCounts,
  /** At list prices; models without a price are left out (`unpriced`). */
  costUsd: Usd,
  summarizer: AiSide.extend({ runs: Count }),
  harness: AiSide.extend({ sessions: Count }),
  unpriced: z.array(z.string()),
});
export type AiFigures = z.infer<typeof AiFigures>;

const addTokens = (...all: readonly TokenCounts[]): TokenCounts => {
  const sum = { ...NO_TOKENS };
  for (const t of all) for (const kind of TOKEN_KINDS) sum[kind] += t[kind];
  return sum;
};

/** An incident's AI figures from its usage answer (`GET /api/incidents/:id/usage`) or its priced sums. */
export function aiFigures(
  usage: Pick<UsageResponse, 'totals' | 'unpriced'> & {
    harness: readonly { sessions: number }[];
    summarizer: readonly { runs: number }[];
  },
): AiFigures {
  const { harness, summarizer } = usage.totals;
  return {
    tokens: addTokens(harness.tokens, summarizer.tokens),
    costUsd: harness.costUsd + summarizer.costUsd,
    summarizer: { ...summarizer, runs: usage.summarizer.reduce((n, l) => n + l.runs, 0) },
    harness: { ...harness, sessions: usage.harness.reduce((n, l) => n + l.sessions, 0) },
    unpriced: usage.unpriced,
  };
}

/** One incident's figures: a row of the insights table and a point of its charts. */
export const IncidentFigures = z.strictObject({
  id: IncidentId,
  title: z.string(),
  severity: Severity,
  status: Status,
  kind: IncidentKind,
  declaredAt: Time,
  /** The UTC month of `declaredAt`, `YYYY-MM`. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  times: MilestoneTimes,
  /** Declared to resolved: the hours AI cost is spread over (null while unresolved). */
  durationMs: Ms,
  entries: EntryFigures.pick({ total: true, byKind: true, byAuthorKind: true }),
  theories: TheoryFigures,
  timeToConfirmedTheoryMs: Ms,
  timeToFirstDecisionMs: Ms,
  ai: AiFigures,
});
export type IncidentFigures = z.infer<typeof IncidentFigures>;

/** `GET /api/incidents/:id/figures`: the row, and who wrote the entries (`EntryFigures`). */
export const IncidentFiguresResponse = IncidentFigures.extend({
  humans: EntryFigures.shape.humans,
  harnesses: EntryFigures.shape.harnesses,
});
export type IncidentFiguresResponse = z.infer<typeof IncidentFiguresResponse>;

/** What the server knows of an incident beside its entries: its row and meta times. */
export interface IncidentFacts extends MilestoneMeta {
  id: string;
  title: string;
  severity: Severity;
  status: Status;
  kind: IncidentKind;
}

export function incidentFigures(facts: IncidentFacts, entries: EntryFigures, ai: AiFigures): IncidentFigures {
  const { startedAt: declared, ...times } = incidentMetrics(facts);
  return {
    id: facts.id,
    title: facts.title,
    severity: facts.severity,
    status: facts.status,
    kind: facts.kind,
    declaredAt: declared,
    month: new Date(declared).toISOString().slice(0, 7),
    times,
    durationMs: times.timeToResolveMs,
    entries: { total: entries.total, byKind: entries.byKind, byAuthorKind: entries.byAuthorKind },
    theories: entries.theories,
    timeToConfirmedTheoryMs: span(declared, entries.confirmedTheoryAt),
    timeToFirstDecisionMs: span(declared, entries.firstDecisionAt),
    ai,
  };
}

// --- Across incidents ---------------------------------------------------------------------------

/** A day (`2026-11-01`, midnight UTC) or an ISO time with an offset. */
const DayOrTime = z
  .union([isoDay(), Time])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString());

/** A list of values in one parameter: `SEV1,SEV2`. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(item).min(1).max(8));

/**
 * `GET /api/insights` query: incidents declared in [from, to) (either end open when left out), of
 * these severities and this kind. Both kinds are answered apart when no kind is given.
 */
export const InsightsQuery = z
  .strictObject({
    from: DayOrTime.optional(),
    to: DayOrTime.optional(),
    severity: commaList(Severity).optional(),
    kind: IncidentKind.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });
export type InsightsQuery = z.infer<typeof InsightsQuery>;
export type InsightsQueryInput = z.input<typeof InsightsQuery>;

/** How a time is spread over incidents: how many reached it, the median and the 90th percentile. */
export const Spread = z.strictObject({ n: Count, medianMs: Ms, p90Ms: Ms });
export type Spread = z.infer<typeof Spread>;

export const TimeSpreads = z.strictObject({
  timeToDetectMs: Spread,
  timeToAcknowledgeMs: Spread,
  timeToMitigateMs: Spread,
  timeToResolveMs: Spread,
  timeToConfirmedTheoryMs: Spread,
  timeToFirstDecisionMs: Spread,
});
export type TimeSpreads = z.infer<typeof TimeSpreads>;
export const SPREAD_FIGURES = Object.keys(TimeSpreads.shape) as (keyof TimeSpreads)[];

/** The figures of one group of incidents (all of them, one severity, one month of one severity). */
export const GroupFigures = z.strictObject({
  count: Count,
  times: TimeSpreads,
});
export type GroupFigures = z.infer<typeof GroupFigures>;

/** The figures of one kind (incidents, or drills) across the incidents asked for. */
export const KindInsights = z.strictObject({
  count: Count,
  times: TimeSpreads,
  bySeverity: z.record(Severity, GroupFigures),
  /** Per month and severity that has incidents, by month then severity. */
  byMonth: z.array(GroupFigures.extend({ month: z.string(), severity: Severity })),
  ai: z.strictObject({
    tokens: TokenCounts,
    costUsd: Usd,
    /** Mean cost per incident; null for none. */
    perIncidentUsd: Usd.nullable(),
    /** Cost of the resolved incidents over their hours from declaration to resolution; null for none. */
    perIncidentHourUsd: Usd.nullable(),
    unpriced: z.array(z.string()),
  }),
  theories: TheoryFigures.extend({
    perIncident: z.number().min(0).nullable(),
    /** Rejected at least once, of those raised; null when none was raised. */
    rejectedShare: z.number().min(0).max(1).nullable(),
  }),
});
export type KindInsights = z.infer<typeof KindInsights>;

export const InsightsResponse = z.strictObject({
  query: z.strictObject({
    from: Time.nullable(),
    to: Time.nullable(),
    severity: z.array(Severity).nullable(),
    kind: IncidentKind.nullable(),
  }),
  incidents: KindInsights,
  /** Drills, apart: a rehearsal's times say nothing of how real incidents go. */
  drills: KindInsights,
  /** Every incident and drill counted, declared earliest first. */
  rows: z.array(IncidentFigures),
});
export type InsightsResponse = z.infer<typeof InsightsResponse>;

/**
 * The q-quantile of ascending values by linear interpolation between closest ranks (numpy's
 * default, Excel's PERCENTILE.INC): the median of an even count is the mean of the middle two.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (above - below) * (at - lo);
}

const spreadOf = (values: readonly (number | null)[]): Spread => {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { n: sorted.length, medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9) };
};

const timeOf = (row: IncidentFigures, figure: keyof TimeSpreads): number | null =>
  figure === 'timeToConfirmedTheoryMs' || figure === 'timeToFirstDecisionMs'
    ? row[figure]
    : row.times[figure];

function groupFigures(rows: readonly IncidentFigures[]): GroupFigures {
  const times = Object.fromEntries(
    SPREAD_FIGURES.map((f) => [f, spreadOf(rows.map((r) => timeOf(r, f)))]),
  ) as TimeSpreads;
  return { count: rows.length, times };
}

function kindInsights(rows: readonly IncidentFigures[]): KindInsights {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, groupFigures(rows.filter((r) => r.severity === s))]),
  ) as Record<Severity, GroupFigures>;
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const byMonth = months.flatMap((month) =>
    SEVERITIES.flatMap((severity) => {
      const group = rows.filter((r) => r.month === month && r.severity === severity);
      return group.length > 0 ? [{ month, severity, ...groupFigures(group) }] : [];
    }),
  );
  const costUsd = rows.reduce((sum, r) => sum + r.ai.costUsd, 0);
  const resolved = rows.filter((r) => r.durationMs !== null && r.durationMs > 0);
  const hours = resolved.reduce((sum, r) => sum + (r.durationMs as number), 0) / 3_600_000;
  const resolvedCost = resolved.reduce((sum, r) => sum + r.ai.costUsd, 0);
  const theories = {
    raised: rows.reduce((n, r) => n + r.theories.raised, 0),
    rejected: rows.reduce((n, r) => n + r.theories.rejected, 0),
    reopened: rows.reduce((n, r) => n + r.theories.reopened, 0),
    confirmed: rows.reduce((n, r) => n + r.theories.confirmed, 0),
  };
  return {
    ...groupFigures(rows),
    bySeverity,
    byMonth,
    ai: {
      tokens: addTokens(...rows.map((r) => r.ai.tokens)),
      costUsd,
      perIncidentUsd: rows.length > 0 ? costUsd / rows.length : null,
      perIncidentHourUsd: hours > 0 ? resolvedCost / hours : null,
      unpriced: [...new Set(rows.flatMap((r) => r.ai.unpriced))].sort(),
    },
    theories: {
      ...theories,
      perIncident: rows.length > 0 ? theories.raised / rows.length : null,
      rejectedShare: theories.raised > 0 ? theories.rejected / theories.raised : null,
    },
  };
}

/** The insights answer over the rows of the incidents asked for (already filtered by the query). */
export function insightsOf(query: InsightsQuery, rows: readonly IncidentFigures[]): InsightsResponse {
  const ordered = [...rows].sort(
    (a, b) => Date.parse(a.declaredAt) - Date.parse(b.declaredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return {
    query: {
      from: query.from ?? null,
      to: query.to ?? null,
      severity: query.severity ?? null,
      kind: query.kind ?? null,
    },
    incidents: kindInsights(ordered.filter((r) => r.kind === 'incident')),
    drills: kindInsights(ordered.filter((r) => r.kind === 'drill')),
    rows: ordered,
  };
}
