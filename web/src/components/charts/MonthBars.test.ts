import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonthBars as Months } from '../../lib/chart.js';
import MonthBars from './MonthBars.svelte';

const H = 3_600_000;
const months: Months[] = [
  {
    month: '2026-09',
    bars: [
      { severity: 'SEV1', count: 2, median: 2 * H, p90: 3 * H },
      { severity: 'SEV3', count: 1, median: 8 * H, p90: 8 * H },
    ],
  },
  { month: '2026-10', bars: [] },
  { month: '2026-11', bars: [{ severity: 'SEV1', count: 3, median: 4 * H, p90: 6 * H }] },
];

let target: HTMLElement;
let chart: ReturnType<typeof mount> | undefined;
function show(m: Months[]) {
  target = document.createElement('div');
  document.body.append(target);
  chart = mount(MonthBars, { target, props: { months: m, label: 'Time to recover by month and severity' } });
  flushSync();
}
afterEach(() => {
  if (chart) unmount(chart);
  target.remove();
});

const rect = (month: string, severity: string) =>
  target.querySelector(`[data-month="${month}"] [data-severity="${severity}"] rect`) as SVGRectElement;
const num = (el: Element, name: string) => Number(el.getAttribute(name));

describe('time to recover by month', () => {
  it('draws a bar per month and severity, as tall as its median, with a line to the p90', () => {
    show(months);
    expect(target.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Time to recover by month and severity',
    );
    // A month with no resolved incident has no place on the axis.
    expect([...target.querySelectorAll('[data-month]')].map((g) => g.getAttribute('data-month'))).toEqual([
      '2026-09',
      '2026-11',
    ]);
    expect(target.querySelectorAll('[data-bar]')).toHaveLength(3);
    const [a, b, c] = [rect('2026-09', 'SEV1'), rect('2026-11', 'SEV1'), rect('2026-09', 'SEV3')];
    expect(num(b, 'height') / num(a, 'height')).toBeCloseTo(2, 1);
    expect(num(c, 'height') / num(a, 'height')).toBeCloseTo(4, 1);
    expect(a.classList.contains('sev-fill-SEV1')).toBe(true);
    // SEV1 keeps its slot left of SEV3 in every month.
    expect(num(a, 'x')).toBeLessThan(num(c, 'x'));
    expect(target.querySelector('[data-month="2026-09"] [data-severity="SEV1"] title')?.textContent).toBe(
      'Sep 2026, SEV1: median 2h, p90 3h (2 incidents)',
    );
    // p90 lines where the p90 is above the median (two lines: the stem and its cap).
    expect(target.querySelectorAll('[data-month="2026-09"] [data-severity="SEV1"] line.p90')).toHaveLength(2);
    expect(target.querySelectorAll('[data-month="2026-09"] [data-severity="SEV3"] line.p90')).toHaveLength(0);
    expect([...target.querySelectorAll('text.month')].map((t) => t.textContent)).toEqual(['Sep', 'Nov']);
    expect([...target.querySelectorAll('text.year')].map((t) => t.textContent)).toEqual(['2026']);
    // Round ticks on the time axis, up to the tallest p90.
    expect([...target.querySelectorAll('[data-axis="y"] text')].map((t) => t.textContent)).toEqual([
      '0',
      '2h',
      '4h',
      '6h',
      '8h',
    ]);
  });

  it('names the severities in its key and gives screen readers the figures as a table', () => {
    show(months);
    expect([...target.querySelectorAll('.legend li')].map((li) => li.textContent?.trim())).toEqual([
      'SEV1',
      'SEV3',
      'p90',
    ]);
    const rows = [...target.querySelectorAll('table.sr-only tbody tr')].map((tr) =>
      [...tr.children].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['Sep 2026', 'SEV1', '2', '2h', '3h'],
      ['Sep 2026', 'SEV3', '1', '8h', '8h'],
      ['Nov 2026', 'SEV1', '3', '4h', '6h'],
    ]);
  });

  it('says in words when nothing was resolved', () => {
    show([{ month: '2026-10', bars: [] }]);
    expect(target.querySelector('svg')).toBeNull();
    expect(target.querySelector('[data-empty]')?.textContent).toContain(
      'No incident was resolved in this range',
    );
  });
});
