// The dashboard in headless Chromium under the policy the server itself sends (no injected
// header): the demo incident goes live with no CSP violation, and its websocket's URL holds no
// token (sitrep's own client sends it as a subprotocol); each feed row says which token its
// entry came through and flags an entry dated far from its arrival.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { ApiClient } from '@sitrep/shared';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INCIDENT_ID, seedDemo } from '../../server/src/demo.js';
import { createLogger } from '../../server/src/log.js';
import { childEnv } from '../support/childEnv.js';
import { makeEntry } from '../support/clients.js';
import { type Fixture, startFixture } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);
let f: Fixture;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(new URL('../../web/dist/index.html', import.meta.url)))
    throw new Error('web/dist is missing: run `pnpm build` first');
  f = await startFixture('pglite');
  await seedDemo(f.server.store, f.server.rooms, createLogger('silent'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: childEnv(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('the dashboard under its own policy', () => {
  it('goes live with no CSP violation and no token in the websocket URL', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
      );
    });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const served = await page.goto(`${f.server.url}/#token=${f.token}`);
    expect(served?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('signed in as').waitFor();
    await page.goto(`${f.server.url}/#/incidents/${DEMO_INCIDENT_ID}`);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByRole('heading', { name: /Feed/ }).getByText('(12)').waitFor();
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(url).not.toContain('token');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await context.close();
  });

  it('shows in each feed row the token an entry came through, and flags one dated far from its arrival', async () => {
    const { incident } = await f.api.createIncident({ title: 'Who wrote this' });
    const { token } = await f.api.createToken({ role: 'responder', label: 'ops-laptop' });
    const backdated = makeEntry('decision', {
      title: 'Roll back',
      author: { id: 'sam', name: 'Sam Okafor', kind: 'human' },
      at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    });
    await new ApiClient(f.server.url, { token }).appendEntries(incident.id, {
      entries: [makeEntry('finding', { body: 'pool at 100/100' }), backdated],
    });
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await page.goto(`${f.server.url}/#token=${f.token}`);
    await page.getByText('signed in as').waitFor();
    await page.goto(`${f.server.url}/#/incidents/${incident.id}`);
    const row = page.locator(`[data-entry-id="${backdated.id}"]`);
    await row.getByText('via ops-laptop').waitFor();
    expect(await row.locator('.skew').getAttribute('title')).toBe('dated 3h 0m before it arrived');
    expect(await page.locator('.via').count()).toBe(2);
    await mkdir(SHOTS, { recursive: true });
    await page
      .locator('.feed')
      .first()
      .screenshot({ path: new URL('feed-receipts.png', SHOTS).pathname });
    await page.context().close();
  });
});
