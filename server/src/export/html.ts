// The postmortem draft as one self-contained HTML page: inline CSS (report.css, light and dark),
// an SVG timeline, no scripts and nothing fetched. Every text is escaped; citations link to the
// appendix of entries.
import { readFileSync } from 'node:fs';
import { type Entry, type TimelineEvent, cut } from '@sitrep/shared';
import { attribution } from './blameless.js';
import { DRILL_NOTE, REVIEW_NOTE, type Report, type ReportLine, draftTitle } from './report.js';

/** Read once, as the document worker loads this module; inlined so the page fetches nothing. */
const STYLE = readFileSync(new URL('./report.css', import.meta.url), 'utf8');

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const anchor = (id: string) => `e-${id.toLowerCase()}`;
export const cite = (ids: readonly string[]) =>
  ids.map((id) => ` <a class="cite" href="#${anchor(id)}">${esc(id.slice(-6))}</a>`).join('');

const KIND_COLOURS: Record<TimelineEvent['kind'], string> = {
  detected: '#d9480f',
  acknowledged: '#e67700',
  theory_raised: '#1971c2',
  theory_rejected: '#868e96',
  theory_reopened: '#9c36b5',
  theory_confirmed: '#2f9e44',
  decision: '#0c8599',
  action: '#5c7cfa',
  mitigated: '#2b8a3e',
  resolved: '#087f5b',
  noted: '#495057',
};

export function list(lines: readonly ReportLine[], empty: string): string {
  if (lines.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const tag = (t: string) => `<span class="tag tag-${esc(t.replace(/[^a-z_]/gi, ''))}">${esc(t)}</span> `;
  const detail = (d: string) => `<div class="detail">${esc(d)}</div>`;
  const item = (l: ReportLine) =>
    `<li>${l.tag ? tag(l.tag) : ''}${esc(l.text)}${cite(l.cites)}${l.detail ? detail(l.detail) : ''}</li>`;
  return `<ul>${lines.map(item).join('')}</ul>`;
}

/** Events on a time axis: one row per event, a dot at its time, its text beside it. */
export function timelineSvg(events: readonly TimelineEvent[]): string {
  if (events.length === 0) return '<p class="empty">No events.</p>';
  const times = events.map((e) => Date.parse(e.at));
  const t0 = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - t0);
  const row = 22;
  const axis = 260;
  const height = events.length * row + 30;
  const x = (t: number) => 20 + ((t - t0) / span) * axis;
  const rows = events
    .map((e, i) => {
      const y = 20 + i * row;
      const cx = x(Date.parse(e.at)).toFixed(1);
      const when = new Date(e.at).toISOString().slice(11, 16);
      const text = `${e.pinned ? '📌 ' : ''}${esc(e.text.length > 90 ? `${cut(e.text, 89)}…` : e.text)}`;
      return [
        `<g><title>${esc(`${e.at} ${e.kind}: ${e.text}`)}</title>`,
        `<line x1="20" x2="${20 + axis}" y1="${y}" y2="${y}" class="grid"/>`,
        `<circle cx="${cx}" cy="${y}" r="5" fill="${KIND_COLOURS[e.kind]}"/>`,
        `<text x="${axis + 32}" y="${y + 4}"><tspan class="when">${when}</tspan> `,
        `${text}${e.label ? ` (${esc(e.label)})` : ''}</text></g>`,
      ].join('');
    })
    .join('');
  const svg = `<svg class="timeline" role="img" aria-label="Incident timeline" viewBox="0 0 900 ${height}"`;
  return `${svg} width="100%" xmlns="http://www.w3.org/2000/svg">${rows}</svg>`;
}

export function appendixEntry(e: Entry, receipt: string | undefined): string {
  const meta = `${esc(attribution(e.author))} · ${esc(e.at)}${receipt ? ` · ${esc(receipt)}` : ''}`;
  return [
    `<article id="${anchor(e.id)}"><h3>${esc(e.kind)}: ${esc(e.title ?? e.id)}</h3>`,
    `<p class="meta">${meta} · <code>${esc(e.id)}</code></p>`,
    e.body.trim() ? `<blockquote>${esc(e.body.trim())}</blockquote>` : '',
    e.rationale ? `<p>Rationale: ${esc(e.rationale)}</p>` : '',
    e.refs?.length ? `<p>Refs:${cite(e.refs)}</p>` : '',
    '</article>',
  ].join('');
}

/** The page up to and with its title: one self-contained document with the report stylesheet. */
export function pageHead(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>`;
}

/** A section of the page: its heading and body. */
export const section = (title: string, body: string) => `<section><h2>${esc(title)}</h2>${body}</section>`;

export function renderHtml(r: Report): string {
  const drillNote = `<p class="drill">${esc(DRILL_NOTE)}</p>\n`;
  const metric = ([k, v]: readonly [string, string]) =>
    `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const table = (rows: readonly [string, string][]) =>
    `<table><tbody>${rows.map(metric).join('')}</tbody></table>`;
  const ai = r.ai.length > 0 ? `${section('AI usage (read at export time)', table(r.ai))}\n` : '';
  return `${pageHead(draftTitle(r))}
${r.drill ? drillNote : ''}<dl>${r.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${section('Summary', list(r.summary, 'No summary yet.'))}
${section('For review', `<p class="detail">${esc(REVIEW_NOTE)}</p>${list(r.review, 'No entry was flagged.')}`)}
${section('Metrics', table(r.metrics))}
${ai}${section('Timeline', timelineSvg(r.timeline))}
${section('Theories', list(r.theories, 'No theories were raised.'))}
${section('Decisions', list(r.decisions, 'No decisions were recorded.'))}
${section('Open gaps', list(r.gaps, 'No open gaps.'))}
${section('Action items', list(r.actions, 'No action items.'))}
${section('Datasets', list(r.datasets, 'No datasets.'))}
${section('Appendix: cited entries', r.cited.map((e) => appendixEntry(e, r.receipts[e.id])).join(''))}
<p class="meta">Exported by sitrep from the incident's log.</p>
</main></body></html>
`;
}
