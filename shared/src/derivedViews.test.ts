import { describe, expect, it } from 'vitest';
import { prng } from '../../test/support/random.js';
import { DerivedViews } from './derivedViews.js';
import type { Author, Entry, EntryKind } from './entry.js';
import type { Curation, IncidentMeta } from './incident.js';
import { buildRulesView } from './rulesView.js';
import { buildTimeline } from './timeline.js';
import type { CommanderView } from './view.js';
import { viewEntries } from './viewLayout.js';

const authors: Author[] = [
  { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' },
  { id: 'bo', name: 'Bo', kind: 'human' },
  { id: 'cy', name: 'Cy', kind: 'human' },
];
const KINDS: EntryKind[] = [
  'theory',
  'finding',
  'finding',
  'rejection',
  'reopen',
  'decision',
  'gap',
  'dataset',
  'action',
];
const BODIES = ['p99 rose on checkout', 'Bo should never have pushed broken config', 'pool at 100/100'];
const meta = {
  v: 1,
  title: 'checkout is slow',
  status: 'investigating',
  severity: 'sev2',
  startedAt: '2026-01-01T10:00:00.000Z',
  detectedAt: '2026-01-01T10:05:00.000Z',
} as unknown as IncidentMeta;

/** Seeded, so a failure names a seed and a step that fail again. */
function random(seed: number) {
  const { int } = prng(seed);
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T };
}

/** The `view` root's keys and values of the whole rules view and timeline, as the builders make them. */
function whole(
  entries: Map<string, Entry>,
  curation: Record<string, Curation>,
  moments: CommanderView['timeline'],
) {
  const all = [...entries.values()];
  return new Map([
    ...viewEntries('rules', buildRulesView(all)),
    ...viewEntries('timeline', buildTimeline(meta, all, curation, moments)),
  ]);
}

/** Applies what `changes()` returned to a copy of the `view` root's keys. */
function apply(keys: Map<string, unknown>, changes: Map<string, unknown>) {
  for (const [k, v] of changes) v === undefined ? keys.delete(k) : keys.set(k, v);
}

describe('derived views', () => {
  it('equal a whole recompute after every step of random adds, edits, deletes and curation', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = random(seed);
      const entries = new Map<string, Entry>();
      const curation: Record<string, Curation> = {};
      let moments: CommanderView['timeline'] = [];
      const views = new DerivedViews();
      views.setMeta(meta);
      const keys = new Map<string, unknown>();
      apply(keys, views.changes());
      // Ids from 24 slots: a new entry often sorts before ones it refs (a writer's clock behind).
      const id = () => `01JD${String(r.int(24)).padStart(22, '0')}`;
      for (let step = 0; step < 120; step++) {
        const ids = [...entries.keys()];
        const roll = r.int(20);
        if (roll < 13 || ids.length === 0) {
          const kind = r.pick(KINDS);
          const e: Entry = {
            v: 1,
            id: roll < 10 || ids.length === 0 ? id() : r.pick(ids), // else an edit
            kind,
            body: r.pick(BODIES),
            author: r.pick(authors),
            at: new Date(Date.parse('2026-01-01T10:00:00Z') + r.int(40) * 60_000).toISOString(),
            ...(r.int(3) === 0 && { title: `title ${r.int(5)}` }),
            ...(r.int(2) === 0 && { rationale: 'because' }),
            ...(r.int(4) === 0 && { tags: [r.pick(['confirms', 'owner:bo', 'db'])] }),
            // Refs to present ids, and now and then to one that is not there (yet).
            ...(ids.length > 0 && r.int(4) > 0 && { refs: [r.pick(ids), ...(r.int(2) === 0 ? [id()] : [])] }),
          };
          entries.set(e.id, e);
          views.setEntry(e.id, e);
        } else if (roll < 16) {
          const gone = r.pick(ids);
          entries.delete(gone);
          views.setEntry(gone, undefined);
        } else if (roll < 19) {
          const target = r.int(2) ? r.pick(ids) : id();
          if (r.int(3) === 0) {
            delete curation[target];
            views.setCuration(target, undefined);
          } else {
            curation[target] = { pinned: r.int(2) === 0, hidden: r.int(2) === 0, label: `label ${r.int(3)}` };
            views.setCuration(target, curation[target]);
          }
        } else {
          moments = ids
            .slice(0, r.int(3))
            .map((cite) => ({ at: '2026-01-01T10:20:00.000Z', text: 'moment', cites: [cite] }));
          views.setKeyMoments(moments);
        }
        if (r.int(3) === 0) continue; // changes pile up between runs too
        apply(keys, views.changes());
        expect(keys, `seed ${seed}, step ${step}`).toEqual(whole(entries, curation, moments));
      }
    }
  });

  it('makes again only what a new entry touches', () => {
    const views = new DerivedViews();
    views.setMeta(meta);
    const theory: Entry = {
      v: 1,
      id: '01JD0000000000000000000001',
      kind: 'theory',
      body: 'pool',
      author: authors[0] as Author,
      at: meta.startedAt as string,
    };
    const other: Entry = { ...theory, id: '01JD0000000000000000000002' };
    views.setEntry(theory.id, theory);
    views.setEntry(other.id, other);
    views.changes();
    const finding: Entry = {
      ...theory,
      id: '01JD0000000000000000000003',
      kind: 'finding',
      refs: [theory.id],
    };
    views.setEntry(finding.id, finding);
    // The theory's card (it now leads) and the counts; not the other theory, its event, or the writer.
    expect([...views.changes().keys()].sort()).toEqual(['rules', `rules/theories/${theory.id}`]);
  });
});
