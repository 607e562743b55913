// Incident memory as text for people and agents: search results and "seen before" as the CLI
// prints them and the MCP tools answer them. Pure; the shapes are shared/src/memory.ts's.
import {
  type MemoryIncident,
  type RelatedIncident,
  type SearchResult,
  cut,
  entryLabel,
} from '@sitrep/shared';

const oneLine = (s: string, n: number) => cut(s.replace(/\s+/g, ' ').trim(), n);
const incidentLine = (i: MemoryIncident) =>
  `${i.title} (${i.id}, ${i.severity}, ${i.status}${i.kind === 'drill' ? ', DRILL' : ''})`;

/** One line per result: incident, entry kind, the snippet, and the ids to open it by. */
export function searchText(results: readonly SearchResult[]): string {
  if (results.length === 0) return 'nothing found';
  return results
    .map(
      (r) =>
        `${r.incident.kind === 'drill' ? '[drill] ' : ''}${r.incident.id}  ${r.entry.kind.padEnd(10)} ` +
        `${oneLine(r.snippet, 200)}  [${r.entry.id}] (score ${r.score.toFixed(3)})`,
    )
    .join('\n');
}

/** Each related incident as Markdown: why it matched, then what happened there. */
export function relatedText(related: readonly RelatedIncident[]): string {
  if (related.length === 0) return 'No past incident is like this one (none scored above the threshold).';
  return related
    .map((r) => {
      const why = [
        r.why.errors.length ? `errors: ${r.why.errors.map((e) => `\`${e}\``).join(', ')}` : '',
        r.why.services.length ? `services: ${r.why.services.join(', ')}` : '',
        r.why.terms.length ? `words: ${r.why.terms.join(', ')}` : '',
        r.why.cause ? `a cause like ${r.why.cause.incident}'s (${r.why.cause.terms.join(', ')})` : '',
      ].filter(Boolean);
      const o = r.outcome;
      const lines = [
        `## ${incidentLine(r.incident)}, score ${r.score.toFixed(2)}`,
        `Matched on ${why.join('; ') || 'its title'}.`,
        ...o.confirmed.map((e) => `- confirmed: ${entryLabel(e)} [${e.id}]`),
        ...o.rejected.map(
          (x) =>
            `- rejected: ${entryLabel(x.theory)} [${x.theory.id}]${x.rationale ? `, because ${oneLine(x.rationale, 240)}` : ''}`,
        ),
        ...o.decisions.map(
          (e) =>
            `- decision: ${entryLabel(e)}${e.rationale ? ` (${oneLine(e.rationale, 200)})` : ''} [${e.id}]`,
        ),
        ...o.openActions.map((e) => `- still open (${e.kind}): ${entryLabel(e)} [${e.id}]`),
      ];
      return lines.join('\n');
    })
    .join('\n\n');
}
