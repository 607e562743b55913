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

  it('keeps to the smallest budget with a long title and headline, dead theories last to go', () => {
    const long = { ...meta, title: 'T'.repeat(200) };
    const theories = Array.from({ length: 6 }, (_, i) => entry('theory', { title: `Theory ${i} ${'words '.repeat(10)}` }));
    const rejections = theories.slice(0, 3).map((t) => entry('rejection', { refs: [t.id], rationale: 'ruled out' }));
    const findings = theories.slice(3).map((t) => entry('finding', { refs: [t.id] }));
    const commander = { headline: { text: 'H'.repeat(1000), cites: [] } } as unknown as Parameters<typeof buildBrief>[0]['commander'];
    const b = buildBrief({ id: 'inc', meta: long, entries: [...theories, ...rejections, ...findings], commander, maxTokens: 200 });
    expect(b.tokens).toBeLessThanOrEqual(200);
    expect(b.rejected.length).toBeGreaterThanOrEqual(b.leading.length);
  });
});
