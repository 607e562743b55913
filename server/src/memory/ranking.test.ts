import type { Entry } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { GENERIC_WEIGHT, TERM_WEIGHT, causeTerms, causeTexts, termWeight } from './ranking.js';

let n = 0;
const entry = (kind: Entry['kind'], fields: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: `01JE${String(++n).padStart(22, '0')}`,
  kind,
  body: `${kind} ${n}`,
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: '2026-06-01T00:00:00.000Z',
  ...fields,
});

describe('ranking', () => {
  it('counts a generic word (latency, deploy, errors) a fraction of a word, in a pair too', () => {
    expect(termWeight({ kind: 'word', text: 'coredns', query: 'coredns' })).toBe(TERM_WEIGHT.word);
    expect(termWeight({ kind: 'word', text: 'latency', query: 'latency' })).toBe(GENERIC_WEIGHT);
    expect(termWeight({ kind: 'pair', text: 'deploy errors', query: 'deploy error' })).toBe(
      GENERIC_WEIGHT ** 2,
    );
    expect(termWeight({ kind: 'pair', text: 'coredns errors', query: 'coredn error' })).toBe(GENERIC_WEIGHT);
    expect(termWeight({ kind: 'service', text: 'api-gateway', query: 'api-gateway' })).toBe(
      TERM_WEIGHT.service,
    );
  });

  it('reads an incident cause from its confirmed theories and the decisions that ref them', () => {
    const cause = entry('theory', { title: 'CoreDNS throttled', body: 'two replicas for 170 nodes' });
    const wrong = entry('theory', { title: 'ledger-svc is down', body: 'it is named in the errors' });
    const entries = [
      cause,
      wrong,
      entry('rejection', { refs: [wrong.id], rationale: 'it answers' }),
      entry('decision', { title: 'Confirmed', body: 'throttling', refs: [cause.id], tags: ['confirms'] }),
      entry('decision', {
        title: 'Scale CoreDNS',
        body: 'six replicas',
        refs: [cause.id],
        rationale: 'quick',
      }),
      entry('decision', { title: 'Freeze deploys', body: 'until Monday', rationale: 'calm' }),
    ];
    const texts = causeTexts(entries).map((t) => t.text);
    expect(texts).toEqual(
      expect.arrayContaining(['CoreDNS throttled', 'Confirmed', 'Scale CoreDNS', 'quick']),
    );
    expect(texts.join(' ')).not.toMatch(/ledger-svc|Freeze|it answers/);
  });

  it('looks for a cause by its errors and words, not by the services it names', () => {
    const terms = causeTerms([{ text: 'notif-sender OOMKilled: an unbounded template cache', weight: 2 }]);
    expect(terms.map((t) => t.kind)).not.toContain('service');
    expect(terms.map((t) => t.text)).toEqual(
      expect.arrayContaining(['OOMKilled', 'unbounded', 'template cache']),
    );
  });
});
