import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Entry } from './entry.js';
import { buildRulesView } from './rulesView.js';
import { buildTimeline } from './timeline.js';
import type { RulesView } from './view.js';
import { readView, viewChanges, viewEntries, viewMap, viewValueProblem } from './viewLayout.js';

let clock = 0;
function entry(kind: Entry['kind'], extra: Partial<Entry> = {}): Entry {
  clock += 1;
  const id = `01JD${String(clock).padStart(22, '0')}`;
  return {
    v: 1,
    id,
    kind,
    body: `${kind} ${clock}`,
    author: { id: `a${clock % 3}`, name: `A${clock % 3}`, kind: 'human' },
    at: new Date(1_700_000_000_000 + clock * 60_000).toISOString(),
    ...extra,
  };
}

/**
 * An incident with `n` theories, a finding on each (three on the first, which leads), and a few
 * decisions, gaps and rejections.
 */
function incident(n: number): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const t = entry('theory', { title: `theory ${i}: connection pool exhausted on shard ${i}` });
    out.push(t, ...Array.from({ length: i === 0 ? 3 : 1 }, () => entry('finding', { refs: [t.id] })));
    if (i % 10 === 5)
      out.push(
        entry('rejection', { refs: [t.id], rationale: 'no' }),
        entry('decision', { title: `decision ${i}` }),
        entry('gap', { title: `gap ${i}` }),
      );
    if (i % 10 === 7)
      out.push(entry('note', { body: `Someone on shard ${i} was careless with the pool size.` }));
  }
  return out;
}

/** Applies what `viewChanges` says as Y.Map#set and #delete would; returns the update's size. */
function write(doc: Y.Doc, values: Parameters<typeof viewChanges>[1]): number {
  const before = Y.encodeStateVector(doc);
  const { sets, deletes } = viewChanges(viewMap(doc), values);
  doc.transact(() => {
    for (const [k, v] of sets) viewMap(doc).set(k, v);
    for (const k of deletes) viewMap(doc).delete(k);
  });
  return Y.encodeStateAsUpdate(doc, before).byteLength;
}

describe('view layout', () => {
  const meta = {
    title: 'T',
    severity: 'SEV2',
    status: 'investigating',
    kind: 'incident',
    createdAt: new Date(1_700_000_000_000).toISOString(),
  } as const;

  it('reads back the rules view and the timeline it wrote in parts, in their order', () => {
    const entries = incident(30);
    const doc = new Y.Doc();
    const rules = buildRulesView(entries);
    const timeline = buildTimeline(meta, entries);
    write(doc, [
      ['rules', rules],
      ['timeline', timeline],
    ]);
    expect(readView(doc, 'rules')).toEqual(rules);
    expect(rules.review).toHaveLength(3);
    expect(viewMap(doc).has(`rules/review/${rules.review[0]?.id}`)).toBe(true);
    expect(readView(doc, 'timeline')).toEqual(timeline);
    expect(viewMap(doc).size).toBeGreaterThan(50);
    // Nothing more to write for the same values.
    expect(viewChanges(viewMap(doc), [['rules', rules]])).toEqual({ sets: [], deletes: [] });
  });

  it('writes a small change to a 2,000-theory board as a small diff, not the whole value', () => {
    const entries = incident(2_000);
    const doc = new Y.Doc();
    const whole = write(doc, [['rules', buildRulesView(entries)]]);
    expect(whole).toBeGreaterThan(300_000);
    // One more finding on the leading theory: its card, the counts and the watermark change.
    const more = [...entries, entry('finding', { refs: [entries[0]?.id ?? ''] })];
    const small = write(doc, [['rules', buildRulesView(more)]]);
    expect(small).toBeLessThan(2_000);
    expect(readView(doc, 'rules')).toEqual(buildRulesView(more));
  });

  it('deletes the parts of items that are gone', () => {
    const entries = incident(5);
    const doc = new Y.Doc();
    write(doc, [['rules', buildRulesView(entries)]]);
    const without = entries
      .filter((e) => e.kind !== 'theory' || e.id !== entries[0]?.id)
      .filter((e) => !e.refs?.includes(entries[0]?.id ?? ''));
    const { deletes } = viewChanges(viewMap(doc), [['rules', buildRulesView(without)]]);
    expect(deletes).toContain(`rules/theories/${entries[0]?.id}`);
    write(doc, [['rules', buildRulesView(without)]]);
    expect(readView(doc, 'rules')).toEqual(buildRulesView(without));
  });

  it('reads a view with a part that does not parse as absent', () => {
    const doc = new Y.Doc();
    write(doc, [['rules', buildRulesView(incident(3))]]);
    viewMap(doc).set('rules/theories/01JD9999999999999999999999', { nonsense: true });
    expect(readView(doc, 'rules')).toBeNull();
  });

  it('says what may sit under each key of the view root', () => {
    const rules: RulesView = buildRulesView(incident(2));
    const parts = new Map(viewEntries('rules', rules));
    for (const [k, v] of parts) expect(viewValueProblem(k, v), k).toBeNull();
    const [cardKey, card] = [...parts].find(([k]) => k.startsWith('rules/theories/')) ?? ['', null];
    expect(viewValueProblem(cardKey.replace(/.$/, 'Z'), card)).toMatch(/the item's key is/);
    expect(viewValueProblem('rules/nonsense/x', card)).toMatch(/view has no key/);
    expect(viewValueProblem('rules', rules)).toMatch(/Unrecognized key/); // the whole value, as views were once written
    expect(viewValueProblem('notes', {})).toMatch(/view has no key/);
    expect(viewValueProblem('summarizer', { state: 'idle' })).not.toBeNull();
  });
});
