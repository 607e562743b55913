// The rules view and the timeline kept current from changes, as the `view` root's keys
// (viewLayout.ts), so that a change costs what it touches instead of a fold of every entry. Each
// key has one subject that makes it: an entry (its decision, gap, dataset, action, review item,
// rationale warning and timeline event), a theory (its card and warnings), a writer, the meta
// times (with the timeline's metrics), the key moments, or the counts. A change marks the subjects
// it can alter; `changes()` makes those again with the builders the whole views use
// (rulesView.ts, timeline.ts, theory.ts), so both say the same by construction.
import { ENTRY_KINDS, type Entry, type EntryId, type EntryKind } from './entry.js';
import type { Curation, IncidentMeta } from './incident.js';
import { incidentMetrics } from './insights.js';
import { answeredIds, entryRuleItems, theoryCard, theoryWarnings, workerOf } from './rulesView.js';
import { type TheoryPhaseState, isLive, stateOf, theoryPhases } from './theory.js';
import { entryEvent, llmEvents, metaEvents } from './timeline.js';
import type { CommanderView } from './view.js';
import { itemEntries, viewHeader } from './viewLayout.js';

type Moments = CommanderView['timeline'];

const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
};
const removeFrom = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
};

export class DerivedViews {
  private readonly entries = new Map<EntryId, Entry>();
  /** Who refs each id, whether it is present or not. */
  private readonly referrers = new Map<EntryId, Set<EntryId>>();
  /** How many findings, datasets and decisions ref each id: a gap with any is answered. */
  private readonly answers = new Map<EntryId, number>();
  private readonly curation = new Map<string, Curation>();
  private meta: IncidentMeta | null = null;
  private moments: Moments = [];
  private readonly counts = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  private watermark: EntryId | null = null;
  /** Each writer's entries, and the first of them by id (whose name the board shows). */
  private readonly byAuthor = new Map<string, { ids: Set<EntryId>; first: EntryId }>();
  /** Each theory's fold, and the live ones by their support (the most of it leads). */
  private readonly phases = new Map<EntryId, TheoryPhaseState>();
  private readonly liveBySupport = new Map<number, Set<EntryId>>();
  private most = 0;
  /** The keys each subject made last time: those it no longer makes are deleted. */
  private readonly made = new Map<string, string[]>();
  private readonly dirty = {
    entries: new Set<EntryId>(),
    theories: new Set<EntryId>(),
    authors: new Set<string>(),
    counts: true,
    meta: false,
    moments: false,
  };

  /** An entry was added, changed, or (`undefined`) removed. */
  setEntry(id: EntryId, entry: Entry | undefined): void {
    const old = this.entries.get(id);
    if (old === entry) return;
    if (old) this.touch(old);
    if (old) this.forget(old);
    if (entry) this.learn(entry);
    if (entry) this.touch(entry);
    this.dirty.counts = true;
  }

  /** The author's curation of an entry changed (`undefined`: none, or not valid). */
  setCuration(id: string, curation: Curation | undefined): void {
    if (curation) this.curation.set(id, curation);
    else this.curation.delete(id);
    this.dirty.entries.add(id);
  }

  setMeta(meta: IncidentMeta): void {
    this.meta = meta;
    this.dirty.meta = true;
  }

  /** The commander view's key moments, which join the timeline. */
  setKeyMoments(moments: Moments): void {
    this.moments = moments;
    this.dirty.moments = true;
  }

  /**
   * The `view` root's keys whose value may have changed since the last call, each to its value or
   * to `undefined` where it is gone. The first call names every key.
   */
  changes(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const { dirty } = this;
    for (const id of this.refoldTheories()) this.make(`t:${id}`, this.theoryItems(id), out);
    for (const id of dirty.entries) this.make(`e:${id}`, this.entryItems(id), out);
    for (const a of dirty.authors) this.make(`w:${a}`, this.workerItems(a), out);
    if (dirty.counts)
      out.set(...viewHeader('rules', { counts: { ...this.counts }, watermark: this.watermark }));
    if (dirty.meta && this.meta) {
      this.make('meta', itemEntries('timeline', { events: metaEvents(this.meta) }), out);
      out.set(...viewHeader('timeline', { metrics: incidentMetrics(this.meta) }));
    }
    if (dirty.moments)
      this.make('moments', itemEntries('timeline', { events: llmEvents(this.moments) }), out);
    dirty.entries.clear();
    dirty.theories.clear();
    dirty.authors.clear();
    dirty.counts = dirty.meta = dirty.moments = false;
    return out;
  }

  /** Replaces what `subject` made last time with `items`. */
  private make(subject: string, items: [string, unknown][], out: Map<string, unknown>): void {
    for (const k of this.made.get(subject) ?? []) out.set(k, undefined);
    for (const [k, v] of items) out.set(k, v);
    if (items.length > 0)
      this.made.set(
        subject,
        items.map(([k]) => k),
      );
    else this.made.delete(subject);
  }

  private learn(e: Entry): void {
    this.entries.set(e.id, e);
    this.counts[e.kind]++;
    if (this.watermark === null || e.id > this.watermark) this.watermark = e.id;
    for (const r of new Set(e.refs ?? [])) addTo(this.referrers, r, e.id);
    for (const r of answeredIds([e])) this.answers.set(r, (this.answers.get(r) ?? 0) + 1);
    const author = this.byAuthor.get(e.author.id);
    if (!author) this.byAuthor.set(e.author.id, { ids: new Set([e.id]), first: e.id });
    else {
      author.ids.add(e.id);
      if (e.id < author.first) author.first = e.id;
    }
    if (this.byAuthor.get(e.author.id)?.first === e.id) this.dirty.authors.add(e.author.id);
  }

  private forget(e: Entry): void {
    this.entries.delete(e.id);
    this.counts[e.kind]--;
    for (const r of new Set(e.refs ?? [])) removeFrom(this.referrers, r, e.id);
    for (const r of answeredIds([e])) {
      const n = (this.answers.get(r) ?? 0) - 1;
      if (n > 0) this.answers.set(r, n);
      else this.answers.delete(r);
    }
    const author = this.byAuthor.get(e.author.id);
    author?.ids.delete(e.id);
    if (author?.first === e.id) this.dirty.authors.add(e.author.id);
    if (author?.ids.size === 0) this.byAuthor.delete(e.author.id);
    else if (author?.first === e.id) author.first = [...author.ids].sort()[0] ?? e.id;
    // Only the newest entry's removal looks at every id (a purge; entries are not deleted otherwise).
    if (this.watermark === e.id)
      this.watermark = [...this.entries.keys()].reduce<EntryId | null>(
        (a, b) => (a === null || b > a ? b : a),
        null,
      );
  }

  /**
   * Marks what an entry (as it is, or as it was) can alter: its own items and those of what it
   * refs (a gap it answers), of what refs it (a label it lends a timeline event), its writer, and
   * every theory whose fold it is part of. That is the theories it or anything that refs it
   * (transitively: an entry waits for what it refs, so their order can change with it) refs
   * directly or through a rejection.
   */
  private touch(e: Entry): void {
    const { dirty } = this;
    dirty.entries.add(e.id);
    for (const r of answeredIds([e])) if (this.entries.get(r)?.kind === 'gap') dirty.entries.add(r);
    for (const r of this.referrers.get(e.id) ?? []) dirty.entries.add(r);
    const up = new Set<EntryId>([e.id]);
    const stack = [e.id];
    for (let id = stack.pop(); id !== undefined; id = stack.pop())
      for (const r of this.referrers.get(id) ?? []) if (!up.has(r)) up.add(r) && stack.push(r);
    if (e.kind === 'theory') dirty.theories.add(e.id);
    for (const id of up) {
      const u = id === e.id ? e : this.entries.get(id);
      if (u?.kind === 'theory') dirty.theories.add(id);
      for (const r of u?.refs ?? []) {
        const target = this.entries.get(r);
        if (target?.kind === 'theory') dirty.theories.add(r);
        if (target?.kind === 'rejection')
          for (const t of target.refs ?? [])
            if (this.entries.get(t)?.kind === 'theory') dirty.theories.add(t);
      }
    }
  }

  /**
   * Folds the marked theories again, each over the entries its fold reads (theoryPhases), and
   * returns the theories whose card may have changed: those, and the ones whose leading changed
   * with the most support.
   */
  private refoldTheories(): Set<EntryId> {
    const cards = new Set(this.dirty.theories);
    for (const id of this.dirty.theories) {
      const before = this.phases.get(id);
      if (before && isLive(before.phase)) removeFrom(this.liveBySupport, before.support.length, id);
      this.phases.delete(id);
      if (this.entries.get(id)?.kind !== 'theory') continue;
      const folded = theoryPhases(this.foldInputs(id)).find((t) => t.theory.id === id);
      if (!folded) continue;
      this.phases.set(id, folded);
      if (isLive(folded.phase)) addTo(this.liveBySupport, folded.support.length, id);
    }
    const most = Math.max(0, ...this.liveBySupport.keys());
    // A theory with the most support leads (when that is more than none): the change moves the lead.
    if (most !== this.most) {
      for (const n of [this.most, most])
        if (n > 0) for (const id of this.liveBySupport.get(n) ?? []) cards.add(id);
      this.most = most;
    }
    return cards;
  }

  /**
   * What a theory's fold reads: the theory, the entries that ref it, those that ref its
   * rejections, and everything those ref in turn (their order depends on it).
   */
  private foldInputs(theory: EntryId): Entry[] {
    const ids = new Set<EntryId>([theory]);
    for (const r of this.referrers.get(theory) ?? []) {
      ids.add(r);
      if (this.entries.get(r)?.kind === 'rejection')
        for (const rr of this.referrers.get(r) ?? []) ids.add(rr);
    }
    const stack = [...ids];
    for (let id = stack.pop(); id !== undefined; id = stack.pop())
      for (const r of this.entries.get(id)?.refs ?? [])
        if (!ids.has(r) && this.entries.has(r)) ids.add(r) && stack.push(r);
    return [...ids].flatMap((id) => this.entries.get(id) ?? []);
  }

  private theoryItems(id: EntryId): [string, unknown][] {
    const folded = this.phases.get(id);
    if (!folded) return [];
    const { phase, ...rest } = folded;
    const t = { ...rest, state: stateOf(phase, rest.support.length, this.most) };
    return itemEntries('rules', {
      theories: [theoryCard(t, this.entries)],
      warnings: theoryWarnings(t, this.entries),
    });
  }

  private entryItems(id: EntryId): [string, unknown][] {
    const e = this.entries.get(id);
    if (!e) return [];
    const event = entryEvent(e, this.curation.get(id), this.entries);
    return [
      ...itemEntries('rules', entryRuleItems(e, this.answers.has(id))),
      ...(event ? itemEntries('timeline', { events: [event] }) : []),
    ];
  }

  private workerItems(authorId: string): [string, unknown][] {
    const first = this.entries.get(this.byAuthor.get(authorId)?.first ?? '');
    return first ? itemEntries('rules', { workers: [workerOf(first)] }) : [];
  }
}
