import { describe, expect, it } from 'vitest';
import type { Author, Entry } from './entry.js';
import { buildRulesHeadline } from './rulesHeadline.js';
import { buildRulesView } from './rulesView.js';

const ana: Author = { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' };
let clock = 0;
function entry(kind: Entry['kind'], extra: Partial<Entry> = {}): Entry {
  clock += 1;
  const id = `01JD${String(clock).padStart(22, '0')}`;
  return {
    v: 1,
    id,
    kind,
    body: `${kind} ${clock}`,
    author: ana,
    at: new Date(1_700_000_000_000 + clock * 60_000).toISOString(),
    ...extra,
  };
}
const headline = (entries: Entry[]) =>
  buildRulesHeadline(buildRulesView(entries), new Map(entries.map((e) => [e.id, e])));

describe('rules headline', () => {
  it('leads with the leading theory and its support, then the latest decision, open gaps and unowned actions, each cited', () => {
    const t = entry('theory', { title: 'Pool exhaustion' });
    const other = entry('theory', { title: 'DNS' });
    const f1 = entry('finding', { refs: [t.id] });
    const f2 = entry('finding', { refs: [t.id] });
    const d1 = entry('decision', { title: 'Page the DBA', rationale: 'pool' });
    const d2 = entry('decision', { title: 'Raise the pool size', rationale: 'buys time' });
    const g1 = entry('gap', { title: 'Why did the alert fire late?' });
    const g2 = entry('gap', { title: 'Which tenants were hit?' });
    const owned = entry('action', { title: 'Add a pool alert', tags: ['owner:Bo'] });
    const unowned = entry('action', { title: 'Write the customer note' });
    const { lines, warnings } = headline([t, other, f1, f2, d1, d2, g1, g2, owned, unowned]);
    expect(lines).toEqual([
      {
        kind: 'theory',
        text: 'Leading theory: Pool exhaustion (2 supporting findings)',
        cites: [t.id, f1.id, f2.id],
      },
      { kind: 'decision', text: 'Latest decision: Raise the pool size', cites: [d2.id] },
      { kind: 'gaps', text: '2 open gaps, the newest: Which tenants were hit?', cites: [g1.id, g2.id] },
      { kind: 'unowned', text: 'Action without an owner: Write the customer note', cites: [unowned.id] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('says when no theory leads, names a confirmed one, and carries the rules warnings', () => {
    const t = entry('theory', { title: 'Cache stampede' });
    expect(headline([t]).lines).toEqual([
      {
        kind: 'theory',
        text: 'No leading theory yet: 1 open theory, none with a supporting finding',
        cites: [t.id],
      },
    ]);
    const confirm = entry('finding', { refs: [t.id], tags: ['confirms'] });
    const silent = entry('decision', { title: 'Flush the cache' });
    const { lines, warnings } = headline([t, confirm, silent]);
    expect(lines[0]).toEqual({
      kind: 'theory',
      text: 'Confirmed theory: Cache stampede (1 supporting finding)',
      cites: [t.id, confirm.id],
    });
    expect(warnings).toEqual([
      {
        code: 'decision_without_rationale',
        text: 'decision "Flush the cache" has no rationale',
        cites: [silent.id],
      },
    ]);
    expect(headline([]).lines).toEqual([]);
  });

  it('counts several unowned actions and names the newest', () => {
    const a = entry('action', { title: 'One' });
    const b = entry('action', { title: 'Two' });
    expect(headline([a, b]).lines).toEqual([
      { kind: 'unowned', text: '2 actions without an owner, the newest: Two', cites: [a.id, b.id] },
    ]);
  });
});
