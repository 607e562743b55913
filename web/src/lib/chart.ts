// The arithmetic of the Insights charts, apart from any drawing: scales from values to pixels,
// tick values a reader takes in at a glance (round minutes, hours or days; 1, 2 or 5 times a
// power of ten), and how a duration, a sum of money and a month are written on an axis or in a
// table. The shapes the chart components draw are here too, apart from any API answer.
import type { Severity } from '@sitrep/shared';

/** One severity's recoveries in one month, in milliseconds. */
export interface MonthBar {
  severity: Severity;
  count: number;
  median: number;
  p90: number;
}

/** A month's bars: `month` is `YYYY-MM`, oldest month first. */
export interface MonthBars {
  month: string;
  bars: MonthBar[];
}

/** An incident as a mark on the AI cost against time to recover chart. */
export interface CostPoint {
  id: string;
  title: string;
  severity: Severity;
  /** Time to recover, in milliseconds. */
  recoverMs: number;
  costUsd: number;
  href: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round tick values from 0 up to at least `max` (1, 2 or 5 times a power of ten), about `count` steps. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  // Multiplying (not adding) keeps 0.1 * 3 from drifting into 0.30000000000000004 steps.
  for (let i = 0; ; i++) {
    const v = Number((i * step).toPrecision(12));
    ticks.push(v);
    if (v >= max) return ticks;
  }
}

/** An axis's ticks and how each is written. */
export interface Axis {
  ticks: number[];
  label: (v: number) => string;
}

/**
 * A time axis in the unit a reader would use for `maxMs` (minutes under 3 hours, hours under 3
 * days, else days), every tick written in that one unit: 0, 10h, 20h, 30h (not "1d 6h").
 */
export function durationAxis(maxMs: number, count = 4): Axis {
  const [unit, suffix] = maxMs < 3 * HOUR ? [MINUTE, 'm'] : maxMs < 3 * DAY ? [HOUR, 'h'] : [DAY, 'd'];
  return {
    ticks: niceTicks(maxMs / unit, count).map((t) => t * unit),
    label: (v) => `${Number((v / unit).toPrecision(12))}${suffix}`,
  };
}

/** A linear map from [0, top] onto [from, to] (pixels; `to` may be less than `from` for a y axis). */
export function linear(top: number, from: number, to: number): (v: number) => number {
  const span = top > 0 ? top : 1;
  return (v) => from + ((to - from) * v) / span;
}

/** A duration as a reader says it, in its two largest units: "45m", "5h 20m", "2d 4h", "30s". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE - 500) return `${Math.round(ms / 1000)}s`;
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const [big, small, units] =
    minutes < 24 * 60
      ? [Math.floor(minutes / 60), minutes % 60, ['h', 'm']]
      : [Math.floor(Math.round(ms / HOUR) / 24), Math.round(ms / HOUR) % 24, ['d', 'h']];
  return small ? `${big}${units[0]} ${small}${units[1]}` : `${big}${units[0]}`;
}

/** A time that may not be reached yet (null) or is out of order (negative): a dash then. */
export const formatSpan = (ms: number | null): string => (ms === null || ms < 0 ? '—' : formatDuration(ms));

/** Money in US dollars: cents below $100, whole dollars above, "<$0.01" for a trace. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return '<$0.01';
  return usd < 100 ? `$${usd.toFixed(2)}` : `$${Math.round(usd).toLocaleString('en-US')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A `YYYY-MM` month as "Oct 2026", or as "Oct" alone (an axis that writes the year once). */
export function formatMonth(month: string, withYear = true): string {
  const [year, m] = month.split('-');
  const name = MONTHS[Number(m) - 1] ?? month;
  return withYear ? `${name} ${year}` : name;
}
