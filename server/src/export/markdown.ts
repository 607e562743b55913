// The postmortem draft in Markdown. Each line cites its entries as links to the appendix, where
// every cited entry is quoted with its author and time.
import type { Entry } from '@sitrep/shared';
import { attribution } from './blameless.js';
import { DRILL_NOTE, REVIEW_NOTE, type Report, type ReportLine, draftTitle } from './report.js';

/** Text that cannot start Markdown structure or break a table cell. */
export const md = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1'); // CommonMark ends a line at \r too
const anchor = (id: string) => `e-${id.toLowerCase()}`;
export const cite = (ids: readonly string[]) =>
  ids.length ? ` ${ids.map((id) => `[${id.slice(-6)}](#${anchor(id)})`).join(' ')}` : '';

export function list(lines: readonly ReportLine[], empty: string): string {
  if (lines.length === 0) return `_${empty}_\n`;
  return lines
    .map(
      (l) =>
        `- ${l.tag ? `**${md(l.tag)}** ` : ''}${md(l.text)}${cite(l.cites)}${l.detail ? `\n  ${md(l.detail)}` : ''}`,
    )
    .join('\n')
    .concat('\n');
}

export function appendixEntry(e: Entry, receipt: string | undefined): string {
  const head = `### <a id="${anchor(e.id)}"></a>${e.kind}: ${md(e.title ?? e.id)}`;
  const meta = `${md(attribution(e.author))} · ${e.at}${receipt ? ` · ${md(receipt)}` : ''} · \`${e.id}\``;
  const body = e.body.trim()
    ? `\n\n${e.body
        .trim()
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}`
    : '';
  const why = e.rationale ? `\n\nRationale: ${md(e.rationale)}` : '';
  const refs = e.refs?.length
    ? `\n\nRefs: ${e.refs.map((r) => `[${r.slice(-6)}](#${anchor(r)})`).join(' ')}`
    : '';
  return `${head}\n\n${meta}${body}${why}${refs}\n`;
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(`# ${md(draftTitle(r))}\n`);
  if (r.drill) out.push(`> **${DRILL_NOTE}**\n`);
  out.push(r.facts.map(([k, v]) => `- **${k}:** ${md(v)}`).join('\n') + '\n');
  out.push(`## Summary\n\n${list(r.summary, 'No summary yet.')}`);
  out.push(`## For review\n\n${REVIEW_NOTE}\n\n${list(r.review, 'No entry was flagged.')}`);
  out.push(
    `## Metrics\n\n| metric | value |\n| --- | --- |\n${r.metrics.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`,
  );
  if (r.ai.length > 0)
    out.push(
      `## AI usage (read at export time)\n\n| | |\n| --- | --- |\n${r.ai.map(([k, v]) => `| ${k} | ${md(v)} |`).join('\n')}\n`,
    );
  const events = r.timeline.map((e) => {
    const time = e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
    const what = `${e.pinned ? '📌 ' : ''}${md(e.text)}${e.label ? ` _(${md(e.label)})_` : ''}${cite(e.cites)}`;
    return `| ${time} | ${e.kind.replace(/_/g, ' ')} | ${what} | ${md(e.author ?? '')} |`;
  });
  out.push(`## Timeline\n\n| time | event | what | who |\n| --- | --- | --- | --- |\n${events.join('\n')}\n`);
  out.push(`## Theories\n\n${list(r.theories, 'No theories were raised.')}`);
  out.push(`## Decisions\n\n${list(r.decisions, 'No decisions were recorded.')}`);
  out.push(`## Open gaps\n\n${list(r.gaps, 'No open gaps.')}`);
  out.push(`## Action items\n\n${list(r.actions, 'No action items.')}`);
  out.push(`## Datasets\n\n${list(r.datasets, 'No datasets.')}`);
  out.push(
    `## Appendix: cited entries\n\n${r.cited.map((e) => appendixEntry(e, r.receipts[e.id])).join('\n')}`,
  );
  out.push(`---\nExported by sitrep from the incident's log.\n`);
  return out.join('\n');
}
