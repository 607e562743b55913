import { describe, expect, it } from 'vitest';
import {
  durationAxis,
  formatDuration,
  formatMonth,
  formatSpan,
  formatUsd,
  linear,
  niceTicks,
} from './chart.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('chart arithmetic', () => {
  it('gives round ticks from 0 that reach the largest value', () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(0.33)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });

  it('ticks durations in minutes, hours or days, whichever reads best, each in that one unit', () => {
    const labels = (maxMs: number) => {
      const axis = durationAxis(maxMs);
      return axis.ticks.map(axis.label);
    };
    expect(durationAxis(50 * M).ticks).toEqual([0, 20 * M, 40 * M, 60 * M]);
    expect(labels(50 * M)).toEqual(['0m', '20m', '40m', '60m']);
    expect(durationAxis(7 * H).ticks).toEqual([0, 2 * H, 4 * H, 6 * H, 8 * H]);
    expect(labels(26 * H)).toEqual(['0h', '10h', '20h', '30h']);
    expect(labels(9 * D)).toEqual(['0d', '5d', '10d']);
    expect(labels(0.3 * H)).toEqual(['0m', '5m', '10m', '15m', '20m']);
  });

  it('maps values onto pixels, a y axis upside down', () => {
    const y = linear(10, 200, 0);
    expect(y(0)).toBe(200);
    expect(y(5)).toBe(100);
    expect(y(10)).toBe(0);
    expect(linear(0, 0, 100)(0)).toBe(0);
  });

  it('writes durations in their two largest units', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(45 * M)).toBe('45m');
    expect(formatDuration(5 * H + 20 * M)).toBe('5h 20m');
    expect(formatDuration(3 * H)).toBe('3h');
    expect(formatDuration(2 * D + 4 * H + 10 * M)).toBe('2d 4h');
    expect(formatDuration(59 * M + 50_000)).toBe('1h');
    expect(formatDuration(23 * H + 59 * M + 50_000)).toBe('1d');
    expect([formatSpan(null), formatSpan(-M), formatSpan(90 * M)]).toEqual(['—', '—', '1h 30m']);
  });

  it('writes money and months', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.004)).toBe('<$0.01');
    expect(formatUsd(0.48)).toBe('$0.48');
    expect(formatUsd(1234.5)).toBe('$1,235');
    expect(formatMonth('2026-10')).toBe('Oct 2026');
    expect(formatMonth('2026-01', false)).toBe('Jan');
  });
});
