// The drill report in Markdown: the sections of drillSections.ts, each line citing its entries as
// links to the appendix, where every question, answer and action is quoted with its author and time.
import type { DrillReport } from '@sitrep/shared';
import { DRILL_REPORT_NOTE, drillSections } from './drillSections.js';
import { appendixEntry, list, md } from './markdown.js';

const table = ({ head, rows }: { head: string[]; rows: string[][] }) =>
  [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(md).join(' | ')} |`).join('\n');

export function renderDrillMarkdown(report: DrillReport): string {
  const s = drillSections(report);
  const out: string[] = [];
  out.push(`# ${md(s.title)}\n`);
  out.push(`> **${DRILL_REPORT_NOTE}**\n`);
  out.push(`${s.facts.map(([k, v]) => `- **${k}:** ${md(v)}`).join('\n')}\n`);
  if (s.scenario)
    out.push(
      `${s.scenario
        .trim()
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}\n`,
    );
  out.push(`## Summary\n\n${list(s.summary, 'No summary yet.')}`);
  out.push(`## Questions\n`);
  for (const q of s.questions) out.push(`### ${md(q.heading)}\n\n${list(q.lines, 'Not answered yet.')}`);
  out.push(`## Unanswered questions\n\n${list(s.unanswered, 'Every question has an answer.')}`);
  out.push(`## Fix-now actions\n\n${list(s.actions, 'No actions yet.')}`);
  out.push(`## Who took part\n\n${s.people.rows.length ? table(s.people) : '_Nobody has written yet._'}\n`);
  out.push(`## AI cost\n\n${table(s.cost)}\n${s.unpriced ? `\n${md(s.unpriced)}\n` : ''}`);
  out.push(
    `## Appendix: questions, answers and actions\n\n${s.appendix.map((e) => appendixEntry(e, undefined)).join('\n')}`,
  );
  out.push('---\nMade by sitrep from the drill.\n');
  return out.join('\n');
}
