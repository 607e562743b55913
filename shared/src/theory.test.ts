import { describe, expect, it } from 'vitest';
import type { Entry } from './entry.js';
import { theoryStates } from './theory.js';

const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;
let clock = 0;
function entry(kind: Entry['kind'], extra: Partial<Entry> = {}): Entry {
  clock += 1;
  const id = `01JD${String(clock).padStart(22, '0')}`;
  return {
    v: 1,
    id,
    kind,
    body: `${kind} ${clock}`,
    author,
    at: new Date(clock * 1000).toISOString(),
    ...extra,
  };
}

describe('theory state', () => {
  it('is open for a theory with no support', () => {
    const t = entry('theory', { title: 'DNS' });
    expect(theoryStates([t])).toMatchObject([{ state: 'open', support: [], dismissedTooEarly: false }]);
  });

  it("applies an entry after the entries it refs, though a writer's clock made its id sort earlier", () => {
    const rejection = entry('rejection');
    const reopen = entry('reopen');
    const t = entry('theory', { title: 'Bad deploy' });
    rejection.refs = [t.id];
    const lateRejection = entry('rejection', { refs: [t.id] });
    reopen.refs = [lateRejection.id];
    expect(theoryStates([t, rejection])).toMatchObject([{ state: 'rejected', rejectedBy: rejection.id }]);
    expect(theoryStates([t, lateRejection, reopen])).toMatchObject([
      { state: 'reopened', rejectedBy: lateRejection.id, reopenedBy: reopen.id },
    ]);
  });

  it('applies each entry once when refs form a cycle, as one append may make', () => {
    const t = entry('theory', { title: 'Pool exhausted' });
    const finding = entry('finding');
    const rejection = entry('rejection', { refs: [t.id, finding.id] });
    finding.refs = [rejection.id];
    expect(theoryStates([t, finding, rejection])).toMatchObject([
      { state: 'rejected', rejectedBy: rejection.id },
    ]);
    const supported = entry('theory', { title: 'Bad deploy' });
    const support = entry('finding', { refs: [supported.id] });
    supported.refs = [support.id];
    expect(theoryStates([supported, support])).toMatchObject([{ state: 'leading', support: [support.id] }]);
  });

  it('marks the theory with the most supporting findings as leading', () => {
    const a = entry('theory', { title: 'A' });
    const b = entry('theory', { title: 'B' });
    const f1 = entry('finding', { refs: [a.id] });
    const f2 = entry('finding', { refs: [a.id] });
    const f3 = entry('finding', { refs: [b.id] });
    const states = theoryStates([a, b, f1, f2, f3]);
    expect(states.map((s) => [s.theory.title, s.state, s.support.length])).toEqual([
      ['A', 'leading', 2],
      ['B', 'open', 1],
    ]);
  });

  it('rejects a theory that a rejection refs', () => {
    const t = entry('theory', { title: 'cache' });
    const r = entry('rejection', { refs: [t.id], rationale: 'hit rate flat' });
    expect(theoryStates([t, r])[0]).toMatchObject({ state: 'rejected', rejectedBy: r.id });
  });

  it('reopens a rejected theory when a reopen refs the rejection', () => {
    const t = entry('theory', { title: 'cache' });
    const r = entry('rejection', { refs: [t.id] });
    const o = entry('reopen', { refs: [r.id] });
    expect(theoryStates([t, r, o])[0]).toMatchObject({
      state: 'reopened',
      reopenedBy: o.id,
      dismissedTooEarly: false,
    });
  });

  it('flags a rejected theory that a later finding supports as dismissed too early', () => {
    const t = entry('theory', { title: 'cache' });
    const r = entry('rejection', { refs: [t.id] });
    const f = entry('finding', { refs: [t.id] });
    const [s] = theoryStates([t, r, f]);
    expect(s).toMatchObject({ reopenedBy: f.id, dismissedTooEarly: true, support: [f.id] });
    expect(s?.state).toBe('leading');
  });

  it('confirms a theory that a decision tagged confirms refs, even if it was rejected before', () => {
    const t = entry('theory', { title: 'deploy' });
    const r = entry('rejection', { refs: [t.id] });
    const d = entry('decision', { refs: [t.id], tags: ['confirms'], rationale: 'rollback fixed it' });
    expect(theoryStates([t, r, d])[0]).toMatchObject({ state: 'confirmed', confirmedBy: d.id });
  });

  it('folds in id order whatever order it is given', () => {
    const t = entry('theory', { title: 'x' });
    const r = entry('rejection', { refs: [t.id] });
    const o = entry('reopen', { refs: [r.id] });
    expect(theoryStates([o, r, t])[0]?.state).toBe('reopened');
    // An incident with every rule, and entries that wait for what they ref (ids from slow clocks).
    const early = [entry('finding'), entry('finding'), entry('rejection'), entry('finding')];
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => entry('theory', { title })) as [
      Entry,
      Entry,
      Entry,
      Entry,
    ];
    early[0]!.refs = [a.id];
    early[1]!.refs = [a.id];
    early[2]!.refs = [b.id];
    early[3]!.refs = [b.id];
    const rest = [
      entry('finding', { refs: [c.id] }),
      entry('rejection', { refs: [c.id] }),
      entry('decision', { refs: [d.id], tags: ['confirms'], rationale: 'fixed' }),
      entry('finding', { refs: [a.id] }),
    ];
    const all = [a, b, c, d, ...early, ...rest];
    const sorted = theoryStates([...all].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(sorted.map((x) => [x.theory.title, x.state, x.support.length])).toEqual([
      ['A', 'leading', 3],
      ['B', 'reopened', 1],
      ['C', 'rejected', 1],
      ['D', 'confirmed', 0],
    ]);
    let seed = 7;
    const shuffled = () => [...all].sort(() => ((seed = (seed * 16807) % 2147483647) % 3) - 1);
    for (const order of [[...all].reverse(), shuffled(), shuffled(), shuffled()])
      expect(theoryStates(order)).toEqual(sorted);
  });

  it('ignores refs to entries that are not theories', () => {
    const f = entry('finding');
    const r = entry('rejection', { refs: [f.id] });
    expect(theoryStates([f, r])).toEqual([]);
  });
});
