import type { Entry, RelatedIncident, RelatedResponse } from '@sitrep/shared';
import { SitrepError } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SeenBefore from './SeenBefore.svelte';

const id = (n: number) => `01JD${String(n).padStart(22, '0')}`;
const entry = (n: number, kind: Entry['kind'], title: string, over: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: id(n),
  kind,
  title,
  body: '',
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: '2026-11-24T14:00:00Z',
  ...over,
});
const pool: RelatedIncident = {
  incident: {
    id: 'db-pool-1',
    title: 'Checkout 500s: pool exhausted',
    status: 'resolved',
    severity: 'SEV2',
    kind: 'incident',
  },
  score: 0.8234,
  why: {
    terms: ['pool', 'exhausted'],
    services: ['payments-db'],
    errors: ['sorry, too many clients already'],
  },
  outcome: {
    confirmed: [entry(1, 'theory', 'A retry storm held every connection')],
    rejected: [
      {
        theory: entry(2, 'theory', 'The database ran out of memory'),
        rationale: 'RSS flat at 40% <b>all along</b>',
      },
      { theory: entry(3, 'theory', 'A slow query'), rationale: null },
    ],
    decisions: [entry(4, 'decision', 'Cap retries at 2', { rationale: 'cheap and reversible' })],
    openActions: [
      entry(5, 'action', 'Alert on pool saturation'),
      entry(6, 'gap', 'Why did the canary miss it?'),
    ],
  },
};
const drill: RelatedIncident = {
  incident: {
    id: 'drill-pool',
    title: 'Game day: pool',
    status: 'resolved',
    severity: 'SEV4',
    kind: 'drill',
  },
  score: 0.31,
  why: { terms: [], services: ['payments-db'], errors: [] },
  outcome: { confirmed: [], rejected: [], decisions: [], openActions: [] },
};

let target: HTMLElement;
let panel: ReturnType<typeof mount> | undefined;
let related: ReturnType<typeof vi.fn<(id: string) => Promise<RelatedResponse>>>;
const props = $state<{ version: string | null }>({ version: null });

function setup(answer: () => Promise<RelatedResponse>, version: string | null = '1 a') {
  related = vi.fn(() => answer());
  target = document.createElement('div');
  document.body.append(target);
  props.version = version;
  panel = mount(SeenBefore, {
    target,
    props: {
      incidentId: 'now-1',
      api: { related } as never,
      get version() {
        return props.version;
      },
      everyMs: 5_000,
    },
  });
  flushSync();
}
async function settle(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
  flushSync();
}
const text = (sel: string) =>
  [...target.querySelectorAll(sel)].map((e) => e.textContent?.replace(/\s+/g, ' ').trim());

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  if (panel) unmount(panel);
  target.remove();
  vi.useRealTimers();
});

describe('seen before', () => {
  it('lists each related incident with why, its cause, rejected theories with rationale, decisions and open follow-ups', async () => {
    setup(async () => ({ related: [pool, drill] }));
    await settle();
    expect(related).toHaveBeenCalledWith('now-1');
    const card = target.querySelector('[data-related="db-pool-1"]') as HTMLElement;
    expect(card.querySelector('h3 a')?.getAttribute('href')).toBe('#/incidents/db-pool-1');
    expect(card.querySelector('.facts')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'SEV2 resolved score 0.8',
    );
    expect(text('[data-related="db-pool-1"] [data-why]')).toEqual([
      'error: sorry, too many clients already',
      'service: payments-db',
      'terms: poolexhausted',
    ]);
    const rejected = card.querySelector('[data-outcome="rejected"]') as HTMLElement;
    expect(text('[data-related="db-pool-1"] [data-outcome="rejected"] li')).toEqual([
      'The database ran out of memory RSS flat at 40% <b>all along</b>',
      'A slow query no rationale recorded',
    ]);
    expect(rejected.querySelector('b')).toBeNull();
    expect(rejected.querySelector('a')?.getAttribute('href')).toBe(`#/incidents/db-pool-1/entries/${id(2)}`);
    expect(text('[data-related="db-pool-1"] h4')).toEqual([
      'Cause',
      'Rejected before',
      'Decisions',
      'Still open there',
    ]);
    expect(card.textContent).toContain('cheap and reversible');
    expect(text('[data-related="db-pool-1"] .outcome > div:last-child li')).toEqual([
      'action Alert on pool saturation',
      'gap Why did the canary miss it?',
    ]);
    // A drill is marked; a match with nothing recorded shows no empty sections.
    const drillCard = target.querySelector('[data-related="drill-pool"]') as HTMLElement;
    expect(drillCard.querySelector('.drill')?.textContent).toBe('drill');
    expect(drillCard.querySelectorAll('h4')).toHaveLength(0);
  });

  it('waits for the incident to load, then asks again when entries change, at most once every 5 s', async () => {
    setup(async () => ({ related: [pool] }), null);
    await settle(10_000);
    expect(related).not.toHaveBeenCalled();
    props.version = '1 a';
    await settle();
    expect(related).toHaveBeenCalledTimes(1);
    for (let i = 2; i < 62; i++) {
      props.version = `${i} x`;
      await settle(100);
    }
    expect(related).toHaveBeenCalledTimes(2); // one window ended among the changes
    await settle(5_000);
    expect(related).toHaveBeenCalledTimes(3); // the last change is never left out
    await settle(20_000);
    expect(related).toHaveBeenCalledTimes(3);
  });

  it('says so when nothing is close, and when the server refuses', async () => {
    setup(async () => ({ related: [] }));
    await settle();
    expect(target.querySelector('[role="status"]')?.textContent).toBe(
      'No past incident is close enough to this one yet.',
    );
    unmount(panel as never);
    target.remove();
    setup(async () => {
      throw new SitrepError('incident.not_found', 'no incident now-1');
    });
    await settle();
    expect(target.querySelector('.error')?.textContent).toBe(
      'Could not load past incidents: no incident now-1',
    );
  });
});
