import { ENTRY_KINDS, type IncidentFiguresResponse, NO_TOKENS, SitrepError } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import OutcomeFigures from './OutcomeFigures.svelte';

const M = 60_000;
const figures: IncidentFiguresResponse = {
  id: 'checkout-1',
  title: 'Checkout timeouts',
  severity: 'SEV2',
  status: 'mitigating',
  kind: 'incident',
  declaredAt: '2026-11-24T14:00:00.000Z',
  month: '2026-11',
  times: {
    timeToDetectMs: null,
    timeToAcknowledgeMs: 4 * M,
    timeToMitigateMs: 95 * M,
    timeToResolveMs: null,
  },
  durationMs: null,
  entries: {
    total: 9,
    byKind: Object.fromEntries(
      ENTRY_KINDS.map((k) => [k, 0]),
    ) as IncidentFiguresResponse['entries']['byKind'],
    byAuthorKind: { human: 3, harness: 6 },
  },
  theories: { raised: 4, rejected: 2, reopened: 1, confirmed: 1 },
  timeToConfirmedTheoryMs: null,
  timeToFirstDecisionMs: null,
  ai: {
    tokens: { ...NO_TOKENS, input: 120_000, output: 8_000 },
    costUsd: 0.48,
    summarizer: { tokens: NO_TOKENS, costUsd: 0, runs: 0 },
    harness: { tokens: { ...NO_TOKENS, input: 120_000, output: 8_000 }, costUsd: 0.48, sessions: 1 },
    unpriced: ['local-llama'],
  },
  humans: [],
  harnesses: [],
};

let target: HTMLElement;
let panel: ReturnType<typeof mount> | undefined;
const props = $state<{ version: string | null }>({ version: null });
let ask: ReturnType<typeof vi.fn<(id: string) => Promise<IncidentFiguresResponse>>>;

function setup(answer: () => Promise<IncidentFiguresResponse>, version: string | null) {
  ask = vi.fn(() => answer());
  target = document.createElement('div');
  document.body.append(target);
  props.version = version;
  panel = mount(OutcomeFigures, {
    target,
    props: {
      incidentId: 'checkout-1',
      api: { figures: ask },
      get version() {
        return props.version;
      },
    },
  });
  flushSync();
}
async function settle(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
  flushSync();
}
const figure = (name: string) =>
  target.querySelector(`[data-figure="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  if (panel) unmount(panel);
  target.remove();
  vi.useRealTimers();
});

describe('outcome figures', () => {
  it("shows the incident's times, theories and AI cost, a time not reached yet as such", async () => {
    setup(async () => figures, '1 a');
    await settle();
    expect(ask).toHaveBeenCalledWith('checkout-1');
    expect(figure('acknowledge')).toBe('4m');
    expect(figure('mitigate')).toBe('1h 35m');
    expect(figure('recover')).toBe('not yet');
    expect(figure('theories')).toBe('4 raised, 2 rejected (1 reopened: dismissed too early)');
    expect(figure('cost')).toBe('$0.48 for 128,000 tokens');
    expect(target.textContent).toContain('no price for local-llama');
    expect(target.querySelector('a')?.getAttribute('href')).toBe('#/insights');
  });

  it('says "not recorded" for a milestone its status passed without a time (a record made resolved)', async () => {
    const recorded = { ...figures, status: 'resolved' as const };
    setup(async () => ({ ...recorded, times: { ...recorded.times, timeToAcknowledgeMs: null } }), '1 a');
    await settle();
    expect([figure('acknowledge'), figure('mitigate'), figure('recover')]).toEqual([
      'not recorded',
      '1h 35m',
      'not recorded',
    ]);
  });

  it('waits for the incident, then asks again when its entries or times change, at most once every 5 s', async () => {
    setup(async () => figures, null);
    await settle(10_000);
    expect(ask).not.toHaveBeenCalled();
    props.version = '1 a investigating';
    await settle();
    expect(ask).toHaveBeenCalledTimes(1);
    props.version = '1 a resolved';
    await settle(100);
    props.version = '2 b resolved';
    await settle(5_000);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('says so when the server refuses', async () => {
    setup(async () => {
      throw new SitrepError('incident.not_found', 'no incident checkout-1');
    }, '1 a');
    await settle();
    expect(target.querySelector('.error')?.textContent).toBe(
      'Figures are not available: no incident checkout-1',
    );
  });
});
