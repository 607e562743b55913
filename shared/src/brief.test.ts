import { describe, expect, it } from 'vitest';
import { briefChangesLimit, buildBrief, renderBrief } from './brief.js';
import { buildRulesView } from './rulesView.js';
import type { Author, Entry } from './entry.js';
import type { IncidentMeta } from './incident.js';
import type { RelatedIncident } from './memory.js';

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

describe('brief: seen before', () => {
  const here = entry('theory', { title: 'Node memory pressure is evicting the pods' });
  const other = entry('theory', { title: 'A leak in the template cache' });
  const past = (id: string, extra: Partial<RelatedIncident['outcome']> = {}): RelatedIncident => ({
    incident: {
      id,
      title: `Pods restarting in ${id}`,
      status: 'resolved',
      severity: 'SEV2',
      kind: 'incident',
    },
    score: 0.8,
    why: { terms: ['oomkilled'], services: ['notif-sender'], errors: [] },
    outcome: { confirmed: [], rejected: [], decisions: [], openActions: [], ...extra },
  });
  const pastTheory = entry('theory', { title: 'Pods evicted because of node memory pressure' });
  const cause = entry('theory', { title: 'Unbounded template cache' });
  const confirming = entry('decision', {
    title: 'Cause: unbounded cache',
    tags: ['confirms'],
    rationale: 'heap dump',
  });
  const rollback = entry('decision', { title: 'Roll back to 4.11', rationale: 'stops the crash loop' });
  const related = [
    past('inc-old', {
      confirmed: [cause],
      decisions: [confirming, rollback],
      rejected: [
        { theory: pastTheory, rationale: 'Reason is OOMKilled, not Evicted: the node had 40% free' },
        {
          theory: entry('theory', { title: 'Kafka brokers degraded' }),
          rationale: 'other groups at zero lag',
        },
      ],
    }),
    past('inc-older'),
  ];

  it('says which theory open here was ruled out before, why, and what the related incidents found', () => {
    const b = buildBrief({ id: 'inc', meta, entries: [here, other], seq: 2, related, maxTokens: 5_000 });
    expect(b.rejectedBefore).toEqual([
      {
        id: pastTheory.id,
        text: `Pods evicted because of node memory pressure (ruled out in inc-old, "Pods restarting in inc-old"; like ${here.id} here)`,
        why: 'Reason is OOMKilled, not Evicted: the node had 40% free',
        incident: 'inc-old',
        matches: here.id,
      },
    ]);
    expect(b.seenBefore).toEqual([
      {
        id: 'inc-old',
        text: 'Pods restarting in inc-old (SEV2, resolved)',
        why: 'cause: Unbounded template cache · decided: Roll back to 4.11 (stops the crash loop)',
      },
      { id: 'inc-older', text: 'Pods restarting in inc-older (SEV2, resolved)', why: 'no confirmed cause' },
    ]);
    const md = renderBrief(b);
    expect(md).toContain('## Rejected before');
    expect(md).toContain('## Seen before');
    expect(md).not.toContain('Kafka');
  });

  it('has no seen-before sections without related incidents, and none for a theory no longer open', () => {
    const b = buildBrief({ id: 'inc', meta, entries: [here], seq: 1, maxTokens: 5_000 });
    expect([b.rejectedBefore, b.seenBefore]).toEqual([[], []]);
    expect(renderBrief(b)).not.toMatch(/before/i);
    const dead = entry('rejection', { refs: [here.id], rationale: 'ruled out here too' });
    const c = buildBrief({ id: 'inc', meta, entries: [here, dead], seq: 2, related, maxTokens: 5_000 });
    expect(c.rejectedBefore).toEqual([]);
    expect(c.seenBefore).toHaveLength(2);
  });

  it('cuts seen-before incidents before leading theories, and past rejections before the dead theories here', () => {
    const theories = Array.from({ length: 4 }, (_, i) =>
      entry('theory', { title: `Theory ${i} pool exhausted` }),
    );
    const rejections = theories
      .slice(0, 2)
      .map((t) => entry('rejection', { refs: [t.id], rationale: 'ruled out' }));
    const findings = theories.slice(2).map((t) => entry('finding', { refs: [t.id] }));
    const pastRejected = Array.from({ length: 3 }, (_, i) => ({
      theory: entry('theory', { title: `Theory ${i + 2} pool exhausted elsewhere` }),
      rationale: `ruled out then ${'because '.repeat(8)}`,
    }));
    const entries = [...theories, ...rejections, ...findings];
    const many = [
      past('inc-a', { rejected: pastRejected, confirmed: [cause] }),
      past('inc-b'),
      past('inc-c'),
    ];
    const order = ['seenBefore', 'leading', 'rejectedBefore', 'rejected'] as const;
    const input = { id: 'inc', meta, entries, seq: entries.length, related: many };
    const full = buildBrief({ ...input, maxTokens: 100_000 });
    expect(order.map((k) => full[k].length)).toEqual([3, 2, 3, 2]);
    const seen = new Set<string>();
    for (let maxTokens = 80; maxTokens <= full.tokens; maxTokens += 5) {
      const b = buildBrief({ ...input, maxTokens });
      const kept = order.map((k) => b[k].length);
      expect(b.tokens, `${maxTokens}`).toBeLessThanOrEqual(maxTokens);
      const first = kept.findIndex((k) => k > 0);
      if (first >= 0)
        for (const k of order.slice(first + 1)) expect(b[k], `${maxTokens}: ${k}`).toEqual(full[k]);
      seen.add(kept.join());
    }
    expect(seen).toContain('1,2,3,2');
    expect(seen).toContain('0,0,1,2');
  });
});
