import { describe, expect, it } from 'vitest';
import type { Entry } from './entry.js';
import type { RelatedIncident } from './memory.js';
import { rejectedBefore, theoriesMatch, theoryWords } from './seenBefore.js';

const same = (a: string, b: string) => theoriesMatch(theoryWords(a), theoryWords(b));

let n = 0;
const theory = (title: string): Entry => ({
  v: 1,
  id: `01JE${String(++n).padStart(22, '0')}`,
  kind: 'theory',
  title,
  body: '',
  author: { id: 'ana', name: 'Ana', kind: 'harness' },
  at: '2026-06-01T00:00:00.000Z',
});
const related = (id: string, rejected: [Entry, string | null][]): RelatedIncident => ({
  incident: { id, title: `Incident ${id}`, status: 'resolved', severity: 'SEV2', kind: 'incident' },
  score: 1,
  why: { terms: [], services: [], errors: [] },
  outcome: {
    confirmed: [],
    rejected: rejected.map(([t, rationale]) => ({ theory: t, rationale })),
    decisions: [],
    openActions: [],
  },
});

describe('rejected before', () => {
  it('matches one theory worded differently', () => {
    expect(same('Node memory pressure is evicting the pods', 'pods evicted under node memory pressure')).toBe(
      true,
    );
    expect(same('The Kafka brokers are degraded', 'Kafka broker degrading')).toBe(true);
    expect(
      same("Last night's api-gateway deploy broke the upstream TLS settings", 'The deploy broke TLS'),
    ).toBe(true);
    expect(same('payments-db is overloaded', 'Overload on payments-db')).toBe(true);
    expect(same('The certificate expired', 'certificate expires at midnight')).toBe(true);
  });

  it('does not match theories that share only a generic word', () => {
    expect(same('The deploy added database calls', 'The deploy broke TLS')).toBe(false);
    expect(same('DNS resolution is slow', 'The cache is slow')).toBe(false);
    expect(same('A bad deploy', 'A bad feature flag')).toBe(false);
    expect(same('It is the network', 'It is the database')).toBe(false);
  });

  it('lists each past rejection that matches an open theory, most related incident first, each once', () => {
    const pressure = theory('Node memory pressure is evicting the pods');
    const deploy = theory('The new deploy leaks memory');
    const here = [
      theory('pods evicted by node memory pressure'),
      theory('a leak in the template cache'),
      theory('memory pressure on the node'),
    ];
    const found = rejectedBefore(
      [
        related('inc-a', [
          [deploy, 'memory flat before the deploy'],
          [pressure, 'Reason is OOMKilled, not Evicted'],
        ]),
        related('inc-b', [[theory('Evicting pods under node memory pressure'), null]]),
      ],
      here,
    );
    expect(found.map((r) => [r.incident.id, r.theory.title, r.rationale, r.matches])).toEqual([
      ['inc-a', pressure.title, 'Reason is OOMKilled, not Evicted', here[0]?.id],
      ['inc-b', 'Evicting pods under node memory pressure', null, here[0]?.id],
    ]);
    expect(rejectedBefore([related('inc-a', [[pressure, 'x']])], [])).toEqual([]);
  });
});
