// The commander's headline without an LLM: what the rules know, in the order a commander reads it
// (the leading theory and its support, the latest decision, the open gaps, the actions nobody
// owns), each line citing the entries behind it, and the rules view's warnings. The dashboard
// shows it when there is no LLM view (and one click away when there is), and the export's summary
// is made of the same lines: one home for both.
import type { Entry, EntryId } from './entry.js';
import { entryLabel } from './rulesView.js';
import type { RuleWarning, RulesView } from './view.js';

export const HEADLINE_LINE_KINDS = ['theory', 'decision', 'gaps', 'unowned'] as const;

/** One statement of the headline and the entries it rests on (never none). */
export interface HeadlineLine {
  kind: (typeof HEADLINE_LINE_KINDS)[number];
  text: string;
  cites: EntryId[];
}

export interface RulesHeadline {
  lines: HeadlineLine[];
  warnings: RuleWarning[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Builds the headline from the rules view; `entries` gives the labels of the entries it names. */
export function buildRulesHeadline(rules: RulesView, entries: ReadonlyMap<EntryId, Entry>): RulesHeadline {
  const label = (id: EntryId) => {
    const e = entries.get(id);
    return e ? entryLabel(e) : id;
  };
  const lines: HeadlineLine[] = [];

  const ahead = rules.theories.filter((t) => t.state === 'confirmed' || t.state === 'leading');
  for (const t of ahead) {
    const state = t.state === 'confirmed' ? 'Confirmed' : 'Leading';
    lines.push({
      kind: 'theory',
      text: `${state} theory: ${t.title} (${plural(t.support.length, 'supporting finding')})`,
      cites: [t.id, ...t.support],
    });
  }
  const open = rules.theories.filter((t) => t.state === 'open' || t.state === 'reopened');
  if (ahead.length === 0 && open.length > 0) {
    lines.push({
      kind: 'theory',
      text: `No leading theory yet: ${plural(open.length, 'open theory', 'open theories')}, none with a supporting finding`,
      cites: open.map((t) => t.id),
    });
  }

  const decision = rules.decisions.at(-1);
  if (decision)
    lines.push({ kind: 'decision', text: `Latest decision: ${label(decision.id)}`, cites: [decision.id] });

  const gaps = rules.openGaps;
  const newestGap = gaps.at(-1);
  if (newestGap) {
    const text =
      gaps.length === 1
        ? `Open gap: ${label(newestGap)}`
        : `${plural(gaps.length, 'open gap')}, the newest: ${label(newestGap)}`;
    lines.push({ kind: 'gaps', text, cites: [...gaps] });
  }

  const unowned = rules.actions.filter((a) => !a.owner).map((a) => a.id);
  const newestUnowned = unowned.at(-1);
  if (newestUnowned) {
    const text =
      unowned.length === 1
        ? `Action without an owner: ${label(newestUnowned)}`
        : `${plural(unowned.length, 'action')} without an owner, the newest: ${label(newestUnowned)}`;
    lines.push({ kind: 'unowned', text, cites: unowned });
  }

  return { lines, warnings: rules.warnings };
}
