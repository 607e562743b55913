// Outcome figures through real HTTP on PGlite and Postgres: a hand-computed set of incidents (meta
// times written by a commander's stock client, entries appended over the API, harness usage from
// a transcript report, a summarizer run) read back from GET /api/incidents/:id/figures and
// GET /api/insights; a private incident counted only for those who may read it; figures that
// follow appends and purges, and a change of a row's facts or privacy in the very next answer (the
// server keeps its answers); bad query parameters refused with 400.
import { ApiClient, type IncidentKind, type IncidentMeta, type Severity, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { connectProvider, synced } from '../support/clients.js';
import { bob, outcomeLog } from '../support/outcomeLog.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const MIN = 60_000;
const plus = (iso: string, min: number) => new Date(Date.parse(iso) + min * MIN).toISOString();

interface Planned {
  id: string;
  severity: Severity;
  kind?: IncidentKind;
  private?: boolean;
  detectedAt: string;
  /** Minutes from the impact's start (set by hand) to detection. */
  detect?: number;
  /** Minutes from detection to each milestone. */
  ack?: number;
  mitigated?: number;
  resolved?: number;
}

const PLAN: Planned[] = [
  {
    id: 'a',
    severity: 'SEV1',
    detectedAt: '2026-11-03T10:00:00.000Z',
    detect: 7,
    ack: 4,
    mitigated: 30,
    resolved: 60,
  },
  {
    id: 'b',
    severity: 'SEV1',
    detectedAt: '2026-11-20T08:00:00.000Z',
    ack: 10,
    mitigated: 90,
    resolved: 120,
  },
  { id: 'c', severity: 'SEV2', detectedAt: '2026-12-01T00:00:00.000Z', ack: 6 },
  { id: 'd', severity: 'SEV3', kind: 'drill', detectedAt: '2026-11-05T09:00:00.000Z', resolved: 30 },
  { id: 'p', severity: 'SEV1', private: true, detectedAt: '2026-11-10T00:00:00.000Z', ack: 1, resolved: 600 },
];

/** What a request answers: status and JSON body. */
async function get(f: Fixture, path: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${f.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe.each(BACKENDS)('insights (%s)', (backend) => {
  let f: Fixture;
  let viewer: ApiClient;
  let viewerToken: string;

  beforeAll(async () => {
    f = await startFixture(backend);
    viewerToken = (await f.api.createToken({ role: 'viewer', label: 'outsider' })).token;
    viewer = new ApiClient(f.server.url, { token: viewerToken });
    for (const p of PLAN) {
      await f.api.createIncident({
        id: p.id,
        title: `incident ${p.id}`,
        severity: p.severity,
        kind: p.kind ?? 'incident',
        detectedAt: p.detectedAt,
        private: p.private ?? false,
      });
      // The commander corrects the milestone times by hand, from a stock client.
      const provider = connectProvider(f.server.url, p.id, f.token);
      await synced(provider);
      const meta = provider.doc.getMap('meta');
      provider.doc.transact(() => {
        if (p.detect !== undefined) meta.set('startedAt', plus(p.detectedAt, -p.detect));
        if (p.ack !== undefined) meta.set('acknowledgedAt', plus(p.detectedAt, p.ack));
        if (p.mitigated !== undefined) meta.set('mitigatedAt', plus(p.detectedAt, p.mitigated));
        if (p.resolved !== undefined) meta.set('resolvedAt', plus(p.detectedAt, p.resolved));
      });
      await waitFor(
        async () =>
          (await f.api.figures(p.id)).times.timeToAcknowledgeMs === (p.ack ?? 0) * MIN || p.ack === undefined,
        `${p.id}'s meta mirrored`,
      );
      await waitFor(
        async () =>
          p.detect === undefined || (await f.api.figures(p.id)).times.timeToDetectMs === p.detect * MIN,
        `${p.id}'s impact start mirrored`,
      );
      await waitFor(
        async () =>
          p.resolved === undefined || (await f.api.figures(p.id)).times.timeToResolveMs === p.resolved * MIN,
        `${p.id}'s resolution mirrored`,
      );
      provider.destroy();
    }
    await f.api.appendEntries('a', {
      entries: outcomeLog((min) => plus('2026-11-03T10:00:00.000Z', min), newEntryId),
    });
    // Harness usage read from a transcript, and a summarizer run, at list prices:
    // a: 1M Sonnet input tokens = $3; b: 100k Sonnet output = $1.50; c: 1M Haiku input = $1.
    const sonnet = 'claude-sonnet-4-5-20250929';
    await f.api.reportUsage('a', {
      sessionId: 's1',
      messages: [
        { id: 'm1', model: sonnet, at: PLAN[0]?.detectedAt ?? '', tokens: tokens({ input: 1_000_000 }) },
      ],
    });
    await f.api.reportUsage('b', {
      sessionId: 's2',
      messages: [
        { id: 'm2', model: sonnet, at: PLAN[1]?.detectedAt ?? '', tokens: tokens({ output: 100_000 }) },
      ],
    });
    await f.server.store.summaries.record({
      incidentId: 'c',
      model: 'claude-haiku-4-5',
      inputTokens: 1_000_000,
      outputTokens: 0,
      latencyMs: 1,
      watermark: null,
      view: null,
      error: null,
    });
  }, 60_000);
  afterAll(() => f?.close());

  it("gives an incident's figures: times, entries by kind and author, theories, AI cost", async () => {
    const a = await viewer.figures('a');
    expect(a).toMatchObject({
      id: 'a',
      severity: 'SEV1',
      declaredAt: '2026-11-03T10:00:00.000Z',
      month: '2026-11',
      times: {
        timeToDetectMs: 7 * MIN,
        timeToAcknowledgeMs: 4 * MIN,
        timeToMitigateMs: 30 * MIN,
        timeToResolveMs: 60 * MIN,
      },
      durationMs: 60 * MIN,
      entries: { total: 9, byAuthorKind: { human: 6, harness: 3 } },
      theories: { raised: 3, rejected: 2, reopened: 1, confirmed: 1 },
      timeToConfirmedTheoryMs: 20 * MIN,
      timeToFirstDecisionMs: 20 * MIN,
      humans: [
        { id: 'alice', name: 'Alice', entries: 3 },
        { id: 'bob', name: 'Bob', entries: 3 },
      ],
      harnesses: [
        { harness: 'claude-code', entries: 2 },
        { harness: 'codex', entries: 1 },
      ],
    });
    expect(a.entries.byKind).toMatchObject({
      theory: 3,
      finding: 2,
      rejection: 2,
      decision: 1,
      note: 1,
      gap: 0,
    });
    expect(a.ai.costUsd).toBeCloseTo(3);
    expect(a.ai.harness).toMatchObject({ sessions: 1, tokens: { input: 1_000_000 } });
    const c = await viewer.figures('c');
    expect(c.ai.summarizer).toMatchObject({ runs: 1, tokens: { input: 1_000_000 } });
    expect(c.ai.costUsd).toBeCloseTo(1);
  });

  it('gives counts, median and p90 by severity and month, AI cost per incident and hour, drills apart', async () => {
    const out = await viewer.insights();
    expect(out.rows.map((r) => r.id)).toEqual(['a', 'd', 'b', 'c']); // declared earliest first; no p
    const inc = out.incidents;
    expect(inc.count).toBe(3);
    expect(inc.bySeverity.SEV1.count).toBe(2);
    expect(inc.bySeverity.SEV2.count).toBe(1);
    expect(inc.times.timeToResolveMs).toEqual({ n: 2, medianMs: 90 * MIN, p90Ms: 114 * MIN });
    expect(inc.times.timeToAcknowledgeMs.medianMs).toBe(6 * MIN);
    // Only a's impact start is known: detected 7 minutes after it.
    expect(inc.times.timeToDetectMs).toEqual({ n: 1, medianMs: 7 * MIN, p90Ms: 7 * MIN });
    expect(inc.times.timeToAcknowledgeMs.p90Ms).toBeCloseTo(9.2 * MIN);
    expect(inc.bySeverity.SEV1.times.timeToAcknowledgeMs.medianMs).toBe(7 * MIN);
    expect(inc.byMonth.map((m) => [m.month, m.severity, m.count])).toEqual([
      ['2026-11', 'SEV1', 2],
      ['2026-12', 'SEV2', 1],
    ]);
    expect(inc.ai.costUsd).toBeCloseTo(5.5);
    expect(inc.ai.perIncidentUsd).toBeCloseTo(5.5 / 3);
    expect(inc.ai.perIncidentHourUsd).toBeCloseTo(4.5 / 3); // a: $3 over 1 h, b: $1.50 over 2 h
    expect(inc.theories).toMatchObject({ raised: 3, rejected: 2, perIncident: 1, rejectedShare: 2 / 3 });
    expect(out.drills.count).toBe(1);
    expect(out.drills.times.timeToResolveMs.medianMs).toBe(30 * MIN);
  });

  it('filters by time, severity and kind', async () => {
    const nov = await viewer.insights({ from: '2026-11-01', to: '2026-12-01' });
    expect(nov.rows.map((r) => r.id)).toEqual(['a', 'd', 'b']);
    const sev2 = await viewer.insights({ severity: 'SEV2,SEV3' });
    expect(sev2.rows.map((r) => r.id)).toEqual(['d', 'c']);
    const drills = await viewer.insights({ kind: 'drill' });
    expect(drills.rows.map((r) => r.id)).toEqual(['d']);
    expect(drills.incidents.count).toBe(0);
  });

  it('counts a private incident only for those who may read it', async () => {
    const admin = await f.api.insights();
    expect(admin.rows.map((r) => r.id)).toEqual(['a', 'd', 'p', 'b', 'c']);
    expect(admin.incidents.bySeverity.SEV1.count).toBe(3);
    const outsider = await get(f, '/api/insights?severity=SEV1', viewerToken);
    expect(JSON.stringify(outsider.body)).not.toContain('"p"');
    expect(await get(f, '/api/incidents/p/figures', viewerToken)).toMatchObject({
      status: 404,
      body: { error: { code: 'incident.not_found' } },
    });
    const isolated = await f.api.createToken({
      role: 'viewer',
      label: 'auditor',
      incidentId: 'b',
      isolated: true,
    });
    const own = await new ApiClient(f.server.url, { token: isolated.token }).insights();
    expect(own.rows.map((r) => r.id)).toEqual(['b']);
  });

  it('follows appends and purges', async () => {
    const late = {
      v: 1,
      id: newEntryId(),
      kind: 'theory',
      title: 'Late',
      body: 'late',
      author: bob,
      at: new Date().toISOString(),
    } as const;
    await f.api.appendEntries('a', { entries: [late] });
    expect((await viewer.figures('a')).theories.raised).toBe(4);
    expect((await viewer.insights()).incidents.theories.raised).toBe(4);
    await f.api.purgeEntry('a', late.id, 'test');
    expect((await viewer.figures('a')).entries.total).toBe(9);
    expect((await viewer.insights()).incidents.theories.raised).toBe(3);
  });

  it('answers sitrep insights as a table, JSON and CSV, and names a bad flag', async () => {
    const env = { SITREP_URL: f.server.url, SITREP_TOKEN: viewerToken };
    // Four runs that read only, at once.
    const run = (...args: string[]) => runCli(args, { env });
    const [text, json, csv, bad] = await Promise.all([
      run('insights', '--kind', 'incident'),
      run('insights', '--json', '--from', '2026-11-01', '--to', '2026-12-01'),
      run('insights', '--csv', '--severity', 'SEV1'),
      run('insights', '--from', 'yesterday'),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Incidents: 3');
    expect(text.stdout).toMatch(/SEV1\s+2\s+7m \/ 9m\s+1h 0m \/ 1h 24m\s+1h 30m \/ 1h 54m/);
    expect(JSON.parse(json.stdout)).toEqual(await viewer.insights({ from: '2026-11-01', to: '2026-12-01' }));
    expect(
      csv.stdout
        .trim()
        .split('\r\n')
        .map((l) => l.split(',')[0]),
    ).toEqual(['id', 'a', 'b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('from');
  });

  it('sums usage recorded after the sums were kept into the next answer', async () => {
    const before = await viewer.figures('b'); // b's sums are kept now: $1.50
    expect(before.ai.costUsd).toBeCloseTo(1.5);
    const kept = (await viewer.insights()).incidents.ai.costUsd;
    await f.api.reportUsage('b', {
      sessionId: 's2',
      messages: [
        {
          id: 'm3',
          model: 'claude-sonnet-4-5-20250929',
          at: plus(PLAN[1]?.detectedAt ?? '', 5),
          tokens: tokens({ input: 500_000 }),
        },
      ],
    });
    const after = (await viewer.figures('b')).ai;
    expect(after.harness).toMatchObject({ sessions: 1, tokens: { input: 500_000, output: 100_000 } });
    expect(after.costUsd).toBeCloseTo(3);
    await f.server.store.summaries.record({
      incidentId: 'b',
      model: 'claude-haiku-4-5',
      inputTokens: 1_000_000,
      outputTokens: 0,
      latencyMs: 1,
      watermark: null,
      view: null,
      error: null,
    });
    expect((await viewer.insights()).incidents.ai.costUsd).toBeCloseTo(kept + 1.5 + 1);
    expect((await viewer.figures('b')).ai.summarizer.runs).toBe(1);
  });

  it('answers a change of an incident row in the very next request, kept answers or not', async () => {
    // The first read may bring kept figures up to date (their keys change); the second is kept as read.
    await viewer.insights();
    const kept = await viewer.insights();
    const c = kept.rows.find((r) => r.id === 'c');
    if (!c) throw new Error('c is not counted');
    // What the room's mirror writes after the log grew: the row's facts change, its log position not.
    const meta = (severity: Severity, title: string, ackMin: number): IncidentMeta => ({
      title,
      severity,
      status: c.status,
      kind: c.kind,
      createdAt: c.declaredAt,
      detectedAt: c.declaredAt,
      acknowledgedAt: plus(c.declaredAt, ackMin),
    });
    await f.server.store.updateIncidentMeta('c', meta('SEV4', 'renamed', 9));
    const next = await viewer.insights();
    expect(next.rows.find((r) => r.id === 'c')).toMatchObject({
      severity: 'SEV4',
      title: 'renamed',
      times: { timeToAcknowledgeMs: 9 * MIN },
    });
    expect(next.incidents.bySeverity.SEV4.count).toBe(1);
    // Made private: gone from the next answer of a token that may not read it.
    await f.server.store.setPrivate('c', true, (await f.api.me()).tokenId);
    expect((await viewer.insights()).rows.map((r) => r.id)).toEqual(['a', 'd', 'b']);
    await f.server.store.setPrivate('c', false, (await f.api.me()).tokenId);
    await f.server.store.updateIncidentMeta('c', meta(c.severity, c.title, 6));
    expect(await viewer.insights()).toEqual(kept);
  });

  it.each([
    ['from=yesterday'],
    ['to=2026-13-01'],
    ['from=0000-01-01'],
    ['to=0000-12-31T12:00:00Z'],
    ['severity=SEV9'],
    ['kind=outage'],
    ['from=2026-12-01&to=2026-11-01'],
    ['limit=5'],
  ])('refuses ?%s with 400 and counts nothing', async (q) => {
    const res = await get(f, `/api/insights?${q}`, viewerToken);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'request.invalid' } } });
  });
});

function tokens(t: Partial<Record<'input' | 'output', number>>) {
  return { input: t.input ?? 0, output: t.output ?? 0, cacheRead: 0, cacheCreation: 0 };
}
