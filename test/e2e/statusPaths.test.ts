// A status change stamps alike on every path (issue 27), on PGlite and Postgres, one server each:
// the same statuses (identified, monitoring, resolved, investigating again: a reopening, resolved
// again) set on four incidents at once, each through one path: `PATCH /api/incidents/:id` over
// HTTP, the `sitrep incident set` executable, a stock y-websocket client with a commander's token,
// and the dashboard's status control in headless Chromium. Every path gets the same milestones,
// stamped by the server while the change was under way, the reopening counted with the earlier
// times kept, the same figures and insights rows, and the same audit rows by its path and token.
import {
  ApiClient,
  type AuditRecord,
  type IncidentFiguresResponse,
  type IncidentMeta,
  type Status,
  metaMap,
  readMeta,
  span,
} from '@sitrep/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { connectProvider, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

type Stamp = 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'reopenedAt';

/** The statuses every path sets, in order, and the server's stamps each one calls for. */
const STEPS: readonly { status: Status; stamps: readonly Stamp[] }[] = [
  { status: 'identified', stamps: ['acknowledgedAt'] },
  { status: 'monitoring', stamps: ['mitigatedAt'] },
  { status: 'resolved', stamps: ['resolvedAt'] },
  { status: 'investigating', stamps: ['reopenedAt'] },
  { status: 'resolved', stamps: [] },
];

/** One way a commander changes the status: `set` returns once the path says it is done. */
interface Path {
  name: 'api' | 'cli' | 'stock client' | 'dashboard';
  /** What the audit says the change came by. */
  via: 'api' | 'socket';
  open(incident: string): Promise<{ set(status: Status): Promise<void>; close(): Promise<void> }>;
}

/** A step's time window: the stamps it calls for fall within it. */
interface Window {
  before: string;
  after: string;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(BACKENDS)('a status change stamps alike on every path (%s)', (backend) => {
  let t: Fixture;
  let commander: { token: string; id: string; api: ApiClient };

  beforeAll(async () => {
    t = await startFixture(backend);
    const made = await t.api.createToken({ role: 'commander', label: 'ic' });
    commander = {
      token: made.token,
      id: made.summary.id,
      api: new ApiClient(t.server.url, { token: made.token }),
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  const PATHS: Path[] = [
    {
      name: 'api',
      via: 'api',
      open: async (id) => ({
        set: async (status) => void (await commander.api.updateIncident(id, { status })),
        close: async () => {},
      }),
    },
    {
      name: 'cli',
      via: 'api',
      open: async (id) => ({
        async set(status) {
          const env = { SITREP_URL: t.server.url, SITREP_TOKEN: commander.token };
          const out = await runCli(['incident', 'set', id, '--status', status], { env });
          expect(out.code, out.stderr).toBe(0);
        },
        close: async () => {},
      }),
    },
    {
      name: 'stock client',
      via: 'socket',
      async open(id) {
        const p = connectProvider(t.server.url, id, commander.token);
        await synced(p);
        return {
          set: async (status) => void metaMap(p.doc).set('status', status),
          close: async () => p.destroy(),
        };
      },
    },
    {
      name: 'dashboard',
      via: 'socket',
      async open(id) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${t.server.url}/#token=${commander.token}`);
        await page.getByText('signed in as').waitFor();
        await page.goto(`${t.server.url}/#/incidents/${id}`);
        await page.locator('[data-connection="live"]').waitFor();
        const control = page.getByLabel('Status');
        return {
          async set(status) {
            await control.selectOption(status);
          },
          close: () => context.close(),
        };
      },
    },
  ];

  /** The incident's meta as the server's document holds it. */
  const metaOf = async (id: string) => readMeta((await t.server.rooms.open(id)).doc) as IncidentMeta;
  /** Whether the server's document shows a step done: its status and its stamps. */
  const done = (m: IncidentMeta, step: (typeof STEPS)[number]) =>
    m.status === step.status && step.stamps.every((k) => m[k]);

  /** Sets every step through one path, each once the last is stamped; the windows of the steps. */
  async function drive(path: Path, id: string): Promise<Window[]> {
    const through = await path.open(id);
    const windows: Window[] = [];
    try {
      for (const step of STEPS) {
        const before = new Date().toISOString();
        await through.set(step.status);
        await waitFor(
          async () => done(await metaOf(id), step),
          `${path.name}: ${step.status} and its stamps`,
          20_000,
        );
        windows.push({ before, after: new Date().toISOString() });
      }
    } finally {
      await through.close();
    }
    return windows;
  }

  /** The audit rows a path's steps call for: its change, then the server's stamps, by the commander. */
  const expectedAudit = (via: Path['via'], m: IncidentMeta) =>
    STEPS.flatMap((step) => {
      const change = [commander.id, via, { status: step.status }];
      if (step.stamps.length === 0) return [change];
      const set: Record<string, unknown> = {};
      for (const k of step.stamps) set[k] = m[k];
      if (step.stamps.includes('reopenedAt')) set.reopens = m.reopens;
      return [change, [commander.id, 'server', set]];
    });
  const auditOf = async (id: string) =>
    (await t.api.listAudit({ incident: id, action: 'incident.meta' })).records
      .reverse()
      .map((r: AuditRecord) => [r.tokenId, r.detail.via, r.detail.set]);

  /** A figures row with what differs between incidents by name or instant only: which times are there. */
  const shape = ({ id, title, declaredAt, month, times, durationMs, ...rest }: IncidentFiguresResponse) => ({
    ...rest,
    times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v === null ? null : 'stamped'])),
    durationMs: durationMs === null ? null : 'stamped',
  });

  it('gives the same milestones, figures, insights rows and audit rows for the API, the CLI, a stock client and the dashboard', {
    timeout: 180_000,
  }, async () => {
    const ids = new Map<Path, string>();
    for (const path of PATHS)
      ids.set(path, (await t.api.createIncident({ title: `set by ${path.name}` })).incident.id);
    const windows = await Promise.all(PATHS.map((path) => drive(path, ids.get(path) ?? '')));

    const figures: IncidentFiguresResponse[] = [];
    for (const [i, path] of PATHS.entries()) {
      const id = ids.get(path) ?? '';
      const m = await metaOf(id);
      const w = windows[i] ?? [];
      // Stamped by the server while its step was under way, each once, and kept through the reopening.
      STEPS.forEach((step, s) => {
        for (const k of step.stamps) {
          const at = m[k] ?? '';
          expect(at >= (w[s]?.before ?? '') && at <= (w[s]?.after ?? ''), `${path.name}: ${k} ${at}`).toBe(
            true,
          );
        }
      });
      expect([m.status, m.reopens], path.name).toEqual(['resolved', 1]);
      // The times follow the statuses: acknowledged, mitigated, resolved, then reopened.
      const order = [m.createdAt, m.acknowledgedAt, m.mitigatedAt, m.resolvedAt, m.reopenedAt];
      expect(order.every(Boolean), path.name).toBe(true);
      expect([...order].sort(), path.name).toEqual(order);

      // The figures are the stamps' durations from declaration (the meta mirrored to the row).
      const f = await waitFor(async () => {
        const f = await commander.api.figures(id);
        return f.status === 'resolved' && f.times.timeToResolveMs !== null ? f : null;
      }, `${path.name}: the figures`);
      expect(f.times, path.name).toEqual({
        timeToDetectMs: null,
        timeToAcknowledgeMs: span(m.createdAt, m.acknowledgedAt),
        timeToMitigateMs: span(m.createdAt, m.mitigatedAt),
        timeToResolveMs: span(m.createdAt, m.resolvedAt),
      });
      figures.push(f);

      // Audited: each change by its path, each stamp by the server for the commander's token.
      const want = expectedAudit(path.via, m);
      expect(
        await waitFor(async () => {
          const rows = await auditOf(id);
          return rows.length >= want.length ? rows : null;
        }, `${path.name}: the audit`),
        path.name,
      ).toEqual(want);
    }
    // One shape for all four: the same milestones there, none missing.
    for (const f of figures.slice(1))
      expect(shape(f), f.title).toEqual(shape(figures[0] as IncidentFiguresResponse));

    // The insights answer holds the same rows, and counts all four in every time's median.
    const insights = await commander.api.insights();
    expect(insights.rows).toEqual(figures.map(({ humans, harnesses, ...row }) => row));
    expect(insights.incidents.count).toBe(4);
    for (const k of ['timeToAcknowledgeMs', 'timeToMitigateMs', 'timeToResolveMs'] as const)
      expect(insights.incidents.times[k].n, k).toBe(4);
  });
});
