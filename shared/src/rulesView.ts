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

  const theories: TheoryCard[] = states.map((t) => {
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
  });
  // In id order: a theory whose ref sorts later comes out of the fold after it.
  theories.sort((a, b) => byText(a.id, b.id));

  const answered = answeredIds(ordered);

  const counts = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  for (const e of ordered) counts[e.kind]++;

  const warnings: RuleWarning[] = [];
  for (const t of states) {
    if (t.dismissedTooEarly && t.rejectedBy && t.reopenedBy) {
      warnings.push({
        code: 'dismissed_too_early',
        text: `"${clip(t.theory.title ?? t.theory.id, 80)}" was rejected, then a later finding supported it`,
        cites: [t.theory.id, t.rejectedBy, t.reopenedBy],
      });
    }
  }
  warnings.push(...duplicateWork(states, byId));
  for (const e of ordered) {
    if (e.kind === 'decision' && !e.rationale) {
      warnings.push({
        code: 'decision_without_rationale',
        text: `decision "${entryLabel(e)}" has no rationale`,
        cites: [e.id],
      });
    }
  }

  return {
    theories,
    decisions: ordered
      .filter((e) => e.kind === 'decision')
      .map((e) => ({ id: e.id, hasRationale: Boolean(e.rationale) })),
    openGaps: ordered.filter((e) => e.kind === 'gap' && !answered.has(e.id)).map((e) => e.id),
    datasets: ordered.filter((e) => e.kind === 'dataset').map((e) => e.id),
    actions: ordered
      .filter((e) => e.kind === 'action')
      .map((e) => {
        const owner = actionOwner(e);
        return owner ? { id: e.id, owner } : { id: e.id };
      }),
    workers: workers(ordered),
    review: ordered.flatMap((e) => {
      const reasons = blameReasons(reviewFlags(e));
      return reasons.length > 0 ? [{ id: e.id, reasons: reasons.slice(0, 16) }] : [];
    }),
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

/** Two authors adding findings to one live theory within DUPLICATE_WORK_WINDOW_MS of each other. */
function duplicateWork(states: readonly TheoryState[], byId: Map<EntryId, Entry>): RuleWarning[] {
  const out: RuleWarning[] = [];
  for (const t of states) {
    if (t.state === 'rejected' || t.state === 'confirmed') continue;
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
    const title = clip(t.theory.title ?? t.theory.id, 80);
    if (pair)
      out.push({
        code: 'duplicate_work',
        text: `${pair[0].author.name} and ${pair[1].author.name} are both working on "${title}"`,
        cites: [t.theory.id, pair[0].id, pair[1].id],
      });
  }
  return out;
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

/** Everyone who wrote, by id. */
function workers(ordered: readonly Entry[]): Worker[] {
  const out = new Map<string, Worker>();
  for (const e of ordered)
    if (!out.has(e.author.id))
      out.set(e.author.id, { id: e.author.id, name: e.author.name, kind: e.author.kind });
  return [...out.values()].sort((a, b) => byText(a.id, b.id));
}
