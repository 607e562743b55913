// "Connect a harness" on the dashboard in headless Chromium against a real server: a commander
// names the responder, gets the token once and each harness's snippets with copy buttons; what
// the page shows is what the API built, and the token and hook URL copied from it work. Light and
// dark, desktop and phone, with screenshots in test-output/screenshots and no axe or layout faults.
import { mkdir } from 'node:fs/promises';
import { TOKEN_ENV } from '@sitrep/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { type HttpHook, postHttpHook } from '../support/harnessConfig.js';
import { hookJson } from '../support/hookInput.js';
import { type Fixture, startFixture } from '../support/server.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

let f: Fixture;
let browser: Browser;
let incident: string;
let commander: string;
let viewer: string;

async function incidentPage(token: string, opts: { dark?: boolean; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: 1000 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: f.server.url });
  const page = await context.newPage();
  await page.goto(`${f.server.url}/#token=${token}`);
  await page.getByText('signed in as').waitFor();
  await page.goto(`${f.server.url}/#/incidents/${incident}`);
  await page.getByRole('heading', { name: 'Checkout timeouts' }).waitFor();
  return page;
}

/** Opens the dialog, names the responder and waits for the answer. */
async function connect(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Connect a harness' }).click();
  await page.getByLabel("Responder's name").fill(name);
  await page.getByRole('button', { name: 'Make token and setup' }).click();
  await page.getByText('shown only now').waitFor();
}

const snippet = async (page: Page, title: string) =>
  (await page.getByRole('region', { name: title }).locator('pre').textContent()) ?? '';

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  f = await startFixture('pglite');
  incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
  commander = (await f.api.createToken({ role: 'commander', label: 'ic ana', incidentId: incident })).token;
  viewer = (await f.api.createToken({ role: 'viewer', label: 'watcher' })).token;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('connect a harness on the dashboard', () => {
  it('shows the token once and the snippets; copy gives them; the token and hook URL work', async () => {
    const page = await incidentPage(commander);
    await connect(page, 'Priya');
    const exportLine = await snippet(page, 'The token');
    const token = new RegExp(`^export ${TOKEN_ENV}='(sitrep_[^']+)'`).exec(exportLine)?.[1] ?? '';
    expect(token).not.toBe('');
    const listed = (await f.api.listTokens()).tokens.find((t) => t.name === 'Priya');
    expect(listed).toMatchObject({ role: 'responder', incidentId: incident, kind: 'harness' });

    // Copy puts the snippet on the clipboard, as shown.
    await page.getByRole('region', { name: 'The token' }).getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('region', { name: 'The token' }).getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(exportLine);

    // Claude Code first: its settings, copied, work with the token from the export line.
    const settingsText = await snippet(page, 'Hooks and telemetry');
    await page
      .getByRole('region', { name: 'Hooks and telemetry' })
      .getByRole('button', { name: 'Copy' })
      .click();
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(
      JSON.parse(settingsText),
    );
    expect(settingsText).not.toContain(token);
    const hook = JSON.parse(settingsText).hooks.SessionStart[0].hooks[0] as HttpHook;
    const res = await postHttpHook(hook, hookJson.SessionStart('s-dashboard'), { [TOKEN_ENV]: token });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Checkout timeouts');
    await page.screenshot({ path: new URL('connect-desktop-light.png', SHOTS).pathname });

    // Codex's setup, a click away, from the same answer (no second token).
    await page.getByRole('button', { name: 'Codex' }).click();
    expect(await snippet(page, 'MCP server')).toContain('bearer_token_env_var = "SITREP_TOKEN"');
    expect((await f.api.listTokens()).tokens.filter((t) => t.name === 'Priya')).toHaveLength(1);
    expect(await axeProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);

    // Closed, the token is gone from the page.
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.content()).not.toContain(token);
    await page.context().close();
  });

  it('reads on a phone and in the dark', async () => {
    for (const [name, opts] of [
      ['connect-phone-dark', { dark: true, width: 390 }],
      ['connect-phone-light', { width: 390 }],
      ['connect-desktop-dark', { dark: true }],
    ] as const) {
      const page = await incidentPage(commander, opts);
      await connect(page, `Sam ${name}`);
      expect(await axeProblems(page), name).toEqual([]);
      expect(await layoutProblems(page), name).toEqual([]);
      await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname });
      await page.context().close();
    }
  });

  it('says why when the server refuses, and a viewer has no such control', async () => {
    const page = await incidentPage(commander);
    await page.getByRole('button', { name: 'Connect a harness' }).click();
    // Past what the form allows, as a scripted or older page could send.
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('dialog input');
      if (input) input.removeAttribute('maxlength');
    });
    await page.getByLabel("Responder's name").fill('x'.repeat(81));
    await page.getByRole('button', { name: 'Make token and setup' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/name/);
    await page.context().close();

    const watching = await incidentPage(viewer);
    await watching.getByText('Commander:').waitFor();
    expect(await watching.getByRole('button', { name: 'Connect a harness' }).count()).toBe(0);
    await watching.context().close();
  });
});
