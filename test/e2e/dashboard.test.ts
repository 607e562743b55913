// The dashboard end to end in headless Chromium (Debian's, driven by playwright-core) against a
// real server: sign in from a link, the incident list, the demo incident's board, entries pushed
// from the CLI, the SDK and a stock y-websocket client appearing live, a rejection moving a theory, a
// server restart the page rides through, roles hiding controls, and 10,000 entries scrolling.
// Screenshots of the main screens go to test-output/screenshots.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, entriesMap } from '@sitrep/shared';
import { NodeClient } from '@sitrep/shared/node';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTRIES, DEMO_INCIDENT_ID, seedDemo } from '../../server/src/demo.js';
import { createLogger } from '../../server/src/log.js';
import { runCli } from '../support/cli.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const DIST = new URL('../../web/dist/index.html', import.meta.url);

let f: Fixture;
let browser: Browser;
let state: string;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
}

async function open(path: string, token: string, opts: { dark?: boolean; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: 1000 }, colorScheme: opts.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  await page.goto(`${f.server.url}/#token=${token}`);
  await page.getByText('signed in as').waitFor();
  if (path) await page.goto(`${f.server.url}/${path}`);
  return page;
}

const theoryColumn = (page: Page, id: string) => page.locator(`[data-theory="${id}"]`).getAttribute('data-state');

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error('web/dist is missing: run `pnpm build` (pnpm test does) before the dashboard tests');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/prereqs.sh does)`);
  await mkdir(SHOTS, { recursive: true });
  f = await startFixture('pglite');
  state = await mkdtemp(join(tmpdir(), 'sitrep-e2e-'));
  await seedDemo(f.server.store, f.server.rooms, createLogger('silent'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
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
    // By keyboard: Enter on a theory's title selects it in the feed, Space on its rejection's id that.
    const rejection = DEMO_ENTRIES.find((e) => e.kind === 'rejection' && e.refs?.includes(processor.id))!;
    await dark.locator(`[data-theory="${processor.id}"] button.title`).focus();
    await dark.keyboard.press('Enter');
    await dark.locator(`[data-entry-id="${processor.id}"].selected`).waitFor();
    await dark.getByRole('button', { name: `Show cited entry ${rejection.id}` }).first().focus();
    await dark.keyboard.press('Space');
    await dark.locator(`[data-entry-id="${rejection.id}"].selected`).waitFor();
    await dark.context().close();
  });

  it('shows entries pushed from the CLI and from a stock client live, and a rejection moves a theory', async () => {
    const { incident } = await f.api.createIncident({ title: 'Live push' });
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.locator('[data-connection="live"]').waitFor();
    const env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
    const pushed = await runCli(['push', incident.id, '--kind', 'theory', '--title', 'DNS resolver saturated', '--body', 'resolver p99 up'], { env });
    expect(pushed.code).toBe(0);
    await page.getByText('DNS resolver saturated').first().waitFor();
    const client = connectProvider(f.server.url, incident.id, f.token);
    await synced(client);
    const finding = makeEntry('finding', { body: 'queries to 10.0.0.2 time out after 5 s' });
    entriesMap(client.doc).set(finding.id, finding);
    await page.getByText('queries to 10.0.0.2 time out').waitFor();
    const sdk = new NodeClient({ url: f.server.url, token: f.token, incident: incident.id, author: { id: 'claude-1', name: 'Claude (Ana)', kind: 'harness', harness: 'claude-code' }, stateDir: state });
    expect((await sdk.push([{ kind: 'finding', body: 'the SDK says: resolver cache hit rate fell to 3%' }])).durable).toHaveLength(1);
    await page.getByText('resolver cache hit rate fell to 3%').waitFor();
    const theory = (await f.api.listEntries(incident.id, { kind: 'theory' })).entries[0]!;
    await waitFor(async () => (await theoryColumn(page, theory.id)) === 'open', 'the open theory');
    await runCli(['push', incident.id, '--kind', 'rejection', '--refs', theory.id, '--body', 'resolver is healthy', '--rationale', 'p99 is 2 ms'], { env });
    await waitFor(async () => (await theoryColumn(page, theory.id)) === 'rejected', 'the theory to move to rejected');
    await shot(page, 'live-push');
    client.destroy();
    await page.context().close();
  });

  it('rides through a server restart: reconnecting, then live again with nothing lost', async () => {
    const { incident } = await f.api.createIncident({ title: 'Restart' });
    await f.api.appendEntries(incident.id, { entries: [makeEntry('finding', { body: 'before the restart' })] });
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByText('before the restart').waitFor();
    await f.restart();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    await new ApiClient(f.server.url, { token: f.token }).appendEntries(incident.id, { entries: [makeEntry('finding', { body: 'after the restart' })] });
    await page.getByText('after the restart').waitFor();
    await page.getByText('before the restart').waitFor();
    await page.getByRole('heading', { name: /Feed/ }).getByText('(2)').waitFor();
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
    await waitFor(async () => (await f.api.getIncident(incident.id)).incident.status === 'mitigating', 'the status on the server');
    await page.getByRole('button', { name: 'Pin' }).first().click();
    await waitFor(async () => (await f.api.view(incident.id)).timeline?.events.some((e) => e.key === decision.id && e.pinned), 'the pin in the timeline');
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
      await f.api.appendEntries(incident.id, { entries: Array.from({ length: 500 }, (_, k) => makeEntry('finding', { body: `finding number ${i + k}` })) });
    }
    const page = await open(`#/incidents/${incident.id}`, f.token);
    await page.getByRole('heading', { name: /Feed/ }).getByText('(10000)').waitFor({ timeout: 30_000 });
    const rows = await page.locator('[data-entry-id]').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(60);
    const scroller = page.getByRole('region', { name: 'Entries' });
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await page.getByText('finding number 0', { exact: true }).waitFor();
    const started = Date.now();
    for (let step = 1; step <= 20; step++) await scroller.evaluate((el, s) => (el.scrollTop = (el.scrollHeight * s) / 20), step);
    await page.getByText('finding number 9999', { exact: true }).waitFor();
    expect(Date.now() - started).toBeLessThan(10_000); // a sanity bound, not a benchmark
    await page.getByLabel('Search text').fill('number 4242');
    await page.getByText('finding number 4242', { exact: true }).waitFor();
    await shot(page, 'ten-thousand');
    await page.context().close();
  });
});
