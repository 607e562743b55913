// Exporting an incident: its document rebuilt from the raw log (as of now, or of a sequence
// number or time), rendered as Markdown, JSON or HTML, and scanned for secrets once more on the
// way out: storage holds none, but an export leaves sitrep, so it is checked where it leaves.
import type { ExportFormat, IncidentSummary } from '@sitrep/shared';
import { redactText, redactValue } from '@sitrep/shared/secrets';
import { documentAt } from '../room/IncidentRoom.js';
import type { Store } from '../store/Store.js';
import { exportDocumentOf } from './exportDocument.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './report.js';

export interface RenderedExport {
  body: string;
  contentType: string;
  filename: string;
  /** The log position exported. */
  seq: number;
  /** Secrets found and redacted on the way out (storage should hold none: 0 expected). */
  redactions: number;
}

export async function exportIncident(store: Store, incident: IncidentSummary, format: ExportFormat, at?: number | string): Promise<RenderedExport> {
  const seq = at === undefined ? incident.lastSeq : typeof at === 'number' ? Math.min(at, incident.lastSeq) : await store.seqAt(incident.id, new Date(at));
  const { doc } = await documentAt(store, incident.id, seq);
  const document = exportDocumentOf(incident.id, doc);
  doc.destroy();
  const filename = `${incident.id}-postmortem.${format}`;
  if (format === 'json') {
    const { value, redactions } = await redactValue(document);
    return { body: `${JSON.stringify(value, null, 2)}\n`, contentType: 'application/json; charset=utf-8', filename, seq, redactions };
  }
  const report = buildReport(document);
  const rendered = format === 'md' ? renderMarkdown(report) : renderHtml(report);
  const { text, redactions } = await redactText(rendered);
  return { body: text, contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8', filename, seq, redactions };
}
