// A drill's page in headless Chromium against a real server: the drill line under the title, the
// drill board (the six questions, how many answers each has, the answers one click away, the
// actions with owners) kept live as answers arrive, the report downloaded from it; desktop
// (1440x900) and phone (390x844), light and dark, through axe and the layout check, with
// screenshots in test-output/screenshots/drill-*.png.
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { MEI, RAVI, drillEntries } from '../support/drill.js';
import { type Fixture, startFixture } from '../support/server.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
let f: Fixture;
let browser: Browser;
let drill: string;
const { gaps, answer, action } = drillEntries();
const exposed = answer(
  'exposed',
  'Billing exports would be readable by anyone: the bucket is public-read',
  RAVI,
);
const similar = answer(
  'similar-systems',
  'The invoices and payroll buckets share the same Terraform module',
  MEI,
);
const fixNow = answer('fix-now', 'Block public access at the account level', RAVI);
const owned = action('Turn on S3 Block Public Access for every account', MEI, 'platform-team', 'fix-now');
const unowned = action('Write the public-bucket playbook', RAVI);

beforeAll(async () => {
  f = await startFixture('pglite');
  browser = await launchChromium();
  drill = (
    await f.api.createIncident({ title: 'Game day: a public S3 bucket', kind: 'drill', severity: 'SEV2' })
  ).incident.id;
  await f.api.appendEntries(drill, { entries: [...gaps, exposed, similar, fixNow, owned, unowned] });
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

async function open(width: number, height: number, dark: boolean): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light' });
  await page.goto(`${f.server.url}/#token=${f.token}`);
  await page.goto(`${f.server.url}/#/incidents/${drill}`);
  // Three answered at first; the first test adds a fourth.
  await expect
    .poll(() => page.locator('[data-answered]').textContent(), { timeout: 15_000 })
    .toMatch(/^[34] of 6 questions answered$/);
  return page;
}

const counts = (page: Page) =>
  page
    .locator('[data-question]')
    .evaluateAll((lis) =>
      lis.map((li) => [li.getAttribute('data-question'), li.querySelector('.count')?.textContent]),
    );

describe('drill board', () => {
  it('shows each question with its count of answers and the actions with owners, live', async () => {
    const page = await open(1440, 900, false);
    await expect(page.locator('[data-answered]').textContent()).resolves.toBe('3 of 6 questions answered');
    await expect(page.locator('[data-drill]').textContent()).resolves.toContain(
      'not an incident that happened',
    );
    expect(await counts(page)).toEqual([
      ['exposed', '1'],
      ['similar-systems', '1'],
      ['signals', '0'],
      ['playbook', '0'],
      ['hardest-decision', '0'],
      ['fix-now', '1'],
    ]);
    const actions = page.locator('[data-action]');
    expect(await actions.allTextContents()).toEqual([
      expect.stringMatching(/Turn on S3 Block Public Access for every account\s+platform-team/),
      expect.stringMatching(/Write the public-bucket playbook\s+no owner/),
    ]);
    // An answer that lands is counted at once, over the live document.
    const signals = answer(
      'signals',
      'CloudTrail GetObject from unknown IPs; the S3 access-log dashboard',
      MEI,
    );
    await f.api.appendEntries(drill, { entries: [signals] });
    await expect
      .poll(() => page.locator('[data-question="signals"] .count').textContent(), { timeout: 10_000 })
      .toBe('1');
    await expect(page.locator('[data-answered]').textContent()).resolves.toBe('4 of 6 questions answered');
    // An answer opens from the board.
    await page.locator(`[data-question="exposed"] .answers button`).click();
    await expect
      .poll(() => page.evaluate(() => location.hash))
      .toBe(`#/incidents/${drill}/entries/${exposed.id}`);
    await page.keyboard.press('Escape');
    // The report downloads from the board.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.drill-board .report button', { hasText: 'Markdown' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${drill}-drill-report.md`);
    await page.close();
  });

  it.each([
    ['desktop-light', 1440, 900, false],
    ['desktop-dark', 1440, 900, true],
    ['phone-light', 390, 844, false],
    ['phone-dark', 390, 844, true],
  ] as const)('reads well and passes axe and the layout check (%s)', async (name, width, height, dark) => {
    const page = await open(width, height, dark);
    const board = page.locator('section.drill-board');
    await board.scrollIntoViewIfNeeded();
    expect(await axeProblems(page), name).toEqual([]);
    expect(await layoutProblems(page), name).toEqual([]);
    await page.screenshot({ path: new URL(`drill-page-${name}.png`, SHOTS).pathname });
    await board.screenshot({ path: new URL(`drill-board-${name}.png`, SHOTS).pathname });
    await page.close();
  });
});
