// One incident's log whose figures are worked out by hand (shared/src/insights.test.ts and
// test/integration/insights.test.ts check them): three theories, one rejected and revived by a
// later finding (dismissed too early), one confirmed by a decision, one rejected and left so;
// six entries by two people and three by two harnesses.
import type { Author, Entry } from '@sitrep/shared';

export const alice: Author = { id: 'alice', name: 'Alice', kind: 'human' };
export const bob: Author = { id: 'bob', name: 'Bob', kind: 'human' };
const claude: Author = { id: 'h1', name: 'Alice (Claude)', kind: 'harness', harness: 'claude-code' };
const codex: Author = { id: 'h2', name: 'Bob (Codex)', kind: 'harness', harness: 'codex' };

/**
 * The log, in id order: `id()` makes ids that sort in the order asked, `at(min)` the writer's
 * time `min` minutes after declaration. The first decision, which confirms a theory, is at 20.
 */
export function outcomeLog(at: (min: number) => string, id: () => string): Entry[] {
  const make = (kind: Entry['kind'], author: Author, min: number, extra: Partial<Entry> = {}): Entry => ({
    v: 1,
    id: id(),
    kind,
    body: `${kind} body`,
    author,
    at: at(min),
    ...extra,
  });
  const t1 = make('theory', alice, 2, { title: 'Bad deploy' });
  const t2 = make('theory', claude, 3, { title: 'Pool exhausted' });
  const f1 = make('finding', claude, 5, { refs: [t1.id] });
  const r1 = make('rejection', alice, 10, { refs: [t1.id], rationale: 'deploy was a no-op' });
  const f2 = make('finding', codex, 15, { refs: [t1.id] });
  const d1 = make('decision', bob, 20, { refs: [t2.id], tags: ['confirms'], title: 'Raise pool' });
  const t3 = make('theory', bob, 21, { title: 'DNS' });
  const r2 = make('rejection', bob, 22, { refs: [t3.id] });
  const n1 = make('note', alice, 25);
  return [t1, t2, f1, r1, f2, d1, t3, r2, n1];
}
