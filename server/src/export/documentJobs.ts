// The jobs that rebuild an incident's document from its log and walk every entry: an export
// (rendered and scanned for secrets), a replay, the check of an import. They run in the document
// worker thread (documentThread.ts), where the seconds a large incident takes stall no socket.
import { type ExportFormat, type Receipt, metaMap, readEntries } from '@sitrep/shared';
import { redactText, redactValue } from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { applyLog } from '../room/documentAt.js';
import { type CheckedImport, checkImport } from '../room/importIncident.js';
import type { JobResult } from '../worker/WorkerThread.js';
import { exportDocumentOf } from './exportDocument.js';
import { renderHtml } from './html.js';
import { jsonPieces, utf8Chunks } from './jsonChunks.js';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './report.js';

/** A document as stored: the snapshot's state (if any) and the log rows after it. */
export interface StoredDocument {
  state: Uint8Array | null;
  updates: Uint8Array[];
}

function withDocument<T>(stored: StoredDocument, use: (doc: Y.Doc) => T): T {
  const doc = applyLog(new Y.Doc(), stored.state, stored.updates);
  try {
    return use(doc);
  } finally {
    doc.destroy();
  }
}

export const documentJobs = {
  /**
   * The export's body, scanned for secrets once (every string of the JSON in one pass, or the
   * whole rendered text) and redacted, in chunks; the head counts the redactions.
   */
  async export(
    job: { id: string; format: ExportFormat; receipts: Record<string, Receipt>; names: boolean } & StoredDocument,
  ): Promise<JobResult<{ redactions: number }>> {
    const document = withDocument(job, (doc) => exportDocumentOf(job.id, doc, job.receipts));
    if (job.format === 'json') {
      const { value, redactions } = await redactValue(document);
      return { head: { redactions }, body: utf8Chunks([...jsonPieces(value, 'entries', 2), '\n']) };
    }
    const report = buildReport(document, { names: job.names });
    const { text, redactions } = await redactText(job.format === 'md' ? renderMarkdown(report) : renderHtml(report));
    return { head: { redactions }, body: utf8Chunks([text]) };
  },

  /** The meta and the entries as of a point in the log, as compact JSON. */
  async replay(job: { seq: number } & StoredDocument): Promise<JobResult<null>> {
    const value: { seq: number; meta: Record<string, unknown>; entries: unknown[] } = withDocument(job, (doc) => ({
      seq: job.seq,
      meta: metaMap(doc).toJSON(),
      entries: readEntries(doc),
    }));
    return { head: null, body: utf8Chunks(jsonPieces(value, 'entries')) };
  },

  /** A JSON export taken in: parsed, validated, scanned and encoded as the updates to log. */
  async import(job: { body: Uint8Array; id: string | undefined }): Promise<JobResult<CheckedImport>> {
    return { head: await checkImport(job.body, job.id) };
  },
};
