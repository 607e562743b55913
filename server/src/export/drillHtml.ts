// The drill report as one self-contained HTML page (the postmortem draft's stylesheet, no scripts,
// nothing fetched): the sections of drillSections.ts, every text escaped, citations linking to the
// appendix of questions, answers and actions.
import type { DrillReport } from '@sitrep/shared';
import { DRILL_REPORT_NOTE, drillSections } from './drillSections.js';
import { appendixEntry, esc, list, pageHead, section } from './html.js';

function table({ head, rows }: { head: string[]; rows: string[][] }): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const tr = (r: string[]) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map(tr).join('')}</tbody></table>`;
}

export function renderDrillHtml(report: DrillReport): string {
  const s = drillSections(report);
  const questions = s.questions
    .map((q) => `<h3>${esc(q.heading)}</h3>${list(q.lines, 'Not answered yet.')}`)
    .join('');
  const people = s.people.rows.length ? table(s.people) : '<p class="empty">Nobody has written yet.</p>';
  const unpriced = s.unpriced ? `<p class="detail">${esc(s.unpriced)}</p>` : '';
  return `${pageHead(s.title)}
<p class="drill">${esc(DRILL_REPORT_NOTE)}</p>
<dl>${s.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${s.scenario ? `<blockquote>${esc(s.scenario.trim())}</blockquote>` : ''}
${section('Summary', list(s.summary, 'No summary yet.'))}
${section('Questions', questions)}
${section('Unanswered questions', list(s.unanswered, 'Every question has an answer.'))}
${section('Fix-now actions', list(s.actions, 'No actions yet.'))}
${section('Who took part', people)}
${section('AI cost', `${table(s.cost)}${unpriced}`)}
${section('Appendix: questions, answers and actions', s.appendix.map((e) => appendixEntry(e, undefined)).join(''))}
<p class="meta">Made by sitrep from the drill.</p>
</main></body></html>
`;
}
