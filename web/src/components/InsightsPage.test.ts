import {
  ENTRY_KINDS,
  type IncidentFigures,
  type InsightsQueryInput,
  type InsightsResponse,
  NO_TOKENS,
  SitrepError,
  insightsOf,
} from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import InsightsPage from './InsightsPage.svelte';

const M = 60_000;
/** An incident's row: declared at `day`, times in minutes (null: not reached), cost in dollars. */
function row(
  id: string,
  over: Partial<IncidentFigures> & {
    day: string;
    ack?: number | null;
    recover?: number | null;
    cost?: number;
  },
): IncidentFigures {
  const { day, ack = 5, recover = null, cost = 0, ...rest } = over;
  const ms = (m: number | null) => (m === null ? null : m * M);
  return {
    id,
    title: `Incident ${id}`,
    severity: 'SEV2',
    status: recover === null ? 'investigating' : 'resolved',
    kind: 'incident',
    declaredAt: `${day}T10:00:00.000Z`,
    month: day.slice(0, 7),
    times: {
      timeToDetectMs: null,
      timeToAcknowledgeMs: ms(ack),
      timeToMitigateMs: recover === null ? null : ms(recover / 2),
      timeToResolveMs: ms(recover),
    },
    durationMs: ms(recover),
    entries: {
      total: 0,
      byKind: Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as IncidentFigures['entries']['byKind'],
      byAuthorKind: { human: 0, harness: 0 },
    },
    theories: { raised: 2, rejected: 1, reopened: 0, confirmed: 1 },
    timeToConfirmedTheoryMs: null,
    timeToFirstDecisionMs: null,
    ai: {
      tokens: NO_TOKENS,
      costUsd: cost,
      summarizer: { tokens: NO_TOKENS, costUsd: 0, runs: 0 },
      harness: { tokens: NO_TOKENS, costUsd: cost, sessions: 1 },
      unpriced: [],
    },
    ...rest,
  };
}
const rows = [
  row('a', { day: '2026-09-03', severity: 'SEV1', recover: 120, cost: 0.4 }),
  row('b', { day: '2026-09-20', severity: 'SEV1', recover: 240, cost: 1.25 }),
  row('c', { day: '2026-10-02', severity: 'SEV3', recover: 30, cost: 0 }),
  row('d', { day: '2026-11-12', severity: 'SEV2', ack: null }),
  row('e', { day: '2026-11-14', kind: 'drill', severity: 'SEV2', recover: 45, cost: 0.1 }),
];
const answer = insightsOf({}, rows);

let target: HTMLElement;
let page: ReturnType<typeof mount> | undefined;
let insights: ReturnType<typeof vi.fn<(q: InsightsQueryInput) => Promise<InsightsResponse>>>;
async function show(reply: (q: InsightsQueryInput) => Promise<InsightsResponse>) {
  insights = vi.fn(reply);
  target = document.createElement('div');
  document.body.append(target);
  page = mount(InsightsPage, { target, props: { api: { insights } } });
  await settle();
}
async function settle() {
  for (let i = 0; i < 3; i++) {
    flushSync();
    await Promise.resolve();
  }
  flushSync();
}
afterEach(() => {
  if (page) unmount(page);
  target.remove();
});

const text = (sel: string) => target.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
const column = (n: number) =>
  [...target.querySelectorAll('[data-row]')].map((tr) =>
    tr.children[n]?.textContent?.replace(/\s+/g, ' ').trim(),
  );
const ids = () => [...target.querySelectorAll('[data-row]')].map((tr) => tr.getAttribute('data-row'));
const header = (key: string) => target.querySelector(`th[data-column="${key}"]`) as HTMLElement;
function sortBy(key: string) {
  (header(key).querySelector('button') as HTMLButtonElement).click();
  flushSync();
}

describe('insights page', () => {
  it('shows the headline figures, both charts and every incident (drills apart)', async () => {
    await show(async () => answer);
    expect(insights).toHaveBeenCalledWith({});
    expect(text('[data-figure="count"]')).toBe('4');
    // The median of 30m, 2h and 4h, and the p90 by interpolation, beneath it.
    expect(text('[data-figure="recover"]')?.replace('median', ' / median')).toBe('2h / median; p90 3h 36m');
    expect(text('[data-figure="cost"]')).toBe('$1.65');
    expect(text('[data-figure="cost-per"]')).toBe('$0.41');
    expect(text('[data-figure="theories"]')).toBe('2.0');
    expect(text('[data-figure="rejected"]')).toBe('50%');
    // Sep: SEV1; Oct: SEV3; Nov has no resolved incident, so no bar.
    expect(target.querySelectorAll('[data-chart="by-month"] [data-bar]')).toHaveLength(2);
    expect(target.querySelectorAll('[data-chart="cost"] a[data-point]')).toHaveLength(3); // d is not resolved
    expect(ids()).toEqual(['d', 'c', 'b', 'a']); // newest declared first
    expect(column(2)).toEqual(['—', '30m', '4h', '2h']);
    expect(column(3)).toEqual(['$0', '$0', '$1.25', '$0.40']);
    expect(text('[data-row="d"] th')).toBe('Incident d investigating');
    const cells = target.querySelectorAll('tr[data-severity="SEV1"] > *');
    expect([...cells].map((c) => c.textContent?.trim().replace(/p90|\d incidents/, ' / $&'))).toEqual([
      'SEV1 / 2 incidents',
      '5m / p90 5m',
      '1h 30m / p90 1h 54m',
      '3h / p90 3h 48m',
    ]);

    (target.querySelector('.kind button:last-child') as HTMLButtonElement).click();
    flushSync();
    expect(text('[data-figure="count"]')).toBe('1');
    expect(ids()).toEqual(['e']);
    expect(target.querySelectorAll('[data-chart="cost"] a[data-point]')).toHaveLength(1);
    expect(text('#rows-title')).toBe('Drills');
  });

  it('sorts the table by any column from its header, each way, saying which in aria-sort', async () => {
    await show(async () => answer);
    expect(header('declared').getAttribute('aria-sort')).toBe('descending');
    sortBy('cost');
    expect(ids()).toEqual(['b', 'a', 'c', 'd']);
    expect(header('cost').getAttribute('aria-sort')).toBe('descending');
    expect(header('declared').hasAttribute('aria-sort')).toBe(false);
    sortBy('cost');
    expect(ids()).toEqual(['c', 'd', 'a', 'b']); // c and d tie at $0, in the order they came
    expect(header('cost').getAttribute('aria-sort')).toBe('ascending');
    sortBy('recover');
    expect(ids()).toEqual(['b', 'a', 'c', 'd']); // unresolved d last
    sortBy('recover');
    expect(ids()).toEqual(['c', 'a', 'b', 'd']); // and last the other way too
    sortBy('title');
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    sortBy('acknowledge');
    expect(ids().at(-1)).toBe('d');
    for (const th of target.querySelectorAll('thead th[data-column]'))
      expect(th.querySelector('button')?.getAttribute('type')).toBe('button');
  });

  it('asks again with the range and severity picked', async () => {
    await show(async () => answer);
    const from = target.querySelector('input[type="date"]') as HTMLInputElement;
    from.value = '2026-09-01';
    from.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    const select = target.querySelector('select') as HTMLSelectElement;
    select.value = 'SEV1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(insights.mock.calls.map(([q]) => q)).toEqual([
      {},
      { from: '2026-09-01' },
      { from: '2026-09-01', severity: 'SEV1' },
    ]);
  });

  it('reads well with no incidents, and says why when the server refuses', async () => {
    await show(async () => insightsOf({}, []));
    expect(text('[data-figure="count"]')).toBe('0');
    expect(text('[data-figure="recover"]')).toBe('—');
    expect(text('[data-figure="cost-per"]')).toBe('—');
    expect(target.querySelector('svg')).toBeNull();
    expect(target.querySelectorAll('[data-empty]')).toHaveLength(3);
    expect(text('#rows-title + [data-empty]')).toMatch(/^No incident was declared in this range/);
    unmount(page as never);
    target.remove();
    await show(async () => {
      throw new SitrepError('request.invalid', 'from must be before to');
    });
    expect(text('[role="alert"]')).toBe('Insights are not available: from must be before to');
  });
});
