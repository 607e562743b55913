// What the Insights page draws from the insights answer: the bars of time to recover by month
// and severity, the marks of AI cost against time to recover, and the columns of the incident
// table with the value each sorts by.
import { incidentHref } from './route.js';
import type { CostPoint, MonthBars } from './chart.js';
import type { IncidentFigures, KindInsights } from '@sitrep/shared';
import type { SortDirection, SortValue } from './tableSort.js';

/** Per month, a bar for each severity with a resolved incident declared that month. */
export function monthBars(insights: Pick<KindInsights, 'byMonth'>): MonthBars[] {
  const months = new Map<string, MonthBars>();
  for (const g of insights.byMonth) {
    const { n, medianMs, p90Ms } = g.times.timeToResolveMs;
    const month = months.get(g.month) ?? { month: g.month, bars: [] };
    months.set(g.month, month);
    if (n > 0 && medianMs !== null && p90Ms !== null)
      month.bars.push({ severity: g.severity, count: n, median: medianMs, p90: p90Ms });
  }
  return [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** A mark for each resolved incident: its time to recover and its AI cost. */
export function costPoints(rows: readonly IncidentFigures[]): CostPoint[] {
  return rows.flatMap((r) =>
    r.times.timeToResolveMs === null
      ? []
      : [
          {
            id: r.id,
            title: r.title,
            severity: r.severity,
            recoverMs: r.times.timeToResolveMs,
            costUsd: r.ai.costUsd,
            href: incidentHref(r.id),
          },
        ],
  );
}

export type ColumnKey =
  | 'title'
  | 'severity'
  | 'declared'
  | 'acknowledge'
  | 'mitigate'
  | 'recover'
  | 'theories'
  | 'rejected'
  | 'cost';

export interface Column {
  key: ColumnKey;
  label: string;
  /** Figures right-aligned. */
  numeric: boolean;
  /** The direction a first click sorts: the worst first for times, cost and counts. */
  first: SortDirection;
  value: (row: IncidentFigures) => SortValue;
}

const SEVERITY_RANK = { SEV1: 1, SEV2: 2, SEV3: 3, SEV4: 4 } as const;

/** The chart's two figures first after the incident, so a phone shows them before it scrolls. */
export const COLUMNS: readonly Column[] = [
  { key: 'title', label: 'Incident', numeric: false, first: 'ascending', value: (r) => r.title },
  {
    key: 'severity',
    label: 'Severity',
    numeric: false,
    first: 'ascending',
    value: (r) => SEVERITY_RANK[r.severity],
  },
  {
    key: 'recover',
    label: 'To recover',
    numeric: true,
    first: 'descending',
    value: (r) => r.times.timeToResolveMs,
  },
  { key: 'cost', label: 'AI cost', numeric: true, first: 'descending', value: (r) => r.ai.costUsd },
  {
    key: 'acknowledge',
    label: 'To acknowledge',
    numeric: true,
    first: 'descending',
    value: (r) => r.times.timeToAcknowledgeMs,
  },
  {
    key: 'mitigate',
    label: 'To mitigate',
    numeric: true,
    first: 'descending',
    value: (r) => r.times.timeToMitigateMs,
  },
  { key: 'theories', label: 'Theories', numeric: true, first: 'descending', value: (r) => r.theories.raised },
  {
    key: 'rejected',
    label: 'Rejected',
    numeric: true,
    first: 'descending',
    value: (r) => r.theories.rejected,
  },
  {
    key: 'declared',
    label: 'Declared',
    numeric: false,
    first: 'descending',
    value: (r) => Date.parse(r.declaredAt),
  },
];

/** The sort value of `row` in column `key`. */
export const columnValue = (row: IncidentFigures, key: ColumnKey): SortValue =>
  (COLUMNS.find((c) => c.key === key) as Column).value(row);
