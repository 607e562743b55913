import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostPoint } from '../../lib/chart.js';
import CostScatter from './CostScatter.svelte';

const H = 3_600_000;
const point = (id: string, severity: CostPoint['severity'], hours: number, costUsd: number): CostPoint => ({
  id,
  title: `Incident ${id}`,
  severity,
  recoverMs: hours * H,
  costUsd,
  href: `#/incidents/${id}`,
});
// The longest recovery is not the dearest: across and up each have their own order.
const points = [point('a', 'SEV1', 2, 0.4), point('b', 'SEV2', 6, 0), point('c', 'SEV4', 1, 1.2)];

let target: HTMLElement;
let chart: ReturnType<typeof mount> | undefined;
function show(p: CostPoint[]) {
  target = document.createElement('div');
  document.body.append(target);
  chart = mount(CostScatter, { target, props: { points: p, label: 'AI cost against time to recover' } });
  flushSync();
}
afterEach(() => {
  if (chart) unmount(chart);
  target.remove();
});

/** The centre of a point's mark: a circle's, or the middle of a shape's path box. */
function centre(id: string): { x: number; y: number } {
  const mark = target.querySelector(`[data-point="${id}"] .mark`) as SVGElement;
  if (mark.tagName.toLowerCase() === 'circle')
    return { x: Number(mark.getAttribute('cx')), y: Number(mark.getAttribute('cy')) };
  const nums = (mark.getAttribute('d') ?? '').match(/-?[\d.]+/g)?.map(Number) ?? [];
  return { x: nums[0] as number, y: nums[1] as number };
}

describe('AI cost against time to recover', () => {
  it('places one linked mark per incident: across by time to recover, up by cost', () => {
    show(points);
    const links = [...target.querySelectorAll('a[data-point]')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '#/incidents/a',
      '#/incidents/b',
      '#/incidents/c',
    ]);
    expect(links[0]?.getAttribute('aria-label')).toBe('Incident a (SEV1): recovered in 2h, AI cost $0.40');
    expect(centre('b').x).toBeGreaterThan(centre('a').x);
    expect(centre('a').x).toBeGreaterThan(centre('c').x);
    expect(centre('c').y).toBeLessThan(centre('a').y); // dearer, higher up
    expect(centre('a').y).toBeLessThan(centre('b').y);
    // Each severity its own shape as well as its colour.
    expect(target.querySelector('[data-point="a"] circle.sev-fill-SEV1')).not.toBeNull();
    expect(target.querySelector('[data-point="b"] path.sev-fill-SEV2')).not.toBeNull();
    expect(target.querySelector('[data-point="c"] path.sev-fill-SEV4')).not.toBeNull();
    expect([...target.querySelectorAll('[data-axis="y"] text')].map((t) => t.textContent)).toEqual([
      '0',
      '$0.50',
      '$1.00',
      '$1.50',
    ]);
    expect([...target.querySelectorAll('[data-axis="x"] text')].map((t) => t.textContent)).toEqual([
      '0',
      '2h',
      '4h',
      '6h',
    ]);
    expect(target.querySelector('.legend')?.textContent).toContain('SEV1');
    expect(target.querySelector('.legend')?.textContent).not.toContain('SEV3');
  });

  it('says in words when no incident is resolved', () => {
    show([]);
    expect(target.querySelector('svg')).toBeNull();
    expect(target.querySelector('[data-empty]')?.textContent).toContain(
      'No resolved incident in this range yet',
    );
  });
});
