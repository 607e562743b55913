// The rules view: a pure fold of the entries into the theory board, the decisions, open gaps,
// datasets, actions, who is on what, entries for review (blame flags), counts and warnings. No
// model is involved, so it is always there and always cites the entries it rests on. Presence
// never goes into it (the view is logged and sent to everyone; presence is neither kept nor
// purged): readers who show presence add what it says themselves (`presenceWarnings`). Every list
// is in a fixed order (viewLayout.ts rebuilds it in that order from its parts).
import { ENTRY_KINDS, type Entry, type EntryId, type EntryKind } from './entry.js';
import type { Presence } from './presence.js';
import { blameReasons, reviewFlags } from './review.js';
import { cut } from './storable.js';
import { type TheoryState, theoryStates } from './theory.js';
import { RULE_WARNINGS, type RuleWarning, type RulesView, type TheoryCard, type Worker } from './view.js';

/** Findings by two people on one live theory within this window mean they overlap. */
export const DUPLICATE_WORK_WINDOW_MS = 15 * 60_000;

/**
 * An action's owner: its `owner:<name>` tag, or none. Filing an action is not taking it ("someone
 * check the canary"), so the author is not taken for the owner; the headline lists unowned ones.
 */
export function actionOwner(e: Entry): string | undefined {
  const tag = e.tags?.find((t) => t.startsWith('owner:') && t.length > 'owner:'.length);
  return tag?.slice('owner:'.length);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The entries a finding, dataset or decision refs: the gaps (and actions) they answer. */
export function answeredIds(entries: readonly Entry[]): Set<EntryId> {
  const answered = new Set<EntryId>();
  for (const e of entries)
    if (e.kind === 'finding' || e.kind === 'dataset' || e.kind === 'decision')
      for (const r of e.refs ?? []) answered.add(r);
  return answered;
}

/** The text cut to at most `n` characters, an ellipsis marking the cut. */
export const clip = (s: string, n = 120) => (s.length > n ? `${cut(s, n - 1)}…` : s);

export function entryLabel(e: Entry): string {
  return clip(e.title ?? e.body.split('\n')[0] ?? e.id);
}

export function buildRulesView(entries: readonly Entry[]): RulesView {
  const ordered = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(ordered.map((e) => [e.id, e]));
  const states = theoryStates(ordered);
  const answered = answeredIds(ordered);
  const items = ordered.map((e) => entryRuleItems(e, answered.has(e.id)));
  const counts = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  for (const e of ordered) counts[e.kind]++;
  const warnings = [
    ...states.flatMap((t) => theoryWarnings(t, byId)),
    ...items.flatMap((i) => i.warnings ?? []),
  ];
  return {
    // In id order: a theory whose ref sorts later comes out of the fold after it.
    theories: states.map((t) => theoryCard(t, byId)).sort((a, b) => byText(a.id, b.id)),
    decisions: items.flatMap((i) => i.decisions ?? []),
    openGaps: items.flatMap((i) => i.openGaps ?? []),
    datasets: items.flatMap((i) => i.datasets ?? []),
    actions: items.flatMap((i) => i.actions ?? []),
    workers: workers(ordered),
    review: items.flatMap((i) => i.review ?? []),
    counts,
    // One per code and subject, by code, then subject (the layout's order).
    warnings: warnings.sort(
      (a, b) =>
        RULE_WARNINGS.indexOf(a.code) - RULE_WARNINGS.indexOf(b.code) ||
        byText(a.cites[0] ?? '', b.cites[0] ?? ''),
    ),
    watermark: ordered.at(-1)?.id ?? null,
  };
}

/** The items of a rules view's lists that one entry makes (`answered`: a finding, dataset or decision refs it). */
export type EntryRuleItems = Partial<
  Pick<RulesView, 'decisions' | 'openGaps' | 'datasets' | 'actions' | 'review' | 'warnings'>
>;

/** What one entry adds to the rules view's lists, whatever the other entries say (but `answered`). */
export function entryRuleItems(e: Entry, answered: boolean): EntryRuleItems {
  const out: EntryRuleItems = {};
  if (e.kind === 'decision') {
    out.decisions = [{ id: e.id, hasRationale: Boolean(e.rationale) }];
    if (!e.rationale)
      out.warnings = [
        {
          code: 'decision_without_rationale',
          text: `decision "${entryLabel(e)}" has no rationale`,
          cites: [e.id],
        },
      ];
  }
  if (e.kind === 'gap' && !answered) out.openGaps = [e.id];
  if (e.kind === 'dataset') out.datasets = [e.id];
  if (e.kind === 'action') {
    const owner = actionOwner(e);
    out.actions = [owner ? { id: e.id, owner } : { id: e.id }];
  }
  const reasons = blameReasons(reviewFlags(e));
  if (reasons.length > 0) out.review = [{ id: e.id, reasons: reasons.slice(0, 16) }];
  return out;
}

/** A theory's card on the board; `byId` finds its supporting findings' authors. */
export function theoryCard(t: TheoryState, byId: ReadonlyMap<EntryId, Entry>): TheoryCard {
  const workers = new Set(
    [t.theory.author.id, ...t.support.map((id) => byId.get(id)?.author.id ?? '')].filter(Boolean),
  );
  return {
    id: t.theory.id,
    title: t.theory.title ?? entryLabel(t.theory),
    state: t.state,
    support: t.support,
    ...(t.rejectedBy && { rejectedBy: t.rejectedBy }),
    ...(t.reopenedBy && { reopenedBy: t.reopenedBy }),
    ...(t.confirmedBy && { confirmedBy: t.confirmedBy }),
    workers: [...workers],
  };
}

/** A theory's warnings: dismissed too early, and two authors adding findings to it while it is live. */
export function theoryWarnings(t: TheoryState, byId: ReadonlyMap<EntryId, Entry>): RuleWarning[] {
  const out: RuleWarning[] = [];
  if (t.dismissedTooEarly && t.rejectedBy && t.reopenedBy) {
    out.push({
      code: 'dismissed_too_early',
      text: `"${clip(t.theory.title ?? t.theory.id, 80)}" was rejected, then a later finding supported it`,
      cites: [t.theory.id, t.rejectedBy, t.reopenedBy],
    });
  }
  const duplicate = duplicateWork(t, byId);
  if (duplicate) out.push(duplicate);
  return out;
}

/** Two authors adding findings to one live theory within DUPLICATE_WORK_WINDOW_MS of each other. */
function duplicateWork(t: TheoryState, byId: ReadonlyMap<EntryId, Entry>): RuleWarning | null {
  if (t.state === 'rejected' || t.state === 'confirmed') return null;
  const findings = t.support.map((id) => byId.get(id)).filter((e): e is Entry => e !== undefined);
  const overlap = findings.flatMap((a, i) =>
    findings
      .slice(i + 1)
      .filter(
        (b) =>
          b.author.id !== a.author.id &&
          Math.abs(Date.parse(b.at) - Date.parse(a.at)) <= DUPLICATE_WORK_WINDOW_MS,
      )
      .map((b) => [a, b] as const),
  );
  const pair = overlap.at(-1);
  if (!pair) return null;
  const title = clip(t.theory.title ?? t.theory.id, 80);
  return {
    code: 'duplicate_work',
    text: `${pair[0].author.name} and ${pair[1].author.name} are both working on "${title}"`,
    cites: [t.theory.id, pair[0].id, pair[1].id],
  };
}

/**
 * What presence adds to a rules view's warnings, for readers that see presence: two present
 * clients focused on one live theory the entries do not already show two people on.
 */
export function presenceWarnings(rules: RulesView, presence: readonly Presence[]): RuleWarning[] {
  const flagged = new Set(rules.warnings.filter((w) => w.code === 'duplicate_work').map((w) => w.cites[0]));
  const out: RuleWarning[] = [];
  for (const t of rules.theories) {
    if (t.state === 'rejected' || t.state === 'confirmed' || flagged.has(t.id)) continue;
    // Two names and a count: the text stays within its bound however many look at one theory.
    const names = [...new Set(presence.filter((p) => p.focus === t.id).map((p) => clip(p.name, 60)))];
    if (names.length < 2) continue;
    const who =
      names.length > 2
        ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more are`
        : `${names.join(' and ')} are both`;
    out.push({ code: 'duplicate_work', text: `${who} focused on "${clip(t.title, 80)}"`, cites: [t.id] });
  }
  return out;
}

/** A writer as the board lists them: as their first entry (in id order) names them. */
export const workerOf = (first: Entry): Worker => ({
  id: first.author.id,
  name: first.author.name,
  kind: first.author.kind,
});

/** Everyone who wrote, by id. */
function workers(ordered: readonly Entry[]): Worker[] {
  const out = new Map<string, Worker>();
  for (const e of ordered) if (!out.has(e.author.id)) out.set(e.author.id, workerOf(e));
  return [...out.values()].sort((a, b) => byText(a.id, b.id));
}
