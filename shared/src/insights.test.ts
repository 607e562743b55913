import { describe, expect, it } from 'vitest';
import { outcomeLog } from '../../test/support/outcomeLog.js';
import type { IncidentMeta } from './incident.js';
import {
  type AiFigures,
  type IncidentFacts,
  InsightsQuery,
  InsightsResponse,
  aiFigures,
  entryFigures,
  incidentFigures,
  incidentMetrics,
  insightsOf,
  quantile,
} from './insights.js';
import { NO_TOKENS, type UsageResponse } from './usage.js';

const MIN = 60_000;
const t0 = Date.parse('2026-11-03T10:00:00Z');
const at = (min: number) => new Date(t0 + min * MIN).toISOString();
let n = 0;
const nextId = () => `01JD${String(++n).padStart(22, '0')}`;
const incidentA = () => outcomeLog(at, nextId);

const meta: IncidentMeta = {
  title: 'Checkout down',
  severity: 'SEV1',
  status: 'resolved',
  kind: 'incident',
  createdAt: at(3),
  startedAt: at(-5),
  detectedAt: at(0),
  acknowledgedAt: at(4),
  mitigatedAt: at(30),
  resolvedAt: at(60),
};

const ai = (costUsd: number): AiFigures => ({
  tokens: { ...NO_TOKENS, input: 1000 },
  costUsd,
  summarizer: { tokens: NO_TOKENS, costUsd: 0, runs: 0 },
  harness: { tokens: { ...NO_TOKENS, input: 1000 }, costUsd, sessions: 1 },
  unpriced: [],
});

const facts = (id: string, m: Partial<IncidentMeta>): IncidentFacts => ({
  id,
  title: id,
  severity: 'SEV1',
  status: 'resolved',
  kind: 'incident',
  createdAt: at(0),
  ...m,
});

describe('incident figures', () => {
  it('measures time to detect from impact start, the rest from detection', () => {
    expect(incidentMetrics(meta)).toEqual({
      startedAt: at(0),
      timeToDetectMs: 5 * MIN,
      timeToAcknowledgeMs: 4 * MIN,
      timeToMitigateMs: 30 * MIN,
      timeToResolveMs: 60 * MIN,
    });
    expect(
      incidentMetrics({ ...meta, startedAt: null, detectedAt: null, mitigatedAt: null }).timeToMitigateMs,
    ).toBeNull();
  });

  it('counts entries by kind, author kind, person and harness, and theories by fate', () => {
    const figures = entryFigures(incidentA());
    expect(figures).toEqual({
      total: 9,
      byKind: {
        finding: 2,
        theory: 3,
        rejection: 2,
        reopen: 0,
        decision: 1,
        dataset: 0,
        transcript: 0,
        gap: 0,
        action: 0,
        note: 1,
      },
      byAuthorKind: { human: 6, harness: 3 },
      humans: [
        { id: 'alice', name: 'Alice', entries: 3 },
        { id: 'bob', name: 'Bob', entries: 3 },
      ],
      harnesses: [
        { harness: 'claude-code', entries: 2 },
        { harness: 'codex', entries: 1 },
      ],
      // t1 rejected then revived by a finding; t2 confirmed; t3 rejected and left so.
      theories: { raised: 3, rejected: 2, reopened: 1, confirmed: 1 },
      firstDecisionAt: at(20),
      confirmedTheoryAt: at(20),
    });
  });

  it('times the confirmed theory and the first decision from declaration', () => {
    const row = incidentFigures({ ...meta, id: 'a' }, entryFigures(incidentA()), ai(2));
    expect(row).toMatchObject({
      declaredAt: at(0),
      month: '2026-11',
      durationMs: 60 * MIN,
      timeToConfirmedTheoryMs: 20 * MIN,
      timeToFirstDecisionMs: 20 * MIN,
      entries: { total: 9, byAuthorKind: { human: 6, harness: 3 } },
      theories: { raised: 3, rejected: 2, reopened: 1, confirmed: 1 },
    });
    const none = incidentFigures({ ...meta, id: 'b', resolvedAt: null }, entryFigures([]), ai(0));
    expect(none).toMatchObject({
      durationMs: null,
      timeToConfirmedTheoryMs: null,
      timeToFirstDecisionMs: null,
    });
  });

  it('adds the summarizer and the harnesses into one AI figure', () => {
    const tokens = { input: 100, output: 10, cacheRead: 1000, cacheCreation: 0 };
    const usage: UsageResponse = {
      incident: 'a',
      harness: [
        {
          author: { tokenId: 't', name: 'A' },
          model: 'm',
          sessions: 2,
          tokens,
          costUsd: 1.5,
          reportedCostUsd: null,
        },
      ],
      summarizer: [{ model: 'm', runs: 3, tokens: { ...NO_TOKENS, input: 50, output: 5 }, costUsd: 0.25 }],
      totals: {
        harness: { tokens, costUsd: 1.5 },
        summarizer: { tokens: { ...NO_TOKENS, input: 50, output: 5 }, costUsd: 0.25 },
      },
      unpriced: ['local-model'],
      prices: 'list',
    };
    expect(aiFigures(usage)).toEqual({
      tokens: { input: 150, output: 15, cacheRead: 1000, cacheCreation: 0 },
      costUsd: 1.75,
      summarizer: { tokens: { ...NO_TOKENS, input: 50, output: 5 }, costUsd: 0.25, runs: 3 },
      harness: { tokens, costUsd: 1.5, sessions: 2 },
      unpriced: ['local-model'],
    });
  });
});

describe('insights across incidents', () => {
  it('interpolates quantiles between closest ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([4, 6, 10], 0.9)).toBeCloseTo(9.2);
  });

  it('gives counts, median and p90 by severity and month, AI cost per incident and hour, drills apart', () => {
    const empty = entryFigures([]);
    const theories = entryFigures(incidentA());
    const day = (d: string, min: number) => new Date(Date.parse(d) + min * MIN).toISOString();
    const rows = [
      incidentFigures(
        facts('a', {
          detectedAt: '2026-11-03T10:00:00Z',
          acknowledgedAt: day('2026-11-03T10:00:00Z', 4),
          mitigatedAt: day('2026-11-03T10:00:00Z', 30),
          resolvedAt: day('2026-11-03T10:00:00Z', 60),
        }),
        theories,
        ai(2),
      ),
      incidentFigures(
        facts('b', {
          detectedAt: '2026-11-20T08:00:00Z',
          acknowledgedAt: day('2026-11-20T08:00:00Z', 10),
          mitigatedAt: day('2026-11-20T08:00:00Z', 90),
          resolvedAt: day('2026-11-20T08:00:00Z', 120),
        }),
        empty,
        ai(1),
      ),
      incidentFigures(
        facts('c', {
          severity: 'SEV2',
          status: 'identified',
          createdAt: '2026-12-01T00:00:00Z',
          acknowledgedAt: day('2026-12-01T00:00:00Z', 6),
        }),
        empty,
        ai(0.5),
      ),
      incidentFigures(
        facts('d', {
          kind: 'drill',
          severity: 'SEV3',
          createdAt: '2026-11-05T09:00:00Z',
          resolvedAt: day('2026-11-05T09:00:00Z', 30),
        }),
        theories,
        ai(0.1),
      ),
    ];
    const q = InsightsQuery.parse({});
    const out = InsightsResponse.parse(insightsOf(q, [...rows].reverse()));
    expect(out.rows.map((r) => r.id)).toEqual(['a', 'd', 'b', 'c']);

    const inc = out.incidents;
    expect(inc.count).toBe(3);
    expect(inc.times.timeToResolveMs).toEqual({ n: 2, medianMs: 90 * MIN, p90Ms: 114 * MIN });
    expect(inc.times.timeToAcknowledgeMs.n).toBe(3);
    expect(inc.times.timeToAcknowledgeMs.medianMs).toBe(6 * MIN);
    expect(inc.times.timeToAcknowledgeMs.p90Ms).toBeCloseTo(9.2 * MIN);
    expect(inc.times.timeToFirstDecisionMs).toEqual({ n: 1, medianMs: 20 * MIN, p90Ms: 20 * MIN });
    expect(inc.bySeverity.SEV1.count).toBe(2);
    expect(inc.bySeverity.SEV1.times.timeToAcknowledgeMs.medianMs).toBe(7 * MIN);
    expect(inc.bySeverity.SEV2.count).toBe(1);
    expect(inc.bySeverity.SEV3.count).toBe(0);
    expect(inc.bySeverity.SEV3.times.timeToResolveMs).toEqual({ n: 0, medianMs: null, p90Ms: null });
    expect(inc.byMonth.map((m) => [m.month, m.severity, m.count])).toEqual([
      ['2026-11', 'SEV1', 2],
      ['2026-12', 'SEV2', 1],
    ]);
    expect(inc.ai.costUsd).toBeCloseTo(3.5);
    expect(inc.ai.perIncidentUsd).toBeCloseTo(3.5 / 3);
    // Resolved: a ($2 over 1 h) and b ($1 over 2 h): $3 over 3 h.
    expect(inc.ai.perIncidentHourUsd).toBeCloseTo(1);
    expect(inc.ai.tokens.input).toBe(3000);
    expect(inc.theories).toEqual({
      raised: 3,
      rejected: 2,
      reopened: 1,
      confirmed: 1,
      perIncident: 1,
      rejectedShare: 2 / 3,
    });

    expect(out.drills.count).toBe(1);
    expect(out.drills.ai.costUsd).toBeCloseTo(0.1);
    expect(out.drills.times.timeToResolveMs.medianMs).toBe(30 * MIN);
  });

  it('answers an empty set with zero counts and no medians', () => {
    const out = insightsOf(InsightsQuery.parse({ kind: 'drill' }), []);
    expect(out.incidents.count).toBe(0);
    expect(out.incidents.ai.perIncidentUsd).toBeNull();
    expect(out.incidents.theories.rejectedShare).toBeNull();
    expect(out.query).toEqual({ from: null, to: null, severity: null, kind: 'drill' });
  });
});

describe('insights query', () => {
  it('reads days and times, severity lists and a kind', () => {
    expect(
      InsightsQuery.parse({
        from: '2026-11-01',
        to: '2026-12-01T00:00:00+01:00',
        severity: 'SEV1,SEV2',
        kind: 'drill',
      }),
    ).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
      severity: ['SEV1', 'SEV2'],
      kind: 'drill',
    });
  });

  it.each([
    [{ from: 'yesterday' }],
    [{ to: '2026-13-01' }],
    [{ severity: 'SEV5' }],
    [{ severity: '' }],
    [{ kind: 'outage' }],
    [{ from: '2026-12-01', to: '2026-11-01' }],
    [{ from: '2026-12-01', to: '2026-12-01' }],
    [{ limit: '5' }],
  ])('refuses %j', (q) => {
    expect(InsightsQuery.safeParse(q).success).toBe(false);
  });
});
