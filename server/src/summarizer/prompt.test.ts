import {
  type Entry,
  type IncidentMeta,
  buildDrillBoard,
  buildRulesView,
  questionEntries,
} from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { DRILL_SYSTEM_PROMPT, SCENARIO_BODY_CHARS, SYSTEM_PROMPT, buildSummaryRequest } from './prompt.js';

const author = { id: 'ic', name: 'Dana', kind: 'human' } as const;
const meta = (extra: Partial<IncidentMeta> = {}): IncidentMeta => ({
  title: 'Game day: public bucket',
  severity: 'SEV3',
  status: 'investigating',
  kind: 'drill',
  commander: null,
  createdAt: '2026-12-05T10:00:00.000Z',
  detectedAt: '2026-12-05T10:00:00.000Z',
  ...extra,
});

describe('summary request of a drill', () => {
  const gaps: Entry[] = questionEntries(author, new Date('2026-12-05T10:00:00Z'));
  const request = (m: IncidentMeta) =>
    buildSummaryRequest({
      meta: m,
      rules: buildRulesView(gaps),
      previous: null,
      drill: m.kind === 'drill' ? buildDrillBoard(gaps) : null,
      fresh: gaps,
      maxInputTokens: 12_000,
    });

  it('sends the drill prompt and the questions; an incident gets neither', () => {
    const drill = request(meta());
    expect(drill.system).toBe(DRILL_SYSTEM_PROMPT);
    expect(drill.user).toContain('"question":"What would be exposed?"');
    const incident = request(meta({ kind: 'incident' }));
    expect(incident.system).toBe(SYSTEM_PROMPT);
    expect(incident.user).not.toContain('"drill"');
  });

  it("cuts a long scenario's body, so a drill made from a 200 KB postmortem still fits the budget", () => {
    const body = 'The outage began when a config push... '.repeat(5_000);
    const scenario = { title: 'Bucket left public', body, fingerprint: `sha256:${'a'.repeat(64)}` };
    const r = request(meta({ scenario }));
    expect(r.included).toHaveLength(gaps.length);
    expect(r.estimatedTokens).toBeLessThanOrEqual(12_000);
    expect(r.user).toContain(body.slice(0, 200));
    expect(r.user.length).toBeLessThan(SCENARIO_BODY_CHARS + 20_000);
  });
});
