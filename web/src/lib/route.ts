// Hash routes: `#/` is the incident list, `#/insights` the figures across incidents,
// `#/incidents/<id>` an incident and
// `#/incidents/<id>/entries/<entryId>` one entry of it, open over the incident page. Opening
// entries adds history steps, and the step records how many entries deep it is, so Escape can
// go back to the incident page in one move.
import { IncidentId } from '@sitrep/shared';

export type Route =
  | { page: 'list' }
  | { page: 'insights' }
  | { page: 'incident'; id: string; entry: string | null };

export const INSIGHTS_HREF = '#/insights';

/** An entry segment longer than any id is not looked at. */
const MAX_ENTRY_SEGMENT = 128;

function segment(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function parseRoute(hash: string): Route {
  if (/^#\/insights\/?(?:[?#]|$)/.test(hash)) return { page: 'insights' };
  const m = /^#\/incidents\/([^/?#&]+)(?:\/entries\/([^/?#&]*))?/.exec(hash);
  const id = segment(m?.[1]);
  if (!id || !IncidentId.safeParse(id).success) return { page: 'list' };
  const entry = segment(m?.[2]);
  return { page: 'incident', id, entry: entry && entry.length <= MAX_ENTRY_SEGMENT ? entry : null };
}

export const incidentHref = (id: string) => `#/incidents/${encodeURIComponent(id)}`;
export const entryHref = (id: string, entryId: string) =>
  `${incidentHref(id)}/entries/${encodeURIComponent(entryId)}`;

/**
 * What a history step showing an entry records: how many entry steps lead up to it, and whether
 * the step below the first is the incident page (opened from it) or not (a pasted link).
 */
export interface EntrySteps {
  steps: number;
  fromPage: boolean;
}

export function readEntrySteps(state: unknown): EntrySteps | null {
  const s = (state as { sitrepEntry?: Partial<EntrySteps> } | null)?.sitrepEntry;
  return s && typeof s.steps === 'number' && s.steps >= 1 && typeof s.fromPage === 'boolean'
    ? { steps: s.steps, fromPage: s.fromPage }
    : null;
}
export const entryStepsState = (s: EntrySteps) => ({ sitrepEntry: s });

/**
 * The record for a new step to `next`: one more than the step before when that showed an entry
 * of the same incident; the first from the incident page; a fresh chain otherwise (the first
 * page loaded, another incident).
 */
export function nextEntrySteps(
  prev: Route | null,
  prevSteps: EntrySteps | null,
  next: Route,
): EntrySteps | null {
  if (next.page !== 'incident' || !next.entry) return null;
  const same = prev?.page === 'incident' && prev.id === next.id;
  if (same && prev.entry && prevSteps) return { steps: prevSteps.steps + 1, fromPage: prevSteps.fromPage };
  return { steps: 1, fromPage: same && !prev.entry };
}
