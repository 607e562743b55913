// The dashboard end to end in headless Chromium (Debian's, driven by playwright-core) against a
// real server: sign in from a link, the incident list, the demo incident's board, entries pushed
// from the CLI, the SDK and a stock y-websocket client appearing live, a rejection moving a theory, a
// server restart the page rides through, a refused token shown as denied, roles hiding controls,
// and 10,000 entries scrolling.
// Screenshots of the main screens go to test-output/screenshots.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type Entry, entriesMap, readMeta } from '@sitrep/shared';
import { NodeClient } from '@sitrep/shared/node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ENTRIES, DEMO_INCIDENT_ID, seedDemo } from '../../server/src/demo.js';
import { createLogger } from '../../server/src/log.js';
import { runCli } from '../support/cli.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

let f: Fixture;
let browser: Browser;
let state: string;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
}

async function open(
  path: string,
  token: string,
  opts: { dark?: boolean; width?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: 1000 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  await page.goto(`${f.server.url}/#token=${token}`);
  await page.getByText('signed in as').waitFor();
  if (path) await page.goto(`${f.server.url}/${path}`);
  return page;
}

const theoryColumn = (page: Page, id: string) =>
  page.locator(`[data-theory="${id}"]`).getAttribute('data-state');

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  f = await startFixture('pglite');
  state = await mkdtemp(join(tmpdir(), 'sitrep-e2e-'));
  await seedDemo(f.server.store, f.server.rooms, createLogger('silent'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
  if (state) await rm(state, { recursive: true, force: true });
});

describe('dashboard', () => {
  it('signs in from a link, keeps the token out of the URL, lists incidents and declares one', async () => {
    const page = await open('', f.token);
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => sessionStorage.getItem('sitrep.token'))).toBe(f.token);
    await page.getByRole('link', { name: 'Checkout latency spike after deploy' }).waitFor();
    await expect(page.getByRole('cell', { name: 'resolved' }).count()).resolves.toBeGreaterThan(0);
    await shot(page, 'incident-list');
    await page.getByLabel('Title').fill('Payments queue backing up');
    await page.getByLabel('Severity').selectOption('SEV1');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.getByRole('heading', { name: 'Payments queue backing up' }).waitFor();
    expect(page.url()).toMatch(/#\/incidents\/payments-queue-backing-up-[0-9a-f]{6}$/);
    const made = (await f.api.listIncidents()).incidents.find((i) => i.title === 'Payments queue backing up');
    expect(made?.severity).toBe('SEV1');
    await page.context().close();
  });

  it('lets a commander declare a private incident and open it with the token it is given; responders have no such box', async () => {
    const commander = (await f.api.createToken({ role: 'commander', label: 'ic on call' })).token;
    const page = await open('', commander);
    await page.getByLabel('Title').fill('Badge access after hours');
    await page.getByLabel(/Private/).check();
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.getByRole('heading', { name: 'Badge access after hours is private' }).waitFor();
    const token = (await page.locator('[data-keeper-token]').textContent())?.trim() ?? '';
    const made = (await f.api.listIncidents()).incidents.find((i) => i.title === 'Badge access after hours');
    expect(made?.private).toBe(true);
    // The commander's own token cannot read it: the list does not show it.
    expect(await page.getByRole('link', { name: 'Badge access after hours' }).count()).toBe(0);
    await shot(page, 'private-incident-declared');
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Open it with this token' }).click(),
    ]);
    await tab.getByRole('heading', { name: 'Badge access after hours' }).waitFor();
    await tab.locator('[data-connection="live"]').waitFor();
    expect(await tab.evaluate(() => sessionStorage.getItem('sitrep.token'))).toBe(token);
    await page.context().close();
    const responder = await open('', (await f.api.createToken({ role: 'responder', label: 'r' })).token);
    await responder.getByLabel('Title').waitFor();
    expect(await responder.getByLabel(/Private/).count()).toBe(0);
    await responder.context().close();
  });

  it('shows the demo incident: theory board, decisions, gaps, actions, feed, timeline', async () => {
    const page = await open(`#/incidents/${DEMO_INCIDENT_ID}`, f.token);
    await page.locator('[data-connection="live"]').waitFor();
    const [deploy, processor] = [DEMO_ENTRIES[2]!, DEMO_ENTRIES[3]!];
    await waitFor(async () => (await theoryColumn(page, processor.id)) === 'rejected', 'the rejected theory');
    expect(await theoryColumn(page, deploy.id)).toBe('leading');
    await page.getByText('Roll back checkout to 2026.11.24-2').first().waitFor();
    await page.getByText('Why did the canary not catch the query increase?').first().waitFor();
    await page.getByRole('heading', { name: /Feed/ }).getByText('(12)').waitFor();
    await page.getByText('Time to detect').waitFor();
    await shot(page, 'incident-light');
    await page.getByLabel('Kind').selectOption('decision');
    await page.getByRole('heading', { name: /Feed/ }).getByText('(1 of 12)').waitFor();
    await page.getByLabel('Author').selectOption({ label: 'Marco Silva' });
    await page.getByRole('heading', { name: /Feed/ }).getByText('(0 of 12)').waitFor();
    await page.context().close();
    const dark = await open(`#/incidents/${DEMO_INCIDENT_ID}`, f.token, { dark: true, width: 1024 });
    await dark.locator('[data-connection="live"]').waitFor();
    await dark.getByRole('heading', { name: /Feed/ }).getByText('(12)').waitFor();
    await shot(dark, 'incident-dark-laptop');
    // By keyboard: Enter on a theory's title opens it (marked in the feed too), Escape closes it,
    // Space on its rejection's id opens that.
    const rejection = DEMO_ENTRIES.find((e) => e.kind === 'rejection' && e.refs?.includes(processor.id))!;
    await dark.locator(`[data-theory="${processor.id}"] button.title`).focus();
    await dark.keyboard.press('Enter');
    await dark.locator(`[data-entry-id="${processor.id}"].selected`).waitFor();
    await dark.getByRole('dialog').getByRole('heading', { name: processor.title }).waitFor();
    await dark.keyboard.press('Escape');
    await dark.getByRole('dialog').waitFor({ state: 'hidden' });
    await dark
      .getByRole('button', { name: `open cited entry ${rejection.id}` })
      .first()
      .focus();
    await dark.keyboard.press('Space');
    await dark.locator(`[data-entry-id="${rejection.id}"].selected`).waitFor();
    await dark.context().close();
  });

  it('shows entries pushed from the CLI and from a stock client live, and a rejection moves a theory', async () => {
    const { incident } = await f.api.createIncident({ title: 'Live push' });
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.locator('[data-connection="live"]').waitFor();
    const env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
    const pushed = await runCli(
      [
        'push',
        incident.id,
        '--kind',
        'theory',
        '--title',
        'DNS resolver saturated',
        '--body',
        'resolver p99 up',
      ],
      { env },
    );
    expect(pushed.code).toBe(0);
    await page.getByText('DNS resolver saturated').first().waitFor();
    const client = connectProvider(f.server.url, incident.id, f.token);
    await synced(client);
    const finding = makeEntry('finding', { body: 'queries to 10.0.0.2 time out after 5 s' });
    entriesMap(client.doc).set(finding.id, finding);
    await page.getByText('queries to 10.0.0.2 time out').waitFor();
    const sdk = new NodeClient({
      url: f.server.url,
      token: f.token,
      incident: incident.id,
      author: { id: 'claude-1', name: 'Claude (Ana)', kind: 'harness', harness: 'claude-code' },
      stateDir: state,
    });
    expect(
      (await sdk.push([{ kind: 'finding', body: 'the SDK says: resolver cache hit rate fell to 3%' }]))
        .durable,
    ).toHaveLength(1);
    await page.getByText('resolver cache hit rate fell to 3%').waitFor();
    const theory = (await f.api.listEntries(incident.id, { kind: 'theory' })).entries[0]!;
    await waitFor(async () => (await theoryColumn(page, theory.id)) === 'open', 'the open theory');
    await runCli(
      [
        'push',
        incident.id,
        '--kind',
        'rejection',
        '--refs',
        theory.id,
        '--body',
        'resolver is healthy',
        '--rationale',
        'p99 is 2 ms',
      ],
      { env },
    );
    await waitFor(
      async () => (await theoryColumn(page, theory.id)) === 'rejected',
      'the theory to move to rejected',
    );
    await shot(page, 'live-push');
    client.destroy();
    await page.context().close();
  });

  it('rides through a server restart: reconnecting, then live again with nothing lost', async () => {
    const { incident } = await f.api.createIncident({ title: 'Restart' });
    await f.api.appendEntries(incident.id, {
      entries: [makeEntry('finding', { body: 'before the restart' })],
    });
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByText('before the restart').waitFor();
    await f.restart();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    await new ApiClient(f.server.url, { token: f.token }).appendEntries(incident.id, {
      entries: [makeEntry('finding', { body: 'after the restart' })],
    });
    await page.getByText('after the restart').waitFor();
    await page.getByText('before the restart').waitFor();
    await page.getByRole('heading', { name: /Feed/ }).getByText('(2)').waitFor();
    await page.context().close();
  });

  it('shows another incident to a scoped token live without controls; says access is denied for good on a 4401', async () => {
    const { incident: own } = await f.api.createIncident({ title: 'Scoped' });
    const { incident: other } = await f.api.createIncident({ title: "Not this token's" });
    const { token, summary } = await f.api.createToken({
      role: 'commander',
      label: 'scoped',
      incidentId: own.id,
    });
    // It reads the other incident as a viewer would: live, and no control it could not use there.
    const page = await open(`#/incidents/${other.id}`, token);
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.getByLabel('Status').count()).toBe(0);
    await page.goto(`${f.server.url}/#/incidents/${own.id}`);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByLabel('Status').waitFor();
    await f.api.revokeToken(summary.id);
    await page
      .locator('[data-connection="denied"]')
      .getByText('auth.invalid: the token was revoked')
      .waitFor();
    await shot(page, 'access-denied');
    // Denied is final: the page does not go back to reconnecting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await page.locator('[data-connection]').getAttribute('data-connection')).toBe('denied');
    await page.context().close();
  });

  it('lets a commander set status and pin, and shows a viewer no controls', async () => {
    const { incident } = await f.api.createIncident({ title: 'Roles' });
    const decision = makeEntry('decision', { title: 'Fail over to us-west', rationale: 'fastest' });
    await f.api.appendEntries(incident.id, { entries: [decision] });
    const commander = (await f.api.createToken({ role: 'commander', label: 'ic' })).token;
    const page = await open(`#/incidents/${incident.id}`, commander);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByLabel('Status').selectOption('mitigating');
    await waitFor(
      async () => (await f.api.getIncident(incident.id)).incident.status === 'mitigating',
      'the status on the server',
    );
    // The server stamps the dashboard's status change as any client's (issue 27), and the page sees it.
    const meta = await waitFor(async () => {
      const m = readMeta((await f.server.rooms.open(incident.id)).doc);
      return m?.acknowledgedAt ? m : null;
    }, 'the acknowledgement stamp');
    expect(meta.mitigatedAt).toBeUndefined();
    const audited = (await f.api.listAudit({ incident: incident.id, action: 'incident.meta' })).records;
    expect(audited.reverse().map((r) => [r.detail.via, r.detail.set])).toEqual([
      ['socket', { status: 'mitigating' }],
      ['server', { acknowledgedAt: meta.acknowledgedAt }],
    ]);
    await page.getByText('Incident acknowledged').waitFor();
    await page.getByRole('button', { name: 'Pin' }).first().click();
    await waitFor(
      async () =>
        (await f.api.view(incident.id)).timeline?.events.some((e) => e.key === decision.id && e.pinned),
      'the pin in the timeline',
    );
    await shot(page, 'commander-controls');
    await page.context().close();

    const viewer = (await f.api.createToken({ role: 'viewer', label: 'watcher' })).token;
    const view = await open(`#/incidents/${incident.id}`, viewer);
    await view.locator('[data-connection="live"]').waitFor();
    await view.getByText('Fail over to us-west').first().waitFor();
    expect(await view.getByLabel('Status').count()).toBe(0);
    expect(await view.getByRole('button', { name: /Pin|Hide|Pause summarizer/ }).count()).toBe(0);
    expect(await view.getByText('Declare an incident').count()).toBe(0);
    await view.context().close();
  });

  it('renders and scrolls 10,000 entries with a bounded number of rows in the DOM', async () => {
    const { incident } = await f.api.createIncident({ title: 'Ten thousand' });
    for (let i = 0; i < 10_000; i += 500) {
      await f.api.appendEntries(incident.id, {
        entries: Array.from({ length: 500 }, (_, k) =>
          makeEntry('finding', { body: `finding number ${i + k}` }),
        ),
      });
    }
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.getByRole('heading', { name: /Feed/ }).getByText('(10000)').waitFor({ timeout: 30_000 });
    const rows = await page.locator('[data-entry-id]').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(60);
    const scroller = page.getByRole('listbox', { name: /Entries/ });
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await page.getByText('finding number 0', { exact: true }).waitFor();
    const started = Date.now();
    for (let step = 1; step <= 20; step++)
      await scroller.evaluate((el, s) => (el.scrollTop = (el.scrollHeight * s) / 20), step);
    await page.getByText('finding number 9999', { exact: true }).waitFor();
    expect(Date.now() - started).toBeLessThan(10_000); // a sanity bound, not a benchmark
    await page.getByLabel('Search text').fill('number 4242');
    await page.getByText('finding number 4242', { exact: true }).waitFor();
    await shot(page, 'ten-thousand');
    await page.context().close();
  });
});

// The commander's first minute, on one page reused across sizes and colour schemes, under a
// strict Content-Security-Policy (no inline script or style may be needed): read any entry (from
// the feed, a citation, a URL), a hostile Markdown body rendered inert, the rules headline, one
// row per person, a phone layout, the keyboard, and axe-core on every screen.
describe("the commander's first minute", () => {
  const CSP =
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'";
  const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
  const demo = (n: number) => DEMO_ENTRIES[n] as Entry & { title: string };
  const [pool, deploy, processor, queries, rejection, rollback] = [
    demo(1),
    demo(2),
    demo(3),
    demo(4),
    demo(6),
    demo(7),
  ];
  let page: Page;

  beforeAll(async () => {
    const context = await browser.newContext({ viewport: SIZES.desktop });
    // The dashboard's page under the strictest policy it should live with.
    await context.route(
      (url) => url.pathname === '/',
      async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
      },
    );
    await context.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.cspViolations.push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sample} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        ),
      );
    });
    page = await context.newPage();
    await page.goto(`${f.server.url}/#token=${f.token}`);
    await page.getByText('signed in as').waitFor();
  });
  beforeEach(async () => {
    await page.setViewportSize(SIZES.desktop);
    await page.emulateMedia({ colorScheme: 'light' });
  });
  afterAll(async () => {
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    await page.context().close();
  });

  const entryDialog = () => page.getByRole('dialog');
  const incidentUrl = () => `${f.server.url}/#/incidents/${DEMO_INCIDENT_ID}`;
  const entryUrl = (id: string) => `${incidentUrl()}/entries/${id}`;

  it('opens an entry from a link that signs in and keeps the page, in a new tab and in an open one', async () => {
    // A new tab: nothing in its session storage yet.
    const fresh = await page.context().newPage();
    await fresh.goto(`${entryUrl(deploy.id)}?token=${f.token}`);
    await expect.poll(() => fresh.url()).toBe(entryUrl(deploy.id));
    const dialog = fresh.getByRole('dialog');
    await dialog.getByRole('heading', { name: deploy.title }).waitFor();
    await dialog.getByText('Priya Raman').waitFor();
    await dialog.getByText('claude-code').waitFor();
    await dialog.getByText('medium').waitFor();
    await dialog.getByText('The deploy went out at 13:56').waitFor();
    // Refs and referenced-by are both links to the entries' own URLs.
    const supporting = dialog.getByRole('link', { name: /Queries per checkout request/ });
    expect(await supporting.getAttribute('href')).toBe(
      `#/incidents/${DEMO_INCIDENT_ID}/entries/${queries.id}`,
    );
    await dialog.getByRole('link', { name: /Roll back checkout/ }).waitFor();
    // The feed behind it scrolled to the entry and marks it.
    await fresh.locator(`[data-entry-id="${deploy.id}"].selected`).waitFor({ state: 'attached' });
    // Escape on a pasted link: the incident page, in place of the entry.
    await fresh.keyboard.press('Escape');
    await expect.poll(() => fresh.url()).toBe(incidentUrl());
    await dialog.waitFor({ state: 'hidden' });
    expect(
      await fresh.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    await fresh.close();
    // A tab already open on the dashboard: the link's token is taken there too.
    await page.goto(incidentUrl());
    await page.goto(`${entryUrl(pool.id)}?token=${f.token}`);
    await expect.poll(() => page.url()).toBe(entryUrl(pool.id));
    await entryDialog().getByText('payments-db primary connection pool is saturated').first().waitFor();
  });

  it('opens entries from the feed and from citations, follows refs, and Back and Escape close them', async () => {
    await page.goto(incidentUrl());
    await page.locator('[data-connection="live"]').waitFor();
    await page.locator(`[data-entry-id="${pool.id}"]`).click();
    await expect.poll(() => page.url()).toBe(entryUrl(pool.id));
    await entryDialog().getByText('payments-db primary connection pool is saturated').first().waitFor();
    await entryDialog().getByText('select state, count(*) from pg_stat_activity group by 1').waitFor();
    await page.goBack();
    await expect.poll(() => page.url()).toBe(incidentUrl());
    await entryDialog().waitFor({ state: 'hidden' });
    // A citation in the rules headline: the latest decision.
    await page
      .getByTestId('rules-headline')
      .getByRole('button', { name: `Open cited entry ${rollback.id}` })
      .click();
    await entryDialog().getByRole('heading', { name: rollback.title }).waitFor();
    await entryDialog().getByText('The query count jump lines up with the deploy').waitFor();
    // Follow a ref two deep, then Escape goes back to the incident page in one move.
    await entryDialog()
      .getByRole('link', { name: /payments-db primary connection pool/ })
      .click();
    await expect.poll(() => page.url()).toBe(entryUrl(pool.id));
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toBe(incidentUrl());
    await entryDialog().waitFor({ state: 'hidden' });
    await page.goForward();
    await expect.poll(() => page.url()).toBe(entryUrl(rollback.id));
    await page.goBack();
    await expect.poll(() => page.url()).toBe(incidentUrl());
    // A rejection's citation on the theory board.
    await page
      .locator(`[data-theory="${processor.id}"]`)
      .getByRole('button', { name: `Open cited entry ${rejection.id}` })
      .click();
    await entryDialog().getByText('Outbound latency to the processor did not change').waitFor();
    await entryDialog().getByRole('button', { name: 'Close entry' }).click();
    await expect.poll(() => page.url()).toBe(incidentUrl());
    // A timeline event.
    await page.getByRole('button', { name: `Decision: ${rollback.title}`, exact: true }).click();
    await expect.poll(() => page.url()).toBe(entryUrl(rollback.id));
    await entryDialog().getByRole('heading', { name: rollback.title }).waitFor();
    await page.goBack();
    await entryDialog().waitFor({ state: 'hidden' });
  });

  it('renders a hostile Markdown body inert, and says when an entry is unknown or purged', async () => {
    const { incident } = await f.api.createIncident({ title: 'Hostile body' });
    const hostile = makeEntry('finding', {
      body:
        '**Bold** and [a link](https://example.com/runbook).\n\n[click ' +
        'me](javascript:window.pwned=1)\n\n<img src=x ' +
        'onerror="window.pwned=1">\n\n<script>window.pwned=1</script>',
      evidence: [{ label: 'runbook', url: 'https://example.com/runbook' }],
      redactions: 2,
    });
    const leaked = makeEntry('note', { body: 'customer jane.doe at example dot com' });
    await f.api.appendEntries(incident.id, { entries: [hostile, leaked] });
    const base = `${f.server.url}/#/incidents/${incident.id}`;
    await page.goto(`${base}/entries/${hostile.id}`);
    const body = entryDialog().getByTestId('entry-body');
    await body.getByText('Bold').waitFor();
    expect(await body.locator('img, script').count()).toBe(0);
    expect(
      await body
        .locator('a')
        .evaluateAll((as) =>
          as.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]),
        ),
    ).toEqual([['https://example.com/runbook', 'noopener noreferrer', '_blank']]);
    await body.getByText('[click me](javascript:window.pwned=1)').waitFor();
    await body.getByText('<img src=x onerror="window.pwned=1">').waitFor();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await entryDialog().getByText('2 secrets removed before it was written').waitFor();
    await entryDialog().getByRole('link', { name: 'runbook' }).waitFor();
    await page.screenshot({ path: new URL('entry-hostile-markdown.png', SHOTS).pathname });

    await page.goto(`${base}/entries/01M86XT2Y0DEM0000000000999`);
    await page.locator('[data-missing="unknown"]').waitFor();
    await f.api.purgeEntry(incident.id, leaked.id, 'customer data');
    await page.goto(`${base}/entries/${leaked.id}`);
    await page.locator('[data-missing="purged"]').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toBe(base);

    // Once an entry was opened and closed, the feed still follows new entries from the bottom.
    await f.api.appendEntries(incident.id, {
      entries: Array.from({ length: 30 }, (_, i) => makeEntry('finding', { body: `filler ${i}` })),
    });
    const feed = page.getByRole('listbox', { name: /Entries/ });
    await page.getByRole('heading', { name: /Feed/ }).getByText('(31)').waitFor();
    await page.locator(`[data-entry-id="${hostile.id}"]`).click();
    await entryDialog().getByText('Bold').waitFor();
    await page.keyboard.press('Escape');
    await entryDialog().waitFor({ state: 'hidden' });
    await feed.focus();
    await page.keyboard.press('End');
    const later = makeEntry('finding', { body: 'landed after the reader closed an entry' });
    await f.api.appendEntries(incident.id, { entries: [later] });
    const row = page.locator(`[data-entry-id="${later.id}"]`);
    await row.waitFor();
    await expect
      .poll(async () => {
        const [r, box] = [await row.boundingBox(), await feed.boundingBox()];
        return r && box ? r.y >= box.y - 1 && r.y + r.height <= box.y + box.height + 1 : false;
      })
      .toBe(true);
  });

  it(
    'lists entries that blame a person for review and marks them, and shows what the ' +
      'sanitizer removed apart, light and dark',
    async () => {
      const { incident } = await f.api.createIncident({ title: 'Blame and placeholders' });
      const blame = makeEntry('finding', {
        body: 'Pool at 100/100. Tom ignored the alert for forty minutes, sloppy as usual.',
      });
      const removed = makeEntry('note', {
        title: 'Customer report',
        body: 'Key [REDACTED:github-pat] was in the log; the customer [email-3f9a2c] wrote twice.',
        // As the sanitizer writes it: the placeholders counted, per type.
        redactions: { secret: 1, email: 1 },
        evidence: [{ label: 'the dump', url: 's3://incident-2291/dump.sql' }],
      });
      const fine = makeEntry('finding', { body: 'Redis caused the latency spike.' });
      await f.api.appendEntries(incident.id, { entries: [blame, removed, fine] });
      const base = `${f.server.url}/#/incidents/${incident.id}`;
      const found: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(base);
        const review = page.getByRole('list', {
          name: 'Entries flagged for review: a sentence blames or judges a person',
        });
        await review.getByText('names a person as the cause').waitFor();
        expect(await review.locator('li').count()).toBe(1);
        // The feed marks the flagged row (a visible ⚑ and words for screen readers), not the others.
        const row = page.locator(`[data-entry-id="${blame.id}"]`);
        await row
          .locator('.flag .sr-only', { hasText: /^flagged for review: .*names a person as the cause/ })
          .waitFor({ state: 'attached' });
        expect(await page.locator(`[data-entry-id="${fine.id}"] .flag`).count()).toBe(0);
        // Placeholders are marks of their own in the feed, with what they stand for.
        const marks = page.locator(`[data-entry-id="${removed.id}"] .placeholder`);
        expect(
          await marks.evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('title')])),
        ).toEqual([
          ['[REDACTED:github-pat]', 'secret removed (github-pat)'],
          ['[email-3f9a2c]', 'an e-mail address removed, the same one wherever [email-3f9a2c] appears'],
        ]);
        found.push(...(await axeProblems(page)).map((v) => `${scheme} incident: ${v}`));
        await shot(page, `review-incident-${scheme}`);
        await page.goto(`${base}/entries/${blame.id}`);
        const note = entryDialog().getByRole('note', { name: 'Flagged for review' });
        await note.getByText('“Tom ignored the alert for forty minutes, sloppy as usual.”').waitFor();
        found.push(...(await axeProblems(page)).map((v) => `${scheme} entry: ${v}`));
        await page.screenshot({ path: new URL(`review-entry-${scheme}.png`, SHOTS).pathname });
        await page.goto(`${base}/entries/${removed.id}`);
        await entryDialog()
          .getByTestId('entry-body')
          .locator('.placeholder-secret', { hasText: '[REDACTED:github-pat]' })
          .waitFor();
        expect(await entryDialog().getByRole('note', { name: 'Flagged for review' }).count()).toBe(0);
        await entryDialog()
          .getByText('1 secret and 1 e-mail address removed before it was written')
          .waitFor();
        // Evidence that is no web link: its label, a space, then its address.
        expect(await entryDialog().locator('ul.plain li', { hasText: 'the dump' }).textContent()).toMatch(
          /^\s*the dump s3:\/\/incident-2291\/dump\.sql\s*$/,
        );
        await page.screenshot({ path: new URL(`placeholders-entry-${scheme}.png`, SHOTS).pathname });
        await page.keyboard.press('Escape');
        // On a phone (390x844): the review panel and the marks, to look at.
        await page.setViewportSize(SIZES.phone);
        await page.goto(base);
        await review.getByText('names a person as the cause').waitFor();
        await page
          .getByRole('region', { name: /^For review, decisions/ })
          .screenshot({ path: new URL(`review-incident-phone-${scheme}.png`, SHOTS).pathname });
        await page.goto(`${base}/entries/${removed.id}`);
        await entryDialog().getByTestId('entry-body').locator('.placeholder-secret').waitFor();
        await page.screenshot({ path: new URL(`placeholders-entry-phone-${scheme}.png`, SHOTS).pathname });
        await page.keyboard.press('Escape');
        await page.setViewportSize(SIZES.desktop);
      }
      expect(found).toEqual([]);
    },
  );

  it("shows the rules headline and the demo's metrics without an LLM, and one row per person with their tabs", async () => {
    await page.goto(incidentUrl());
    await page.locator('[data-connection="live"]').waitFor();
    const headline = page.getByTestId('rules-headline');
    await headline.getByText(`Leading theory: ${deploy.title} (1 supporting finding)`).waitFor();
    await headline.getByText(`Latest decision: ${rollback.title}`).waitFor();
    await headline.getByText('Open gap: Why did the canary not catch the query increase?').waitFor();
    const metrics = page.locator('dl.metrics dd');
    await expect.poll(() => metrics.allTextContents()).toEqual(['1m', '3m', '21m', '1h 2m']);
    // A second tab of the same person: one row that counts two tabs.
    const second = await page.context().newPage();
    await second.goto(`${incidentUrl()}?token=${f.token}`);
    await second.locator('[data-connection="live"]').waitFor();
    const row = page.locator('[data-person="presence:bootstrap admin"]');
    await row.getByText('2 tabs').waitFor();
    expect(await page.locator('[data-person^="presence:bootstrap admin"]').count()).toBe(1);
    await page.locator('[data-person="priya"]').getByText('claude-code').waitFor();
    await second.close();
    await row.getByText('1 tab').waitFor();
  });

  it('is usable by keyboard: every control is a tab stop with a visible focus, the feed moves with arrow keys', async () => {
    await page.goto(incidentUrl());
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByTestId('rules-headline').waitFor();
    // Walk the page with Tab; each stop must show a focus ring.
    const stops: { key: string; ring: boolean }[] = [];
    await page.getByRole('link', { name: 'sitrep' }).focus(); // the first control; then Tab on
    for (let i = 0; i < 120; i++) {
      if (i > 0) await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const ring =
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        el.dataset.tabStop = '1';
        return {
          key: `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}`,
          ring,
        };
      });
      if (!stop) break;
      if (stops.length && stops[0]?.key === stop.key) break; // wrapped round
      stops.push(stop);
    }
    expect(stops.length).toBeGreaterThan(30);
    expect(stops.filter((s) => !s.ring)).toEqual([]);
    const unreachable = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('a[href], button, select, input, summary, [tabindex="0"]')]
        .filter((el) => el.offsetParent !== null && !el.closest('dialog:not([open])') && !el.dataset.tabStop)
        .map((el) => `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}`),
    );
    expect(unreachable).toEqual([]);
    // The feed: End, ArrowUp, Enter opens that entry; Home goes to the first.
    const feed = page.getByRole('listbox', { name: /Entries/ });
    await feed.focus();
    await page.keyboard.press('End');
    const last = DEMO_ENTRIES.at(-1) as Entry;
    const beforeLast = DEMO_ENTRIES.at(-2) as Entry;
    await expect.poll(() => feed.getAttribute('aria-activedescendant')).toBe(`feed-row-${last.id}`);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => feed.getAttribute('aria-activedescendant')).toBe(`feed-row-${beforeLast.id}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toBe(entryUrl(beforeLast.id));
    await entryDialog().getByText('Bridge: rollback approved').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toBe(incidentUrl());
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')))
      .toBe('listbox');
    await page.keyboard.press('Home');
    await expect
      .poll(() => feed.getAttribute('aria-activedescendant'))
      .toBe(`feed-row-${(DEMO_ENTRIES[0] as Entry).id}`);
  });

  it('fits a phone: nothing overlaps or is cut, no horizontal scroll, headline, connection state and feed first', async () => {
    await page.setViewportSize(SIZES.phone);
    await page.goto(incidentUrl());
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByTestId('rules-headline').waitFor();
    await page.getByText('Incident resolved').waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    const top = async (locator: ReturnType<Page['locator']>) =>
      (await locator.boundingBox())?.y ?? Number.NaN;
    const order = [
      await top(page.locator('[data-connection]')),
      await top(page.getByTestId('rules-headline')),
      await top(page.getByRole('listbox', { name: /Entries/ })),
      await top(page.getByRole('heading', { name: 'Theories' })),
      await top(page.getByRole('heading', { name: 'Timeline' })),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[2]).toBeLessThan(SIZES.phone.height * 1.5); // the feed within the first screen and a half
    await page.locator(`[data-entry-id="${deploy.id}"]`).click();
    await entryDialog().getByRole('heading', { name: deploy.title }).waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toBe(incidentUrl());
  });

  it(
    'has no serious or critical axe violation and no layout fault on the list, the incident ' +
      'and an entry, light and dark, desktop and phone',
    async () => {
      const found: string[] = [];
      for (const [size, viewport] of Object.entries(SIZES)) {
        for (const scheme of ['light', 'dark'] as const) {
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme: scheme });
          const name = `first-minute-${size}-${scheme}`;
          await page.goto(`${f.server.url}/#/`);
          await page.getByRole('link', { name: 'Checkout latency spike after deploy' }).waitFor();
          found.push(...(await axeProblems(page)).map((v) => `${name} list: ${v}`));
          found.push(...(await layoutProblems(page)).map((v) => `${name} list: ${v}`));
          await shot(page, `${name}-list`);
          await page.goto(incidentUrl());
          await page.locator('[data-connection="live"]').waitFor();
          await page.getByText('Incident resolved').waitFor();
          found.push(...(await axeProblems(page)).map((v) => `${name} incident: ${v}`));
          found.push(...(await layoutProblems(page)).map((v) => `${name} incident: ${v}`));
          await shot(page, `${name}-incident`);
          if (size === 'phone')
            await page.screenshot({ path: new URL(`${name}-incident-first-screen.png`, SHOTS).pathname });
          await page.locator(`[data-entry-id="${rollback.id}"]`).click();
          await entryDialog().getByRole('heading', { name: rollback.title }).waitFor();
          found.push(...(await axeProblems(page)).map((v) => `${name} entry: ${v}`));
          found.push(...(await layoutProblems(page)).map((v) => `${name} entry: ${v}`));
          await page.screenshot({ path: new URL(`${name}-entry.png`, SHOTS).pathname });
          await page.keyboard.press('Escape');
          await expect.poll(() => page.url()).toBe(incidentUrl());
        }
      }
      expect(found).toEqual([]);
    },
  );
});
