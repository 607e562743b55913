// The incident page's AI usage panel in headless Chromium: the harnesses' tokens and cost (by
// author) beside the summarizer's, from an OTLP export and a summarizer run on a real server.
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeProblems, launchChromium, layoutProblems } from '../support/browser.js';
import { type Fixture, startFixture } from '../support/server.js';

let f: Fixture;
let browser: Browser;
let incident: string;
const SHOTS = new URL('../../test-output/screenshots/', import.meta.url);

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

beforeAll(async () => {
  f = await startFixture('pglite');
  browser = await launchChromium();
  incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
  const { token } = await f.api.createToken({
    role: 'responder',
    label: 'Claude (Ana)',
    kind: 'harness',
    incidentId: incident,
  });
  const point = (type: string, value: number) => ({
    attributes: [attr('type', type), attr('model', 'claude-sonnet-4-5'), attr('session.id', 's1')],
    startTimeUnixNano: '1796478351000000000',
    timeUnixNano: '1796478351664000000',
    asDouble: value,
  });
  const res = await fetch(`${f.server.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [attr('service.name', 'claude-code')] },
          scopeMetrics: [
            {
              scope: { name: 'com.anthropic.claude_code' },
              metrics: [
                {
                  name: 'claude_code.token.usage',
                  unit: 'tokens',
                  sum: {
                    aggregationTemporality: 1,
                    isMonotonic: true,
                    dataPoints: [point('input', 120_000), point('output', 8_000)],
                  },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  await f.server.store.summaries.record({
    incidentId: incident,
    model: 'claude-sonnet-5-5',
    inputTokens: 9_000,
    outputTokens: 800,
    latencyMs: 2_000,
    watermark: null,
    view: null,
    error: null,
  });
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('AI usage panel', () => {
  it('shows the harnesses beside the summarizer, tokens and cost at list prices', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${f.server.url}/#token=${f.token}`);
    await page.goto(`${f.server.url}/#/incidents/${incident}`);
    const panel = page.locator('section.usage');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('Claude (Ana)');
    const text = (await panel.textContent()) ?? '';
    expect(text).toMatch(/Harnesses\s*128,000\s*\$0\.4800/);
    expect(text).toMatch(/Summarizer\s*9,800\s*\$0\.0390/);
    expect(text).toContain('Costs at list prices');
    await mkdir(SHOTS, { recursive: true });
    await panel.screenshot({ path: new URL('usage-panel.png', SHOTS).pathname });
    await page.screenshot({ path: new URL('usage-page.png', SHOTS).pathname });
    await page.close();
  });

  it.each([
    ['desktop-light', 1400, false],
    ['phone-dark', 390, true],
  ] as const)('reads well and passes axe and the layout check (%s)', async (name, width, dark) => {
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      colorScheme: dark ? 'dark' : 'light',
    });
    await page.goto(`${f.server.url}/#token=${f.token}`);
    await page.goto(`${f.server.url}/#/incidents/${incident}`);
    const panel = page.locator('section.usage');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('Claude (Ana)');
    await panel.scrollIntoViewIfNeeded();
    expect(await axeProblems(page), name).toEqual([]);
    expect(await layoutProblems(page), name).toEqual([]);
    await panel.screenshot({ path: new URL(`usage-panel-${name}.png`, SHOTS).pathname });
    await page.close();
  });
});
