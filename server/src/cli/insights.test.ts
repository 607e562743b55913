import {
  type AiFigures,
  InsightsQuery,
  NO_TOKENS,
  entryFigures,
  incidentFigures,
  insightsOf,
} from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { insightsCsv, insightsText } from './insights.js';

const ai = (costUsd: number): AiFigures => ({
  tokens: { ...NO_TOKENS, input: 1000, output: 10 },
  costUsd,
  summarizer: { tokens: NO_TOKENS, costUsd: 0, runs: 0 },
  harness: { tokens: { ...NO_TOKENS, input: 1000, output: 10 }, costUsd, sessions: 1 },
  unpriced: [],
});

const answer = insightsOf(InsightsQuery.parse({}), [
  incidentFigures(
    {
      id: 'checkout',
      title: 'Checkout "down", again',
      severity: 'SEV1',
      status: 'resolved',
      kind: 'incident',
      createdAt: '2026-11-03T10:00:00.000Z',
      acknowledgedAt: '2026-11-03T10:04:00.000Z',
      resolvedAt: '2026-11-03T11:30:00.000Z',
    },
    entryFigures([]),
    ai(3),
  ),
  incidentFigures(
    {
      id: 'fire-drill',
      title: 'Drill',
      severity: 'SEV3',
      status: 'investigating',
      kind: 'drill',
      createdAt: '2026-11-05T09:00:00.000Z',
    },
    entryFigures([]),
    ai(0.5),
  ),
]);

describe('sitrep insights', () => {
  it('prints a table by severity per kind and a line per incident', () => {
    const text = insightsText(answer);
    expect(text).toContain('Incidents: 1');
    expect(text).toMatch(/SEV1\s+1\s+4m \/ 4m\s+—\s+1h 30m \/ 1h 30m/);
    expect(text).toContain('AI cost $3.00 (list prices): $3.00 per incident, $2.00 per hour of incident');
    expect(text).toContain('Drills: 1');
    expect(text).toMatch(/checkout\s+SEV1\s+2026-11-03\s+4m\s+—\s+1h 30m\s+0\s+\$3\.00/);
    expect(text).toMatch(/fire-drill\s+SEV3 drill/);
  });

  it('writes one CSV row per incident, quoting as RFC 4180 says', () => {
    const lines = insightsCsv(answer).split('\r\n');
    expect(lines[0]).toMatch(/^id,title,kind,severity,status,declared_at,time_to_detect_ms,/);
    expect(lines[1]).toBe(
      'checkout,"Checkout ""down"", again",incident,SEV1,resolved,2026-11-03T10:00:00.000Z,,240000,,5400000,,,0,0,0,0,0,0,0,1010,3',
    );
    expect(lines).toHaveLength(3);
  });
});
