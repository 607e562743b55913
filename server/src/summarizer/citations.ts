// The model's answer, checked: it must parse as a CommanderBrief, and every item must cite only
// entries that exist. Items citing unknown ids are dropped and counted; a headline that does is
// a bad answer as a whole.
import { CommanderBrief, SitrepError, describeIssues } from '@sitrep/shared';

export interface CheckedBrief {
  brief: CommanderBrief;
  /** Items dropped for citing entries that do not exist. */
  dropped: number;
}

export function checkBrief(output: unknown, known: ReadonlySet<string>): CheckedBrief {
  const parsed = CommanderBrief.safeParse(output);
  if (!parsed.success) {
    throw new SitrepError(
      'summarizer.bad_output',
      `the model's answer does not fit the schema: ${describeIssues(parsed.error.issues).slice(0, 5).join('; ')}`,
    );
  }
  const b = parsed.data;
  const cites = (ids: readonly string[]) => ids.every((id) => known.has(id));
  if (!cites(b.headline.cites))
    throw new SitrepError('summarizer.bad_output', 'the headline cites entries that do not exist');
  let dropped = 0;
  const keep = <T>(items: readonly T[], ids: (item: T) => readonly string[]): T[] =>
    items.filter((item) => cites(ids(item)) || (dropped++, false));
  const one = <T extends { cites: string[] }>(item: T | null) =>
    item && !cites(item.cites) ? (dropped++, null) : item;
  const brief: CommanderBrief = {
    headline: b.headline,
    impact: one(b.impact),
    status: one(b.status),
    whatChanged: keep(b.whatChanged, (c) => c.cites),
    nextActions: keep(b.nextActions, (c) => c.cites),
    warnings: keep(b.warnings, (c) => c.cites),
    mergedTheories: keep(b.mergedTheories, (m) => [m.into, ...m.merged]),
    timeline: keep(b.timeline, (c) => c.cites),
  };
  return { brief, dropped };
}
