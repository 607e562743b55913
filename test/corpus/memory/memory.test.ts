// The memory evaluation set checks itself: enough incidents and failure modes, each mode told
// more than once by different people, entries as the shared schemas and the theory fold read
// them, nothing the sanitizer would catch, and unrelated new incidents that share no service
// name or quoted error string with the past.
import { Entry, EntryDraft, entryIdProblem, theoryStates } from '@sitrep/shared';
import { findBlame, sanitizeEntries } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { memoryEvalSet } from './index.js';

const set = memoryEvalSet();
const modes = new Map<string, typeof set.past>();
for (const p of set.past) if (p.mode) modes.set(p.mode, [...(modes.get(p.mode) ?? []), p]);

/** Names with inner dashes (`payments-db`, `notif-sender`: service names are spelt so) and quoted log strings. */
const services = (text: string) => new Set(text.match(/\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b/g) ?? []);
const quoted = (text: string) => new Set([...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string));
const textOf = (entries: readonly { title?: string; body: string; rationale?: string }[]) =>
  entries.map((e) => [e.title, e.body, e.rationale].filter(Boolean).join('\n')).join('\n');

describe('memory evaluation set', () => {
  it('holds 40+ past incidents over 15+ failure modes, each mode in 2+ incidents, plus distractors', () => {
    const withMode = set.past.filter((p) => p.mode !== null);
    expect(withMode.length).toBeGreaterThanOrEqual(40);
    expect(modes.size).toBeGreaterThanOrEqual(15);
    for (const [mode, incidents] of modes) expect(incidents.length, mode).toBeGreaterThanOrEqual(2);
    expect(set.past.filter((p) => p.mode === null).length).toBeGreaterThanOrEqual(5);
    expect(new Set(set.past.map((p) => p.id)).size).toBe(set.past.length);
  });

  it('holds a blind set: 15+ past incidents over 6+ modes of their own, each in 2+, and 4+ unrelated', () => {
    const firstModes = new Set(set.related.filter((q) => q.set === 'first').map((q) => q.mode));
    const blindModes = new Set(set.related.filter((q) => q.set === 'blind').map((q) => q.mode));
    expect([...blindModes].filter((m) => firstModes.has(m))).toEqual([]);
    expect(blindModes.size).toBeGreaterThanOrEqual(6);
    const blindPast = set.past.filter((p) => blindModes.has(p.mode));
    expect(blindPast.length).toBeGreaterThanOrEqual(15);
    for (const m of blindModes)
      expect(blindPast.filter((p) => p.mode === m).length, String(m)).toBeGreaterThanOrEqual(2);
    expect(set.unrelated.filter((q) => q.set === 'blind').length).toBeGreaterThanOrEqual(4);
  });

  it('holds a second blind set: 20+ new incidents of the modes of the past, one a mode at most, and 5+ unrelated', () => {
    const blind2 = set.related.filter((q) => q.set === 'blind2');
    expect(blind2.length).toBeGreaterThanOrEqual(20);
    expect(new Set(blind2.map((q) => q.mode)).size).toBe(blind2.length);
    expect(set.unrelated.filter((q) => q.set === 'blind2').length).toBeGreaterThanOrEqual(5);
  });

  it('holds a third blind set: 20+ new incidents over 15+ modes of the past, and 5+ unrelated', () => {
    const blind3 = set.related.filter((q) => q.set === 'blind3');
    expect(blind3.length).toBeGreaterThanOrEqual(20);
    expect(new Set(blind3.map((q) => q.mode)).size).toBeGreaterThanOrEqual(15);
    expect(set.unrelated.filter((q) => q.set === 'blind3').length).toBeGreaterThanOrEqual(5);
  });

  it('tells each mode in different words by different people, spread over months', () => {
    for (const [mode, incidents] of modes) {
      expect(new Set(incidents.map((p) => p.title)).size, mode).toBe(incidents.length);
      expect(new Set(incidents.map((p) => p.commander)).size, mode).toBe(incidents.length);
      const writers = incidents.map((p) => new Set(p.entries.map((e) => e.author.id)));
      for (const [i, a] of writers.entries())
        for (const b of writers.slice(i + 1))
          expect(
            [...a].every((w) => b.has(w)),
            mode,
          ).toBe(false);
    }
    const months = new Set(set.past.map((p) => p.createdAt.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(10);
  });

  it('writes entries the shared schema accepts, with ids made at their own past time', () => {
    const ids = new Set<string>();
    for (const p of set.past) {
      expect(p.status).toBe('resolved');
      for (const e of p.entries) {
        expect(Entry.safeParse(e).error?.issues, `${p.id} ${e.id}`).toBeUndefined();
        expect(entryIdProblem(e.id)).toBeNull();
        expect(e.at >= p.createdAt && e.at < p.resolvedAt, `${p.id} ${e.id}`).toBe(true);
        ids.add(e.id);
      }
    }
    expect(ids.size).toBe(set.past.reduce((n, p) => n + p.entries.length, 0));
  });

  it('has in each past incident a confirmed cause, rejected theories with rationale and decisions with rationale', () => {
    let open = 0;
    let closed = 0;
    for (const p of set.past) {
      const states = new Map(theoryStates(p.entries).map((t) => [t.theory.id, t.state]));
      expect(states.get(p.confirmedTheory), p.id).toBe('confirmed');
      if (p.mode !== null) expect(p.rejectedTheories.length, p.id).toBeGreaterThanOrEqual(1);
      for (const id of p.rejectedTheories) expect(states.get(id), p.id).toBe('rejected');
      for (const e of p.entries.filter((e) => e.kind === 'rejection' || e.kind === 'decision'))
        expect(e.rationale, `${p.id} ${e.id}`).toBeTruthy();
      expect(
        p.entries.some((e) => e.kind === 'decision' && !e.tags?.includes('confirms')),
        p.id,
      ).toBe(true);
      const followUps = p.entries.filter((e) => e.kind === 'action' || e.kind === 'gap').length;
      open += p.openFollowUps.length;
      closed += followUps - p.openFollowUps.length;
    }
    expect(open).toBeGreaterThanOrEqual(40);
    expect(closed).toBeGreaterThanOrEqual(10);
  });

  it('asks 20+ related new incidents covering every mode, and 10+ unrelated ones', () => {
    expect(set.related.length).toBeGreaterThanOrEqual(20);
    expect(set.unrelated.length).toBeGreaterThanOrEqual(10);
    expect(new Set(set.related.map((q) => q.mode))).toEqual(new Set(modes.keys()));
    for (const q of set.related) expect(q.expected.length, q.id).toBeGreaterThanOrEqual(2);
    for (const q of set.unrelated) expect([q.mode, q.expected]).toEqual([null, []]);
    for (const q of [...set.related, ...set.unrelated]) {
      expect(q.findings.length, q.id).toBeGreaterThanOrEqual(2);
      expect(q.findings.length, q.id).toBeLessThanOrEqual(4);
      for (const f of q.findings) expect(EntryDraft.safeParse(f).error?.issues, q.id).toBeUndefined();
    }
  });

  it('gives unrelated new incidents no service name or quoted error string of the past', () => {
    const pastText = set.past.map((p) => `${p.title}\n${textOf(p.entries)}`).join('\n');
    const pastServices = services(pastText);
    const pastQuoted = [...quoted(pastText)];
    expect(pastServices).toContain('payments-db');
    expect(pastServices).toContain('notif-sender');
    for (const q of set.unrelated) {
      const text = `${q.title}\n${textOf(q.findings)}`;
      expect(
        [...services(text)].filter((s) => pastServices.has(s)),
        q.id,
      ).toEqual([]);
      for (const s of quoted(text))
        expect(
          pastQuoted.filter((p) => p.includes(s) || s.includes(p)),
          q.id,
        ).toEqual([]);
    }
  });

  it('holds nothing the sanitizer catches: no secret, no private data, no blame', async () => {
    const batches = [
      ...set.past.map((p) => ({ id: p.id, title: p.title, entries: p.entries as EntryDraft[] })),
      ...[...set.related, ...set.unrelated].map((q) => ({ id: q.id, title: q.title, entries: q.findings })),
    ];
    for (const b of batches) {
      const out = await sanitizeEntries(b.entries, { key: 'memory-eval' });
      expect([out.counts, out.refused], b.id).toEqual([{}, null]);
      for (const text of [b.title, ...b.entries.flatMap((e) => [e.title ?? '', e.body, e.rationale ?? ''])])
        expect(findBlame(text), `${b.id}: ${text}`).toEqual([]);
    }
  });
});
