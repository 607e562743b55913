import { describe, expect, it } from 'vitest';
import { buildBrief, renderBrief } from './brief.js';
import type { Author, Entry } from './entry.js';
import type { IncidentMeta } from './incident.js';

const ana: Author = { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' };
let n = 0;
const entry = (kind: Entry['kind'], extra: Partial<Entry> = {}): Entry => {
  n += 1;
  return { v: 1, id: `01JD${String(n).padStart(22, '0')}`, kind, body: `${kind} ${n} ${'detail '.repeat(20)}`, author: ana, at: new Date(n * 1000).toISOString(), ...extra };
};
const meta: IncidentMeta = { title: 'Checkout down', severity: 'SEV1', status: 'investigating', kind: 'incident', commander: 'Sam', createdAt: '2026-11-24T14:00:00Z' };

describe('brief', () => {
  const deploy = entry('theory', { title: 'Bad deploy' });
  const dns = entry('theory', { title: 'DNS' });
  const support = entry('finding', { refs: [deploy.id] });
  const reject = entry('rejection', { refs: [dns.id], rationale: 'resolver p99 is 2 ms' });
  const noise = Array.from({ length: 200 }, () => entry('note'));
  const all = [deploy, dns, support, reject, ...noise];

  it('says the status, the leading theory and which theories are dead and why', () => {
    const b = buildBrief({ id: 'inc', meta, entries: all, maxTokens: 5_000 });
    const md = renderBrief(b);
    expect(b.leading.map((i) => i.id)).toEqual([deploy.id]);
    expect(b.rejected).toEqual([{ id: dns.id, text: 'DNS', why: 'resolver p99 is 2 ms' }]);
    expect(md).toContain('SEV1 · investigating · commander Sam');
    expect(md).toContain('do not re-investigate');
    expect(b.watermark).toBe(noise.at(-1)?.id);
  });

  it('lists what changed since the client’s last brief, newest first', () => {
    const b = buildBrief({ id: 'inc', meta, entries: all, since: noise.at(-3)?.id, maxTokens: 5_000 });
    expect(b.changes.map((c) => c.id)).toEqual([noise.at(-1)?.id, noise.at(-2)?.id]);
  });

  it('stays within the token budget, cutting changes before the theories', () => {
    const b = buildBrief({ id: 'inc', meta, entries: all, since: deploy.id, maxTokens: 300 });
    expect(b.tokens).toBeLessThanOrEqual(300);
    expect(b.omitted).toBeGreaterThan(0);
    expect(b.rejected).toHaveLength(1);
    expect(b.leading).toHaveLength(1);
    expect(b.changes.length).toBeLessThan(203);
  });

  it('cuts changes, open theories, decisions, gaps, then leading theories, and dead theories last', () => {
    const theories = Array.from({ length: 6 }, (_, i) => entry('theory', { title: `Theory ${i} ${'words '.repeat(10)}` }));
    const rejections = theories.slice(0, 3).map((t) => entry('rejection', { refs: [t.id], rationale: 'ruled out' }));
    const findings = theories.slice(3).map((t) => entry('finding', { refs: [t.id] }));
    const entries = [...theories, ...rejections, ...findings, entry('gap', { title: 'Why no alert?' }), entry('decision', { title: 'Roll back', rationale: 'cheap' }), entry('theory', { title: 'Open one' })];
    const order = ['changes', 'open', 'decisions', 'gaps', 'leading', 'rejected'] as const;
    const input = { id: 'inc', meta, entries, since: theories[0]?.id };
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
      if (first >= 0) for (const k of order.slice(first + 1)) expect(b[k], `${maxTokens}: ${k}`).toEqual(full[k]);
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
    const commander = { headline: { text: 'H'.repeat(1000), cites: [] } } as unknown as Parameters<typeof buildBrief>[0]['commander'];
    const b = buildBrief({ id: 'inc', meta: long, entries: [...theories, ...rejections], commander, maxTokens: 200 });
    expect(b.tokens).toBeLessThanOrEqual(200);
    expect(b.rejected).toEqual([]);
    expect(b.headline).toMatch(/^H+…$/);
    expect(renderBrief(b)).toContain('SEV1 · investigating · commander Sam');
  });
});
