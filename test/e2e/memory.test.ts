// Incident memory in the dashboard, in headless Chromium against a real server with a few past
// incidents: the header's search finds an entry in another incident and Enter opens it at the
// entry; the incident page's "Seen before" panel lists a past incident with the theory rejected
// there and its rationale, and asks again when entries arrive; a refused query is said plainly;
// an isolated viewer sees no other incident; an open entry lists past incidents like it;
// axe-core and the layout checks on desktop and phone, light and dark. Screenshots go to
// test-output/screenshots (memory-*.png).
import { mkdir } from 'node:fs/promises';
import { CONFIRMS_TAG, type Entry } from '@sitrep/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { type Fixture, startFixture } from '../support/server.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

let f: Fixture;
let browser: Browser;

/** A past incident: pool exhaustion on payments-db, with a dead end, a cause, a decision and a follow-up. */
const pool = {
  id: '',
  error: makeEntry('finding', {
    body: 'pgbouncer on payments-db logs `sorry, too many clients already`; the pool sits at 100/100 from 14:02',
  }),
  oom: makeEntry('theory', {
    title: 'The database ran out of memory',
    body: 'payments-db under memory pressure?',
  }),
  retry: makeEntry('theory', {
    title: 'A retry storm from checkout holds every payments-db connection',
    body: 'each checkout request retries three times at three layers',
  }),
} as {
  id: string;
  error: Entry;
  oom: Entry;
  retry: Entry;
  rejection: Entry;
  confirms: Entry;
  decision: Entry;
  action: Entry;
};
pool.rejection = makeEntry('rejection', {
  refs: [pool.oom.id],
  body: 'memory is not it',
  rationale: 'RSS stayed flat at 40% the whole time and the OOM killer never ran',
});
pool.confirms = makeEntry('finding', {
  refs: [pool.retry.id],
  tags: [CONFIRMS_TAG],
  body: 'retries per checkout request went from 1 to 9 at 14:01, the minute the pool filled',
});
pool.decision = makeEntry('decision', {
  refs: [pool.retry.id],
  title: 'Cap client retries at 2 with jitter',
  body: 'ship the retry cap to checkout',
  rationale: 'cheap, reversible, and it stops the amplification',
});
pool.action = makeEntry('action', {
  title: 'Alert on payments-db pool saturation above 90%',
  body: 'owner: Marco',
});
/** An unrelated past incident (a certificate on notif-sender), and a drill that shares the error. */
const tls = {
  id: '',
  error: makeEntry('finding', {
    body: 'notif-sender fails every push with `x509: certificate has expired or is not yet valid`',
  }),
  theory: makeEntry('theory', {
    title: 'The certificate rotation job on notif-sender stopped',
    body: 'cron gone?',
  }),
};
const drillFinding = makeEntry('finding', {
  body: 'load test filled the pool: sorry, too many clients already at 3x traffic',
});
/** The incident under way: the same error string and service, and the same theory, open here. */
let nowId = '';
const nowEntries = [
  makeEntry('finding', {
    body: 'payments API 500s: payments-db refuses connections with sorry, too many clients already',
  }),
  makeEntry('theory', {
    title: 'The database ran out of memory',
    body: 'payments-db memory graph looks high',
  }),
];

async function open(path: string, token = f.token, opts: { dark?: boolean; size?: keyof typeof SIZES } = {}) {
  const context = await browser.newContext({
    viewport: SIZES[opts.size ?? 'desktop'],
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  await page.goto(`${f.server.url}/#token=${token}`);
  await page.getByText('signed in as').waitFor();
  await page.goto(`${f.server.url}/${path}`);
  return page;
}
const incidentPath = (id: string) => `#/incidents/${id}`;
const searchBox = (page: Page) => page.getByRole('combobox', { name: 'Search all incidents' });
const found = (page: Page) => page.getByRole('listbox', { name: 'Entries found' }).getByRole('option');
const seenBefore = (page: Page) => page.getByRole('region', { name: 'Seen before' });
/** Until "Seen elsewhere" has its answer (a list, or a sentence saying there is none). */
async function waitForAnswer(dialog: Locator) {
  await dialog.getByText('Looking in past incidents…').waitFor({ state: 'detached' });
}
async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: new URL(`memory-${name}.png`, SHOTS).pathname, fullPage });
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  f = await startFixture('pglite');
  const made = async (
    title: string,
    entries: Entry[],
    extra: { kind?: 'drill'; severity?: 'SEV2' | 'SEV4' } = {},
  ) => {
    const { incident } = await f.api.createIncident({
      title,
      status: 'resolved',
      severity: 'SEV2',
      ...extra,
    });
    await f.api.appendEntries(incident.id, { entries });
    return incident.id;
  };
  pool.id = await made('Checkout 500s: connection pool exhausted on payments-db', [
    pool.error,
    pool.oom,
    pool.retry,
    pool.rejection,
    pool.confirms,
    pool.decision,
    pool.action,
  ]);
  tls.id = await made('Push notifications failing: expired certificate', [tls.error, tls.theory]);
  await made('Game day: payments-db pool saturation', [drillFinding], { kind: 'drill', severity: 'SEV4' });
  const { incident } = await f.api.createIncident({ title: 'Payments API returns 500s', severity: 'SEV2' });
  nowId = incident.id;
  await f.api.appendEntries(nowId, { entries: nowEntries });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('incident memory in the dashboard', () => {
  it('finds an entry in another incident from the header, and Enter opens it at the entry', async () => {
    const page = await open(incidentPath(nowId));
    await page.locator('[data-connection="live"]').waitFor();
    await searchBox(page).fill('sorry, too many clients');
    await found(page).first().waitFor();
    const ids = await found(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')));
    expect(ids).toContain(pool.error.id);
    // The drill is there, and marked.
    const drill = page.getByRole('group', { name: /Game day: payments-db pool saturation/ });
    await expect(drill.locator('.drill').textContent()).resolves.toBe('drill');
    expect(await drill.locator(`[data-entry-id="${drillFinding.id}"]`).count()).toBe(1);
    // The match is highlighted, as text.
    const row = page.locator(`#corpus-results [data-entry-id="${pool.error.id}"]`);
    expect(await row.locator('mark').allTextContents()).not.toEqual([]);
    await shot(page, 'search-desktop-light');
    // Walk down to it with the keyboard, and open it.
    for (let i = 0; i < ids.indexOf(pool.error.id); i++) await page.keyboard.press('ArrowDown');
    await expect(row.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(searchBox(page).getAttribute('aria-activedescendant')).resolves.toBe(
      await row.getAttribute('id'),
    );
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.url())
      .toBe(`${f.server.url}/#/incidents/${pool.id}/entries/${pool.error.id}`);
    await page
      .getByRole('heading', { level: 1, name: 'Checkout 500s: connection pool exhausted on payments-db' })
      .waitFor();
    await page.getByRole('dialog').getByTestId('entry-body').getByText('pgbouncer on payments-db').waitFor();
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('false');
    // Escape closes the entry; the search keeps its text: its list opens again with the focus,
    // Escape closes it, and a second Escape clears the box.
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await searchBox(page).focus();
    await page.keyboard.press('Escape');
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('false');
    expect(await searchBox(page).inputValue()).toBe('sorry, too many clients');
    await page.keyboard.press('Escape');
    expect(await searchBox(page).inputValue()).toBe('');
    await page.context().close();
  });

  it('says plainly when nothing matches and when the query is refused (over 1 KiB)', async () => {
    const page = await open('');
    await searchBox(page).fill('zebra quokka marmalade');
    await page
      .getByRole('status')
      .filter({ hasText: 'No entries match “zebra quokka marmalade”.' })
      .waitFor();
    await searchBox(page).fill('x'.repeat(1100));
    await page
      .getByRole('status')
      .filter({ hasText: /^Search failed: .*1024 bytes/ })
      .waitFor();
    await shot(page, 'search-refused');
    await page.context().close();
  });

  it('lists a past incident in "Seen before" with the theory rejected there and why, and links at the entry', async () => {
    const page = await open(incidentPath(nowId));
    const card = seenBefore(page).locator(`[data-related="${pool.id}"]`);
    await card.waitFor();
    await card
      .getByRole('heading', { name: 'Checkout 500s: connection pool exhausted on payments-db' })
      .waitFor();
    const rejected = card.locator('[data-outcome="rejected"]');
    await rejected.getByRole('link', { name: pool.oom.title as string }).waitFor();
    await rejected.getByText(pool.rejection.rationale as string).waitFor();
    await card.getByRole('link', { name: pool.retry.title as string }).waitFor(); // the cause
    await card.getByText(pool.decision.rationale as string).waitFor();
    await card.getByRole('link', { name: pool.action.title as string }).waitFor(); // still open there
    await card.locator('[data-why="services"]').getByText('payments-db').waitFor();
    expect(await seenBefore(page).locator(`[data-related="${tls.id}"]`).count()).toBe(0);
    await shot(page, 'seen-before-desktop-light', true);
    await rejected.getByRole('link', { name: pool.oom.title as string }).click();
    await expect.poll(() => page.url()).toBe(`${f.server.url}/#/incidents/${pool.id}/entries/${pool.oom.id}`);
    await page
      .getByRole('dialog')
      .getByRole('heading', { name: pool.oom.title as string })
      .waitFor();
    await page.context().close();
  });

  it('asks again when the incident gets entries: a new error string brings its past incident', async () => {
    const page = await open(incidentPath(nowId));
    await seenBefore(page).locator(`[data-related="${pool.id}"]`).waitFor();
    expect(await seenBefore(page).locator(`[data-related="${tls.id}"]`).count()).toBe(0);
    await f.api.appendEntries(nowId, {
      entries: [
        makeEntry('finding', {
          body: 'notif-sender also fails: x509: certificate has expired or is not yet valid',
        }),
      ],
    });
    await seenBefore(page).locator(`[data-related="${tls.id}"]`).waitFor({ timeout: 20_000 });
    await page.context().close();
  });

  it('shows an isolated viewer no other incident, in search or in "Seen before"', async () => {
    const { token } = await f.api.createToken({
      role: 'viewer',
      label: 'vendor',
      incidentId: nowId,
      isolated: true,
    });
    const page = await open(incidentPath(nowId), token);
    await page.locator('[data-connection="live"]').waitFor();
    await seenBefore(page).getByText('No past incident is close enough to this one yet.').waitFor();
    await searchBox(page).fill('sorry, too many clients');
    await page
      .getByRole('status')
      .filter({ hasText: /entr(y|ies) in 1 incident$/ })
      .waitFor();
    const groups = await page.getByRole('listbox', { name: 'Entries found' }).getByRole('group').count();
    expect(groups).toBe(1);
    const ids = await found(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')));
    expect(ids).toEqual([nowEntries[0]?.id]);
    await shot(page, 'isolated-viewer');
    await page.context().close();
  });

  it('has no serious axe violation or layout fault, search open and "Seen before", light and dark, desktop and phone', async () => {
    const problems: string[] = [];
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      for (const dark of [false, true]) {
        const name = `${size}-${dark ? 'dark' : 'light'}`;
        const page = await open(incidentPath(nowId), f.token, { size, dark });
        await seenBefore(page).locator(`[data-related="${pool.id}"]`).waitFor();
        await page.locator('[data-connection="live"]').waitFor();
        problems.push(...(await axeProblems(page)).map((p) => `${name} page: ${p}`));
        problems.push(...(await layoutProblems(page)).map((p) => `${name} page: ${p}`));
        await seenBefore(page).evaluate((el) => el.scrollIntoView());
        await shot(page, `seen-before-${name}`);
        await page.evaluate(() => scrollTo(0, 0));
        await searchBox(page).fill('too many clients');
        await found(page).first().waitFor();
        await page.keyboard.press('ArrowDown');
        problems.push(...(await axeProblems(page)).map((p) => `${name} search: ${p}`));
        problems.push(...(await layoutProblems(page)).map((p) => `${name} search: ${p}`));
        await shot(page, `search-${name}`);
        // An entry of the past incident, with what is like it elsewhere.
        await page.goto(`${f.server.url}/${incidentPath(pool.id)}/entries/${pool.oom.id}`);
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('heading', { name: 'Seen elsewhere' }).waitFor();
        await waitForAnswer(dialog);
        problems.push(...(await axeProblems(page)).map((p) => `${name} entry: ${p}`));
        problems.push(...(await layoutProblems(page)).map((p) => `${name} entry: ${p}`));
        await shot(page, `entry-${name}`);
        await page.context().close();
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows a private past incident to an admin and to no other token, in search or in "Seen before"', async () => {
    const { incident } = await f.api.createIncident({
      title: 'Payroll run blocked: payments-db pool exhausted by the HR export',
      status: 'resolved',
      private: true,
    });
    await f.api.appendEntries(incident.id, {
      entries: [
        makeEntry('finding', {
          body: 'the HR export held every payments-db connection: sorry, too many clients already',
        }),
      ],
    });
    const { token } = await f.api.createToken({ role: 'viewer', label: 'on call' });
    for (const [who, reader, sees] of [
      ['admin', f.token, 1],
      ['viewer', token, 0],
    ] as const) {
      const page = await open(incidentPath(nowId), reader);
      await seenBefore(page).locator(`[data-related="${pool.id}"]`).waitFor();
      await searchBox(page).fill('sorry, too many clients');
      await found(page).first().waitFor();
      const counts = {
        seenBefore: await seenBefore(page).locator(`[data-related="${incident.id}"]`).count(),
        found: await page.getByRole('group', { name: /Payroll run blocked/ }).count(),
        text: (await page.content()).includes('HR export') ? 1 : 0,
      };
      expect([who, counts]).toEqual([who, { seenBefore: sees, found: sees, text: sees }]);
      await shot(page, `private-${who}`);
      await page.context().close();
    }
  });
});
