// The derived state of each theory. Never stored: a fold over the entries in id (time) order,
// each entry after the entries it refs (a writer's clock may run behind the one it answers).
import type { Entry, EntryId } from './entry.js';

export type TheoryStateName = 'open' | 'leading' | 'confirmed' | 'rejected' | 'reopened';

/** What the derivation reads of an entry. */
export type TheoryInput = Pick<Entry, 'id' | 'kind' | 'refs' | 'tags'>;

export interface TheoryState<E extends TheoryInput = Entry> {
  theory: E;
  state: TheoryStateName;
  /** Findings that ref the theory, in order. */
  support: EntryId[];
  /** The latest rejection, while the theory stands rejected or was reopened after it. */
  rejectedBy?: EntryId;
  /** The reopen or the finding that revived a rejected theory. */
  reopenedBy?: EntryId;
  confirmedBy?: EntryId;
  /** A finding supported the theory after it was rejected. */
  dismissedTooEarly: boolean;
}

/** The tag a decision or finding carries when it confirms the theories it refs. */
export const CONFIRMS_TAG = 'confirms';

/** Where a theory's fold leaves it, before the leading ones among the live are picked. */
export type TheoryPhase = 'open' | 'rejected' | 'reopened' | 'confirmed';

/** A theory as its own fold leaves it: its phase, not yet whether it leads. */
export type TheoryPhaseState<E extends TheoryInput = Entry> = Omit<TheoryState<E>, 'state'> & {
  phase: TheoryPhase;
};

/** Open and reopened theories compete for leading. */
export const isLive = (phase: TheoryPhase) => phase === 'open' || phase === 'reopened';

/** A theory's state, given its phase, its support and the most support any live theory has. */
export function stateOf(phase: TheoryPhase, support: number, most: number): TheoryStateName {
  if (!isLive(phase)) return phase;
  return most > 0 && support === most ? 'leading' : phase;
}

/**
 * Derives every theory's state. Rules, applied in entry order: a rejection that refs a theory
 * rejects it; a reopen that refs the theory or its rejection reopens it; a finding that refs a
 * rejected theory reopens it and flags it dismissed too early; a decision or finding tagged
 * `confirms` confirms what it refs. Among open and reopened theories, those with the most
 * supporting findings (at least one) are leading.
 */
export function theoryStates<E extends TheoryInput>(entries: readonly E[]): TheoryState<E>[] {
  const phases = theoryPhases(entries);
  const most = Math.max(0, ...phases.filter((t) => isLive(t.phase)).map((t) => t.support.length));
  return phases.map(({ phase, ...t }) => ({ ...t, state: stateOf(phase, t.support.length, most) }));
}

/**
 * Every theory's phase: the fold of theoryStates without the leading rule. A theory's phase
 * depends only on the entries that ref it or its rejections and on what those ref in turn (the
 * order they are applied in), so a subset that holds all of those folds it the same.
 */
export function theoryPhases<E extends TheoryInput>(entries: readonly E[]): TheoryPhaseState<E>[] {
  const ordered = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const states = new Map<EntryId, TheoryPhaseState<E>>();
  const rejectionOf = new Map<EntryId, EntryId>(); // rejection id -> theory id
  for (const e of ordered) {
    if (e.kind === 'theory')
      states.set(e.id, { theory: e, phase: 'open', support: [], dismissedTooEarly: false });
  }

  const apply = (e: E): void => {
    for (const ref of e.refs ?? []) {
      const viaRejection = rejectionOf.get(ref);
      const t = states.get(ref) ?? (viaRejection === undefined ? undefined : states.get(viaRejection));
      if (!t) continue;
      const direct = t.theory.id === ref;
      if (e.kind === 'rejection' && direct) {
        t.phase = 'rejected';
        t.rejectedBy = e.id;
        t.reopenedBy = undefined;
        t.confirmedBy = undefined;
        rejectionOf.set(e.id, t.theory.id);
      } else if (e.kind === 'reopen' && t.phase === 'rejected') {
        t.phase = 'reopened';
        t.reopenedBy = e.id;
      } else if (e.kind === 'finding' && direct) {
        t.support.push(e.id);
        if (t.phase === 'rejected') {
          t.phase = 'reopened';
          t.reopenedBy = e.id;
          t.dismissedTooEarly = true;
        }
      }
      if ((e.kind === 'decision' || e.kind === 'finding') && direct && e.tags?.includes(CONFIRMS_TAG)) {
        t.phase = 'confirmed';
        t.confirmedBy = e.id;
      }
    }
  };

  // In id order, but an entry whose ref sorts later waits for it: a rejection made by a writer
  // whose clock runs behind still comes after the theory it rejects.
  // Entries whose refs form a cycle (one append may make one) wait on each other: they are
  // applied after the rest, in id order, each once.
  const present = new Set(ordered.map((e) => e.id));
  const applied = new Set<EntryId>();
  const waiting = new Map<EntryId, E[]>();
  const run = (first: E, force: boolean): void => {
    const stack = [first];
    while (stack.length > 0) {
      const e = stack.pop() as E;
      if (applied.has(e.id)) continue;
      const missing =
        force && e === first
          ? undefined
          : (e.refs ?? []).find((r) => present.has(r) && !applied.has(r) && r !== e.id);
      if (missing !== undefined) {
        const queue = waiting.get(missing);
        if (queue) queue.push(e);
        else waiting.set(missing, [e]);
        continue;
      }
      if (e.kind !== 'theory') apply(e);
      applied.add(e.id);
      stack.push(...(waiting.get(e.id) ?? []).reverse());
      waiting.delete(e.id);
    }
  };
  for (const e of ordered) run(e, false);
  for (const e of ordered) if (!applied.has(e.id)) run(e, true);

  return [...states.values()];
}
