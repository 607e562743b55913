import { describe, expect, it } from 'vitest';
import type { Author, Entry } from './entry.js';
import { buildRulesView, presenceWarnings } from './rulesView.js';
import { readPresence } from './presence.js';
import { RuleWarning, RulesView } from './view.js';

const ana: Author = { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' };
const bo: Author = { id: 'bo', name: 'Bo', kind: 'human' };
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

describe('rules view', () => {
  it('puts theories on the board with their state, support and workers, and validates', () => {
    const t = entry('theory', { title: 'Pool exhaustion' });
    const f = entry('finding', { refs: [t.id], author: bo });
    const view = buildRulesView([t, f]);
    expect(RulesView.parse(view)).toEqual(view);
    expect(view.theories).toEqual([
      { id: t.id, title: 'Pool exhaustion', state: 'leading', support: [f.id], workers: ['ana', 'bo'] },
    ]);
    expect(view.watermark).toBe(f.id);
    expect(view.counts.theory).toBe(1);
    expect(view.counts.finding).toBe(1);
  });

  it('clips labels without splitting a character, so the view stays storable', () => {
    // The decision's label is clipped to 119 units plus an ellipsis; the siren straddles the cut.
    const d = entry('decision', { title: `${'x'.repeat(118)}🚨 roll back the deploy` });
    const view = buildRulesView([d]);
    expect(view.warnings[0]?.text).toContain(`"${'x'.repeat(118)}…"`);
    expect(RulesView.parse(view)).toEqual(view);
  });

  it('flags a theory dismissed too early, citing the theory, the rejection and the finding', () => {
    const t = entry('theory', { title: 'Bad deploy' });
    const r = entry('rejection', { refs: [t.id], rationale: 'deploy was a no-op' });
    const f = entry('finding', { refs: [t.id] });
    const view = buildRulesView([t, r, f]);
    expect(view.warnings).toContainEqual({
      code: 'dismissed_too_early',
      text: expect.stringContaining('Bad deploy'),
      cites: [t.id, r.id, f.id],
    });
    expect(view.theories[0]?.state).toBe('leading');
  });

  it('flags two responders on the same theory from findings close in time; presence adds its own for readers', () => {
    const t = entry('theory', { title: 'DNS' });
    const a = entry('finding', { refs: [t.id] });
    const b = entry('finding', { refs: [t.id], author: bo });
    expect(buildRulesView([t, a, b]).warnings.map((w) => w.code)).toEqual(['duplicate_work']);
    const alone = buildRulesView([t]);
    expect(alone.warnings).toEqual([]);
    const focusing = [
      { name: 'Ana', kind: 'harness' as const, focus: t.id },
      { name: 'Bo', kind: 'human' as const, focus: t.id },
    ];
    expect(presenceWarnings(alone, focusing)).toEqual([
      { code: 'duplicate_work', text: 'Ana and Bo are both focused on "DNS"', cites: [t.id] },
    ]);
    // Not twice: the entries already show two people on it.
    expect(presenceWarnings(buildRulesView([t, a, b]), focusing)).toEqual([]);
    // However many, and however long their names, the warning stays storable and in bounds.
    const crowd = Array.from({ length: 8 }, (_, i) => ({
      name: `${i}${'n'.repeat(127)}`,
      kind: 'human' as const,
      focus: t.id,
    }));
    const [warning] = presenceWarnings(alone, crowd);
    expect(warning?.text).toMatch(/ and 6 more are focused on "DNS"$/);
    expect(RuleWarning.safeParse(warning).success).toBe(true);
    expect(readPresence([{ name: 'Mallory\u0000', focus: t.id }])).toEqual([]);
  });

  it('does not flag one person working alone, or findings hours apart', () => {
    const t = entry('theory', { title: 'DNS' });
    const a = entry('finding', { refs: [t.id] });
    const b = entry('finding', {
      refs: [t.id],
      author: bo,
      at: new Date(Date.parse(a.at) + 3 * 3600_000).toISOString(),
    });
    expect(buildRulesView([t, a, entry('finding', { refs: [t.id] })]).warnings).toEqual([]);
    expect(buildRulesView([t, a, b]).warnings).toEqual([]);
  });

  it('flags findings up to 15 minutes apart, and only on a live theory', () => {
    const t = entry('theory', { title: 'DNS' });
    const a = entry('finding', { refs: [t.id] });
    const at = (ms: number) => new Date(Date.parse(a.at) + ms).toISOString();
    const edge = entry('finding', { refs: [t.id], author: bo, at: at(15 * 60_000) });
    const past = entry('finding', { refs: [t.id], author: bo, at: at(15 * 60_000 + 1) });
    expect(buildRulesView([t, a, edge]).warnings).toEqual([
      { code: 'duplicate_work', text: 'Ana and Bo are both working on "DNS"', cites: [t.id, a.id, edge.id] },
    ]);
    expect(buildRulesView([t, a, past]).warnings).toEqual([]);
    const rejected = entry('rejection', { refs: [t.id], rationale: 'resolver is fine' });
    const confirmed = entry('decision', { refs: [t.id], tags: ['confirms'], rationale: 'it was DNS' });
    for (const end of [rejected, confirmed]) {
      const late = entry('finding', { refs: [t.id], author: bo });
      const view = buildRulesView([t, a, edge, end, ...(end === rejected ? [] : [late])]);
      expect(
        view.warnings.filter((w) => w.code === 'duplicate_work'),
        end.kind,
      ).toEqual([]);
    }
  });

  it('closes a gap that a finding, a dataset or a decision refs, and no other kind', () => {
    const gaps = ['finding', 'dataset', 'decision', 'note', 'theory', 'action'].map(
      (kind) => [kind, entry('gap', { title: `answered by a ${kind}` })] as const,
    );
    const answers = gaps.map(([kind, gap]) =>
      entry(kind as Entry['kind'], { refs: [gap.id], title: `a ${kind}`, rationale: 'why' }),
    );
    const view = buildRulesView([...gaps.map(([, g]) => g), ...answers]);
    expect(view.openGaps).toEqual(gaps.slice(3).map(([, g]) => g.id));
  });

  it('lists decisions, warns when one has no rationale, and closes gaps that are answered', () => {
    const d1 = entry('decision', { title: 'Roll back', rationale: 'fastest' });
    const d2 = entry('decision', { title: 'Page the DBA' });
    const g1 = entry('gap', { title: 'No traces for payments' });
    const g2 = entry('gap', { title: 'Which region?' });
    const answer = entry('dataset', { refs: [g2.id], title: 'region breakdown' });
    const view = buildRulesView([d1, d2, g1, g2, answer]);
    expect(view.decisions).toEqual([
      { id: d1.id, hasRationale: true },
      { id: d2.id, hasRationale: false },
    ]);
    expect(view.warnings).toEqual([
      {
        code: 'decision_without_rationale',
        text: 'decision "Page the DBA" has no rationale',
        cites: [d2.id],
      },
    ]);
    expect(view.openGaps).toEqual([g1.id]);
    expect(view.datasets).toEqual([answer.id]);
  });

  it('lists entries that blame or judge a person for review, with their reasons, in id order', () => {
    const fine = entry('finding', { body: 'Redis caused the latency spike.' });
    const blame = entry('finding', { body: 'Tom ignored the alert. Sloppy work, human error.' });
    const decision = entry('decision', { title: 'Roll back', rationale: 'Dave fat-fingered the config.' });
    const view = buildRulesView([decision, fine, blame]);
    expect(view.review).toEqual([
      {
        id: blame.id,
        reasons: [
          'names a person as the cause',
          '"human error"',
          'judges care ("careless", "sloppy", "reckless", "negligent")',
        ],
      },
      { id: decision.id, reasons: ['"fat-fingered"'] },
    ]);
    expect(RulesView.parse(view)).toEqual(view);
    expect(buildRulesView([fine]).review).toEqual([]);
  });

  it('names action owners from an owner: tag (the author is not the owner), and lists who wrote, by id', () => {
    const a1 = entry('action', { title: 'Add pool alert', tags: ['owner:Bo'] });
    const a2 = entry('action', { title: 'Write postmortem' });
    const t = entry('theory', { title: 'Cache stampede' });
    const f = entry('finding', { refs: [t.id], author: { id: 'al', name: 'Al', kind: 'human' } });
    const view = buildRulesView([a1, a2, t, f]);
    expect(view.actions).toEqual([{ id: a1.id, owner: 'Bo' }, { id: a2.id }]);
    const blank = entry('action', { title: 'Someone check the canary', tags: ['owner:', 'urgent'] });
    expect(buildRulesView([blank]).actions).toEqual([{ id: blank.id }]);
    expect(view.workers).toEqual([
      { id: 'al', name: 'Al', kind: 'human' },
      { id: 'ana', name: 'Ana', kind: 'harness' },
    ]);
    expect(view.theories[0]?.workers).toEqual(['ana', 'al']);
  });
});
