// The Insights page in headless Chromium against a real server holding a hand-made set of
// incidents (resolved ones with their milestone times, theories and AI usage, one still open,
// one drill): the bars of time to recover by month and severity, the marks of AI cost against
// time to recover, the table sorted from its headers by keyboard, drills apart, a range with no
// incident, and an incident's own outcome figures; with screenshots at 1440x900 and 390x844,
// light and dark, through axe and the layout check.
import { mkdir } from 'node:fs/promises';
import type { CreateIncident, Entry } from '@sitrep/shared';
import { DEFAULT_POLICY } from '@sitrep/shared/sanitizer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../../server/src/room/createIncident.js';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { makeEntry } from '../support/clients.js';
import { type Fixture, startFixture } from '../support/server.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const M = 60_000;

interface Seed {
  title: string;
  severity: 'SEV1' | 'SEV2' | 'SEV3';
  kind?: 'drill';
  detected: string;
  /**
   * Minutes from detection to each milestone; one left out is not reached (or not known: a record
   * made with a later status is not stamped at creation).
   */
  ack?: number;
  mitigated?: number;
  resolved?: number;
  theories: number;
  rejected: number;
  /** Claude Sonnet tokens reported by a harness: $3 per million in, $15 per million out. */
  tokens?: { input: number; output: number };
}
/** AI cost: I1 $0.75, I2 $2.40, I3 $0.18, I4 nothing, I5 $0.36 (open), the drill $0.09. */
const SEEDS: Seed[] = [
  {
    title: 'Checkout 500s: pool exhausted',
    severity: 'SEV1',
    detected: '2026-09-08T10:00:00Z',
    ack: 6,
    mitigated: 50,
    resolved: 120,
    theories: 3,
    rejected: 1,
    tokens: { input: 200_000, output: 10_000 },
  },
  {
    title: 'Payments API latency',
    severity: 'SEV1',
    detected: '2026-10-14T08:30:00Z',
    ack: 3,
    mitigated: 90,
    resolved: 300,
    theories: 2,
    rejected: 1,
    tokens: { input: 600_000, output: 40_000 },
  },
  {
    title: 'Search index lag',
    severity: 'SEV2',
    detected: '2026-10-21T16:00:00Z',
    ack: 15,
    mitigated: 200,
    resolved: 540,
    theories: 1,
    rejected: 0,
    tokens: { input: 50_000, output: 2_000 },
  },
  {
    title: 'Email delivery delays',
    severity: 'SEV3',
    detected: '2026-11-03T09:00:00Z',
    ack: 30,
    mitigated: 600,
    resolved: 26 * 60,
    theories: 0,
    rejected: 0,
  },
  {
    title: 'Login errors in EU',
    severity: 'SEV2',
    detected: '2026-11-25T12:00:00Z',
    ack: 4,
    mitigated: 40,
    theories: 2,
    rejected: 0,
    tokens: { input: 100_000, output: 4_000 },
  },
  {
    title: 'Game day: database failover',
    severity: 'SEV2',
    kind: 'drill',
    detected: '2026-11-10T14:00:00Z',
    ack: 2,
    mitigated: 30,
    resolved: 60,
    theories: 1,
    rejected: 1,
    tokens: { input: 30_000, output: 0 },
  },
];

let f: Fixture;
let browser: Browser;
const ids: string[] = [];

async function seed(s: Seed): Promise<string> {
  const detected = Date.parse(s.detected);
  const at = (minutes: number | undefined) =>
    minutes === undefined ? undefined : new Date(detected + minutes * M).toISOString();
  const input: CreateIncident = {
    title: s.title,
    severity: s.severity,
    kind: s.kind ?? 'incident',
    status:
      s.resolved !== undefined ? 'resolved' : s.mitigated !== undefined ? 'mitigating' : 'investigating',
    detectedAt: s.detected,
    acknowledgedAt: at(s.ack),
    mitigatedAt: at(s.mitigated),
    resolvedAt: at(s.resolved),
  };
  const made = await createIncident(f.server.store, input, null, DEFAULT_POLICY, new Date(detected));
  const id = made.incident.id;
  const theories: Entry[] = Array.from({ length: s.theories }, (_, i) =>
    makeEntry('theory', { title: `${s.title}: theory ${i + 1}` }),
  );
  const rejections = theories
    .slice(0, s.rejected)
    .map((t) => makeEntry('rejection', { refs: [t.id], rationale: 'the graphs say otherwise' }));
  const entries = [...theories, ...rejections];
  if (entries.length > 0) await f.api.appendEntries(id, { entries });
  if (s.tokens)
    await f.api.reportUsage(id, {
      sessionId: `session-${id}`,
      messages: [
        {
          id: `msg-${id}`,
          model: 'claude-sonnet-4-5',
          at: s.detected,
          tokens: { ...s.tokens, cacheRead: 0, cacheCreation: 0 },
        },
      ],
    });
  return id;
}

async function open(width: number, height: number, dark: boolean, path = '#/insights'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  await page.goto(`${f.server.url}/#token=${f.token}`);
  await page.getByText('signed in as').waitFor();
  await page.goto(`${f.server.url}/${path}`);
  return page;
}
const rowIds = (page: Page) =>
  page.locator('[data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')));

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  f = await startFixture('pglite');
  for (const s of SEEDS) ids.push(await seed(s));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('insights page', () => {
  it('is linked from the header and draws the seeded incidents: bars, marks and rows', async () => {
    const page = await open(1440, 900, false, '');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Insights' }).click();
    expect(new URL(page.url()).hash).toBe('#/insights');
    await page.locator('[data-row]').first().waitFor();
    expect(await page.locator('[data-figure="count"]').textContent()).toBe('5');
    // Sep SEV1, Oct SEV1 and SEV2, Nov SEV3 (Nov's SEV2 is still open): four bars in three months.
    const bars = page.locator('[data-chart="by-month"] [data-bar]');
    expect(await bars.count()).toBe(4);
    expect(
      await page
        .locator('[data-chart="by-month"] [data-month]')
        .evaluateAll((g) => g.map((e) => e.getAttribute('data-month'))),
    ).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(await page.locator('[data-month="2026-10"] [data-severity="SEV1"] title').textContent()).toBe(
      'Oct 2026, SEV1: median 5h, p90 5h (1 incident)',
    );
    // One linked mark per resolved incident, named with its figures.
    const points = page.locator('[data-chart="cost"] a[data-point]');
    expect(await points.count()).toBe(4);
    expect(await page.locator(`[data-point="${ids[1]}"]`).getAttribute('aria-label')).toBe(
      'Payments API latency (SEV1): recovered in 5h, AI cost $2.40',
    );
    expect(await page.locator(`[data-point="${ids[3]}"]`).getAttribute('aria-label')).toBe(
      'Email delivery delays (SEV3): recovered in 1d 2h, AI cost $0',
    );
    expect(await rowIds(page)).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
    expect(
      await page
        .locator(`[data-row="${ids[0]}"]`)
        .evaluate((r) => [...r.children].map((c) => c.textContent?.trim())),
    ).toEqual(['Checkout 500s: pool exhausted', 'SEV1', '2h', '$0.75', '6m', '50m', '3', '1', '8 Sept 2026']);
    expect(await page.locator('[data-figure="cost"]').textContent()).toBe('$3.69');
    await page.context().close();
  });

  it('sorts the table by keyboard, each column both ways, and keeps drills apart', async () => {
    const page = await open(1440, 900, false);
    await page.locator('[data-row]').first().waitFor();
    const cost = page.locator('th[data-column="cost"] button');
    await cost.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th[data-column="cost"]').getAttribute('aria-sort')).toBe('descending');
    expect(await rowIds(page)).toEqual([ids[1], ids[0], ids[4], ids[2], ids[3]]);
    await page.keyboard.press('Space');
    expect(await page.locator('th[data-column="cost"]').getAttribute('aria-sort')).toBe('ascending');
    expect(await rowIds(page)).toEqual([ids[3], ids[2], ids[4], ids[0], ids[1]]);
    // Tab to the next header: time to recover, longest first, the open incident last either way.
    await page.locator('th[data-column="recover"] button').focus();
    await page.keyboard.press('Enter');
    expect(await rowIds(page)).toEqual([ids[3], ids[2], ids[1], ids[0], ids[4]]);
    await page.keyboard.press('Enter');
    expect(await rowIds(page)).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4]]);
    await page.locator('th[data-column="severity"] button').click();
    expect((await rowIds(page)).slice(0, 2).sort()).toEqual([ids[0], ids[1]].sort());

    await page.getByRole('button', { name: 'Drills' }).click();
    expect(await rowIds(page)).toEqual([ids[5]]);
    expect(await page.locator('[data-figure="count"]').textContent()).toBe('1');
    expect(await page.locator('[data-chart="cost"] a[data-point]').count()).toBe(1);
    await page.context().close();
  });

  it.each([
    ['desktop-light', 1440, 900, false],
    ['desktop-dark', 1440, 900, true],
    ['phone-light', 390, 844, false],
    ['phone-dark', 390, 844, true],
  ] as const)(
    'reads at a glance and passes axe and the layout check (%s)',
    async (name, width, height, dark) => {
      const page = await open(width, height, dark);
      await page.locator('[data-chart="cost"] a[data-point]').first().waitFor();
      expect(await axeProblems(page), name).toEqual([]);
      expect(await layoutProblems(page), name).toEqual([]);
      await page.screenshot({ path: new URL(`insights-${name}.png`, SHOTS).pathname, fullPage: true });
      await page.context().close();
    },
  );

  it.each([
    ['desktop-light', 1440, 900, false],
    ['phone-dark', 390, 844, true],
  ] as const)('reads well with no incident in the range (%s)', async (name, width, height, dark) => {
    const page = await open(width, height, dark);
    await page.locator('[data-row]').first().waitFor();
    await page.getByLabel('Declared from').fill('2020-01-01');
    await page.getByLabel('until').fill('2020-02-01');
    await expect
      .poll(() => page.locator('[data-figure="count"]').textContent(), { timeout: 10_000 })
      .toBe('0');
    expect(await page.locator('[data-empty]').count()).toBe(3);
    expect(await page.locator('svg[role="img"], svg[role="group"]').count()).toBe(0);
    expect(await axeProblems(page), name).toEqual([]);
    expect(await layoutProblems(page), name).toEqual([]);
    await page.screenshot({ path: new URL(`insights-empty-${name}.png`, SHOTS).pathname, fullPage: true });
    await page.context().close();
  });

  it.each([
    ['desktop-light', 1440, 900, false],
    ['desktop-dark', 1440, 900, true],
    ['phone-light', 390, 844, false],
    ['phone-dark', 390, 844, true],
  ] as const)("shows an incident's own figures on its page (%s)", async (name, width, height, dark) => {
    const page = await open(width, height, dark, `#/incidents/${ids[0]}`);
    const panel = page.locator('section.outcome');
    await panel.locator('[data-figure="recover"]').waitFor({ timeout: 15_000 });
    expect(await panel.locator('[data-figure="recover"]').textContent()).toBe('2h');
    expect(await panel.locator('[data-figure="acknowledge"]').textContent()).toBe('6m');
    expect(await panel.locator('[data-figure="mitigate"]').textContent()).toBe('50m');
    expect(await panel.locator('[data-figure="theories"]').textContent()).toBe('3 raised, 1 rejected');
    expect(await panel.locator('[data-figure="cost"]').textContent()).toBe('$0.75 for 210,000 tokens');
    await panel.scrollIntoViewIfNeeded();
    expect(await axeProblems(page), name).toEqual([]);
    expect(await layoutProblems(page), name).toEqual([]);
    await panel.screenshot({ path: new URL(`incident-outcome-${name}.png`, SHOTS).pathname });
    await page.context().close();
  });
});
