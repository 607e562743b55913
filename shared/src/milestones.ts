// Milestone stamps: what a status change adds to an incident's meta. One pure function that the
// server applies after every status change, whichever path made it (a socket, the API, the CLI,
// the dashboard), so every incident's times mean the same thing to the figures built on them.
import type { IncidentMeta, Status } from './incident.js';

export type MilestoneKey = 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt';

/** The milestones each status implies: reaching it stamps those still unset. */
export const MILESTONES: Readonly<Record<Status, readonly MilestoneKey[]>> = {
  investigating: [],
  identified: ['acknowledgedAt'],
  mitigating: ['acknowledgedAt'],
  monitoring: ['acknowledgedAt', 'mitigatedAt'],
  resolved: ['acknowledgedAt', 'mitigatedAt', 'resolvedAt'],
};

/** The meta a status change reads: the status it reached, its times and its reopenings. */
export type StampedMeta = Pick<IncidentMeta, 'status' | MilestoneKey | 'reopens'>;

/** What a status change writes: milestone times, and a reopening's count and time. */
export type MilestoneStamps = Partial<Pick<IncidentMeta, MilestoneKey | 'reopens' | 'reopenedAt'>>;

/**
 * The meta a change of status from `from` (null: the document had none) to `meta.status` adds, at
 * `at`. It stamps the milestones the change passes (those the new status implies and the old one
 * did not), each only while unset (absent or null): a time set by hand, or stamped before, is
 * never overwritten; nor is one the change itself sets (`setWith`), even to null: the writer said
 * what it should be. A milestone passed before (a record made resolved without its times, a time
 * cleared by hand) stays as it is: the change did not happen now. Leaving `resolved` is a
 * reopening: the earlier times stay, `reopens` counts it and `reopenedAt` says when
 * (docs/decisions.md).
 */
export function milestoneStamps(
  from: Status | null,
  meta: StampedMeta,
  at: string,
  setWith: readonly string[] = [],
): MilestoneStamps {
  if (from === meta.status) return {};
  const stamps: MilestoneStamps = {};
  const before = from === null ? [] : MILESTONES[from];
  for (const key of MILESTONES[meta.status])
    if (!before.includes(key) && !meta[key] && !setWith.includes(key)) stamps[key] = at;
  if (from === 'resolved') {
    stamps.reopens = (meta.reopens ?? 0) + 1;
    stamps.reopenedAt = at;
  }
  return stamps;
}
