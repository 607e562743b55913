import { describe, expect, it } from 'vitest';
import type { Author, Entry } from './entry.js';
import type { IncidentMeta } from './incident.js';
import { buildTimeline } from './timeline.js';
import { Timeline } from './view.js';

const ana: Author = { id: 'ana', name: 'Ana', kind: 'human' };
const t0 = Date.parse('2026-11-24T14:00:00Z');
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
let n = 0;
function entry(kind: Entry['kind'], minute: number, extra: Partial<Entry> = {}): Entry {
  n += 1;
  return {
    v: 1,
    id: `01JD${String(n).padStart(22, '0')}`,
    kind,
    body: `${kind} body`,
    author: ana,
    at: at(minute),
    ...extra,
  };
}
const meta: IncidentMeta = {
  title: 'Checkout down',
  severity: 'SEV1',
  status: 'resolved',
  kind: 'incident',
  createdAt: at(3),
  startedAt: at(-5),
  detectedAt: at(0),
  acknowledgedAt: at(4),
  mitigatedAt: at(30),
  resolvedAt: at(60),
};

describe('timeline', () => {
  it('orders meta milestones and theory, rejection, decision events by time, attributed', () => {
    const theory = entry('theory', 10, { title: 'Bad deploy' });
    const rejection = entry('rejection', 20, { refs: [theory.id], rationale: 'deploy was a no-op' });
    const decision = entry('decision', 25, { title: 'Fail over', rationale: 'fastest' });
    const finding = entry('finding', 12);
    const timeline = buildTimeline(meta, [finding, decision, rejection, theory]);
    expect(Timeline.parse(timeline)).toEqual(timeline);
    expect(timeline.events.map((e) => [e.kind, e.text, e.author ?? null])).toEqual([
      ['detected', 'Impact began', null],
      ['detected', 'Incident detected', null],
      ['acknowledged', 'Incident acknowledged', null],
      ['theory_raised', 'Theory: Bad deploy', 'Ana'],
      ['theory_rejected', 'Rejected "Bad deploy": deploy was a no-op', 'Ana'],
      ['decision', 'Decision: Fail over', 'Ana'],
      ['mitigated', 'Impact mitigated', null],
      ['resolved', 'Incident resolved', null],
    ]);
  });

  it('respects curation: a pinned finding shows, a hidden event is marked, a label is kept', () => {
    const finding = entry('finding', 12, { body: 'pool at 100/100' });
    const decision = entry('decision', 25, { title: 'Fail over' });
    const timeline = buildTimeline(meta, [finding, decision], {
      [finding.id]: { pinned: true, label: 'the clue' },
      [decision.id]: { hidden: true },
    });
    const byKey = new Map(timeline.events.map((e) => [e.key, e]));
    expect(byKey.get(finding.id)).toMatchObject({
      kind: 'noted',
      pinned: true,
      label: 'the clue',
      text: 'pool at 100/100',
    });
    expect(byKey.get(decision.id)).toMatchObject({ hidden: true });
  });

  it('adds the LLM key moments as cited events', () => {
    const finding = entry('finding', 31, { body: 'errors back to baseline' });
    const timeline = buildTimeline(meta, [finding], {}, [
      { at: at(31), text: 'Failover took effect', cites: [finding.id] },
    ]);
    expect(timeline.events.find((e) => e.source === 'llm')).toMatchObject({
      text: 'Failover took effect',
      cites: [finding.id],
      at: at(31),
    });
    const two = buildTimeline(meta, [finding], {}, [
      { at: at(31), text: 'Rollback started', cites: [finding.id] },
      { at: at(31), text: 'Errors dropped', cites: [finding.id] },
    ]);
    const keys = two.events.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length); // the dashboard keys its list by them
  });
});
