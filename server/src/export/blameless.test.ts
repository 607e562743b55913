import type { Entry, ExportDocument } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { buildReport } from './report.js';
import { nameScrubber, standIns } from './blameless.js';

let n = 0;
const entry = (author: Entry['author'], extra: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: `01JD${String(++n).padStart(22, '0')}`,
  kind: 'note',
  body: 'x',
  author,
  at: '2026-12-05T07:00:00.000Z',
  ...extra,
});

const doc = (commander: string | undefined, entries: Entry[]) =>
  ({ incident: { id: 'i', meta: { commander } }, entries }) as unknown as ExportDocument;

describe('blameless drafts', () => {
  it('gives the commander, each harness and each responder one stand-in, in the order they wrote', () => {
    const people = standIns(
      doc('Sam Okafor', [
        entry({ id: 'a', name: 'Ana Lima', kind: 'human' }),
        entry({ id: 'p', name: 'Priya Raman', kind: 'harness', harness: 'claude-code' }),
        entry({ id: 's', name: 'Sam Okafor', kind: 'human' }),
        entry({ id: 'q', name: 'Quinn Wu', kind: 'harness', harness: 'claude-code' }),
        entry({ id: 'a', name: 'Ana Lima', kind: 'human' }, { kind: 'action', tags: ['owner:Bo Tran'] }),
      ]),
    );
    expect([...people]).toEqual([
      ['Sam Okafor', 'commander'],
      ['Ana Lima', 'responder 1'],
      ['Priya Raman', 'claude-code'],
      ['Quinn Wu', 'claude-code 2'],
      ['Bo Tran', 'responder 2'],
    ]);
  });

  it('replaces full and first names as whole words, but not a first name two people share', () => {
    const scrub = nameScrubber(
      new Map([
        ['Ana Lima', 'responder 1'],
        ['Ana Souza', 'responder 2'],
        ['Priya Raman', 'claude-code'],
        ['Bo Tran', 'responder 3'],
      ]),
    );
    expect(
      scrub("Priya's query and Priya Raman's deploy; Ana Lima paged Ana; Bo Tran and Bo; Priyanka"),
    ).toBe(
      "claude-code's query and claude-code's deploy; responder 1 paged Ana; responder 3 and Bo; Priyanka",
    );
  });

  it('shows token labels as "token 1", "token 2"... in the order they first appear, and by label with names', () => {
    const ana = { id: 'a', name: 'Ana Lima', kind: 'human' } as const;
    const entries = ['priya-laptop', 'ci-bot', 'priya-laptop'].map(() =>
      entry(ana, { kind: 'decision', title: 'fail over', rationale: 'primary wedged' }),
    );
    const receivedAt = '2026-12-05T07:00:01.000Z';
    const exported = {
      ...doc(undefined, entries),
      receipts: Object.fromEntries(
        entries.map((e, i) => [e.id, { via: ['priya-laptop', 'ci-bot', 'priya-laptop'][i], receivedAt }]),
      ),
      curation: {},
      commander: null,
      timeline: { events: [], metrics: {} },
    } as unknown as ExportDocument;
    const lines = (names: boolean) => entries.map((e) => buildReport(exported, { names }).receipts[e.id]);
    expect(lines(false)).toEqual(['via token 1', 'via token 2', 'via token 1']);
    expect(lines(true)).toEqual(['via priya-laptop', 'via ci-bot', 'via priya-laptop']);
  });
});
