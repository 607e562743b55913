import { type Entry, newEntryId } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { OUTCOME_LIMIT, outcomeOf } from './outcome.js';

const author = { id: 'a', name: 'A', kind: 'human' } as const;
let n = 0;
const e = (kind: Entry['kind'], fields: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: newEntryId(Date.now() + n++),
  kind,
  body: `${kind} ${n}`,
  author,
  at: new Date().toISOString(),
  ...(kind === 'theory' ? { title: `theory ${n}` } : {}),
  ...fields,
});

describe('outcome of a past incident', () => {
  it('says the confirmed and rejected theories (with the rationale), decisions and open follow-ups', () => {
    const cause = e('theory');
    const deadEnd = e('theory');
    const reopened = e('theory');
    const rejection = e('rejection', { refs: [deadEnd.id], rationale: 'graphs flat' });
    const rejection2 = e('rejection', { refs: [reopened.id], body: 'no' });
    const revived = e('finding', { refs: [reopened.id] });
    const decision = e('decision', { refs: [cause.id], tags: ['confirms'] });
    const done = e('action');
    const open = e('action');
    const gap = e('gap');
    const answer = e('finding', { refs: [done.id] });
    const out = outcomeOf(
      [cause, deadEnd, reopened, rejection, rejection2, revived, decision, done, open, gap, answer],
      () => 0,
    );
    expect(out.confirmed).toEqual([cause]);
    expect(out.rejected).toEqual([{ theory: deadEnd, rationale: 'graphs flat' }]);
    expect(out.decisions).toEqual([decision]);
    expect(out.openActions.map((x) => x.id).sort()).toEqual([open.id, gap.id].sort());
  });

  it('takes the body for a rejection without rationale, and null when it has neither', () => {
    const t1 = e('theory');
    const out = outcomeOf([t1, e('rejection', { refs: [t1.id], body: 'not it' })], () => 0);
    expect(out.rejected[0]?.rationale).toBe('not it');
    const t2 = e('theory');
    expect(
      outcomeOf([t2, e('rejection', { refs: [t2.id], body: ' ' })], () => 0).rejected[0]?.rationale,
    ).toBeNull();
  });

  it('puts what is most relevant first, then the newest, at most OUTCOME_LIMIT', () => {
    const decisions = Array.from({ length: OUTCOME_LIMIT + 3 }, () => e('decision'));
    const special = decisions[2] as Entry;
    const out = outcomeOf(decisions, (x) => (x.id === special.id ? 1 : 0));
    expect(out.decisions).toHaveLength(OUTCOME_LIMIT);
    expect(out.decisions[0]).toBe(special);
    expect(out.decisions[1]).toBe(decisions.at(-1));
  });
});
