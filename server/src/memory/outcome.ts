// What happened in a past incident, from its entries: the theories confirmed, the theories
// rejected with the rationale given then, the decisions, and the follow-ups still open. Pure: the
// theory states come from the one fold (`theoryStates`), as on the theory board.
import { type Entry, type RelatedOutcome, answeredIds, theoryStates } from '@sitrep/shared';

/** Entries of each list at most: the most relevant first (see `relevance`). */
export const OUTCOME_LIMIT = 10;

/**
 * Entries an outcome is made from at most, per past incident: its newest (a theory older than
 * them, rejected among them, is not told). Bounds what one huge past incident costs a request.
 */
export const OUTCOME_ENTRIES = 2000;

/** The kinds an outcome is made from; findings and datasets only when they ref something. */
export const OUTCOME_KINDS = ['theory', 'rejection', 'reopen', 'decision', 'action', 'gap'] as const;

/**
 * The outcome of an incident from its theories, rejections, reopens, decisions, actions, gaps and
 * the findings and datasets that ref something. An action or gap is open until a finding, dataset
 * or decision refs it (as the rules view answers gaps). Each list is ordered by `relevance` (how
 * much of what was asked the entry speaks of), then newest first, and cut to OUTCOME_LIMIT.
 */
export function outcomeOf(entries: readonly Entry[], relevance: (e: Entry) => number): RelatedOutcome {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const states = theoryStates(entries);
  const answered = answeredIds(entries);
  const ranked = <T>(items: T[], entry: (t: T) => Entry): T[] =>
    items
      .map((t) => ({ t, r: relevance(entry(t)), id: entry(t).id }))
      .sort((a, b) => b.r - a.r || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, OUTCOME_LIMIT)
      .map((x) => x.t);
  const rejected = states.flatMap((t) => {
    if (t.state !== 'rejected' || !t.rejectedBy) return [];
    const rejection = byId.get(t.rejectedBy);
    const rationale = rejection?.rationale ?? (rejection?.body.trim() || null);
    return [{ theory: t.theory, rationale }];
  });
  return {
    confirmed: ranked(
      states.filter((t) => t.state === 'confirmed').map((t) => t.theory),
      (e) => e,
    ),
    rejected: ranked(rejected, (r) => r.theory),
    decisions: ranked(
      entries.filter((e) => e.kind === 'decision'),
      (e) => e,
    ),
    openActions: ranked(
      entries.filter((e) => (e.kind === 'action' || e.kind === 'gap') && !answered.has(e.id)),
      (e) => e,
    ),
  };
}
