import { describe, expect, it } from 'vitest';
import { briefChangesLimit, buildBrief, renderBrief } from './brief.js';
import { buildRulesView } from './rulesView.js';
import type { Author, Entry } from './entry.js';
import type { IncidentMeta } from './incident.js';

const ana: Author = { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' };
let n = 0;
const entry = (kind: Entry['kind'], extra: Partial<Entry> = {}): Entry => {
  n += 1;
  return {
    v: 1,
    id: `01JD${String(n).padStart(22, '0')}`,
    kind,
    body: `${kind} ${n} ${'detail '.repeat(20)}`,
    author: ana,
    at: new Date(n * 1000).toISOString(),
    ...extra,
  };
};
const meta: IncidentMeta = {
  title: 'Checkout down',
  severity: 'SEV1',
  status: 'investigating',
  kind: 'incident',
  commander: 'Sam',
  createdAt: '2026-11-24T14:00:00Z',
};

/** The entries that landed after `after` when `log` is the log in order (positions from 1). */
const landedAfter = (log: readonly Entry[], after: Entry | undefined) => {
  const from = after ? log.indexOf(after) + 1 : 0;
  return new Map(log.slice(from).map((e, i) => [e.id, from + i + 1]));
};

describe('brief', () => {
  const deploy = entry('theory', { title: 'Bad deploy' });
  const dns = entry('theory', { title: 'DNS' });
  const support = entry('finding', { refs: [deploy.id] });
  const reject = entry('rejection', { refs: [dns.id], rationale: 'resolver p99 is 2 ms' });
  const noise = Array.from({ length: 200 }, () => entry('note'));
  const all = [deploy, dns, support, reject, ...noise];

  it('says the status, the leading theory and which theories are dead and why', () => {
    const b = buildBrief({ id: 'inc', meta, entries: all, seq: all.length, maxTokens: 5_000 });
    const md = renderBrief(b);
    expect(b.leading.map((i) => i.id)).toEqual([deploy.id]);
    expect(b.rejected).toEqual([{ id: dns.id, text: 'DNS', why: 'resolver p99 is 2 ms' }]);
    expect(md).toContain('SEV1 · investigating · commander Sam');
    expect(md).toContain('do not re-investigate');
    expect(b.watermark).toBe(noise.at(-1)?.id);
    expect(b.seq).toBe(all.length);
    expect(b.changes).toEqual([]); // no previous brief
  });

  it('lists what landed since the client’s last brief, newest first', () => {
    const b = buildBrief({
      id: 'inc',
      meta,
      entries: all,
      seq: all.length,
      landed: landedAfter(all, noise.at(-3)),
      maxTokens: 5_000,
    });
    expect(b.changes.map((c) => c.id)).toEqual([noise.at(-1)?.id, noise.at(-2)?.id]);
  });

  it('goes by where entries landed in the log, not by their ids', () => {
    // Landed last: one from an offline queue with an old id, and one whose id is far ahead.
    const late = {
      ...entry('finding', { body: 'queued offline for an hour' }),
      id: '01AAAAAAAAAAAAAAAAAAAAAAAA',
    };
    const ahead = { ...entry('note', { body: 'from a clock far ahead' }), id: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ' };
    const log = [...all, ahead, late];
    const b = buildBrief({
      id: 'inc',
      meta,
      entries: log,
      seq: log.length,
      landed: landedAfter(log, noise.at(-1)),
      maxTokens: 5_000,
    });
    expect(b.changes.map((c) => c.id)).toEqual([late.id, ahead.id]);
    // The next brief, from the position this one covered: the entry far ahead blinds nothing.
    const next = entry('finding', { body: 'after the brief' });
    const more = [...log, next];
    const c = buildBrief({
      id: 'inc',
      meta,
      entries: more,
      seq: more.length,
      landed: new Map([[next.id, b.seq + 1]]),
      maxTokens: 5_000,
    });
    expect(c.changes.map((x) => x.id)).toEqual([next.id]);
  });

  it('stays within the token budget, cutting changes before the theories', () => {
    const b = buildBrief({
      id: 'inc',
      meta,
      entries: all,
      seq: all.length,
      landed: landedAfter(all, deploy),
      maxTokens: 300,
    });
    expect(b.tokens).toBeLessThanOrEqual(300);
    expect(b.omitted).toBeGreaterThan(0);
    expect(b.rejected).toHaveLength(1);
    expect(b.leading).toHaveLength(1);
    expect(b.changes.length).toBeLessThan(203);
  });

  it('cuts changes, open theories, decisions, gaps, then leading theories, and dead theories last', () => {
    const theories = Array.from({ length: 6 }, (_, i) =>
      entry('theory', { title: `Theory ${i} ${'words '.repeat(10)}` }),
    );
    const rejections = theories
      .slice(0, 3)
      .map((t) => entry('rejection', { refs: [t.id], rationale: 'ruled out' }));
    const findings = theories.slice(3).map((t) => entry('finding', { refs: [t.id] }));
    const entries = [
      ...theories,
      ...rejections,
      ...findings,
      entry('gap', { title: 'Why no alert?' }),
      entry('decision', { title: 'Roll back', rationale: 'cheap' }),
      entry('theory', { title: 'Open one' }),
    ];
    const order = ['changes', 'open', 'decisions', 'gaps', 'leading', 'rejected'] as const;
    const input = {
      id: 'inc',
      meta,
      entries,
      seq: entries.length,
      landed: landedAfter(entries, theories[0]),
    };
    const full = buildBrief({ ...input, maxTokens: 100_000 });
    expect(order.map((k) => full[k].length)).toEqual([entries.length - 1, 1, 1, 1, 3, 3]);
    const seen = new Set<string>();
    for (let maxTokens = 70; maxTokens <= full.tokens; maxTokens += 5) {
      const b = buildBrief({ ...input, maxTokens });
      const kept = order.map((k) => b[k].length);
      expect(b.tokens, `${maxTokens}`).toBeLessThanOrEqual(maxTokens);
      expect(b.omitted).toBe(order.reduce((n, k) => n + full[k].length, 0) - kept.reduce((n, k) => n + k, 0));
      // Whatever is kept of one list, every list cut after it is whole.
      const first = kept.findIndex((n) => n > 0);
      if (first >= 0)
        for (const k of order.slice(first + 1)) expect(b[k], `${maxTokens}: ${k}`).toEqual(full[k]);
      seen.add(kept.join());
    }
    // The budgets passed through a brief with some leading theories cut and every dead one kept.
    expect(seen).toContain('0,0,0,0,1,3');
    expect(seen).toContain('0,0,0,0,0,1');
  });

  it('keeps to the smallest budget with a long title and headline, shortening the headline', () => {
    const long = { ...meta, title: 'T'.repeat(200) };
    const theories = Array.from({ length: 3 }, (_, i) => entry('theory', { title: `Theory ${i}` }));
    const rejections = theories.map((t) => entry('rejection', { refs: [t.id], rationale: 'ruled out' }));
    const commander = { headline: { text: 'H'.repeat(1000), cites: [] } } as unknown as Parameters<
      typeof buildBrief
    >[0]['commander'];
    const b = buildBrief({
      id: 'inc',
      meta: long,
      entries: [...theories, ...rejections],
      commander,
      seq: 6,
      maxTokens: 200,
    });
    expect(b.tokens).toBeLessThanOrEqual(200);
    expect(b.rejected).toEqual([]);
    expect(b.headline).toMatch(/^H+…$/);
    expect(renderBrief(b)).toContain('SEV1 · investigating · commander Sam');
  });

  it('takes the rules view the server keeps only when it covers exactly these entries', () => {
    const stored = buildRulesView(all);
    const twisted = {
      ...stored,
      theories: stored.theories.map((t) => ({ ...t, title: `${t.title} (stored)` })),
    };
    expect(
      buildBrief({ id: 'inc', meta, entries: all, rules: twisted, seq: all.length, maxTokens: 5_000 })
        .leading[0]?.id,
    ).toBe(deploy.id);
    expect(
      buildBrief({ id: 'inc', meta, entries: all, rules: twisted, seq: all.length, maxTokens: 5_000 })
        .rejected[0]?.text,
    ).toBe('DNS (stored)');
    // One entry more than the stored view has seen: the rules are folded again.
    const more = [...all, entry('note')];
    expect(
      buildBrief({ id: 'inc', meta, entries: more, rules: twisted, seq: more.length, maxTokens: 5_000 })
        .rejected[0]?.text,
    ).toBe('DNS');
  });

  it('counts the new entries the server did not fetch (more than the budget could show) as left out', () => {
    const landed = landedAfter(all, deploy); // 203 entries
    const newest = new Map([...landed].slice(-briefChangesLimit(300)));
    const b = buildBrief({
      id: 'inc',
      meta,
      entries: all,
      seq: all.length,
      landed: newest,
      landedTotal: landed.size,
      maxTokens: 300,
    });
    const whole = buildBrief({ id: 'inc', meta, entries: all, seq: all.length, landed, maxTokens: 300 });
    expect(b.changes).toEqual(whole.changes);
    expect(b.omitted).toBe(whole.omitted);
    expect(b.tokens).toBeLessThanOrEqual(300);
  });
});
