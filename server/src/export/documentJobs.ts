// The jobs that rebuild an incident's document from its log and walk every entry: an export
// (rendered and scanned for secrets), a replay, the check of an import, a scan of the stored
// entries for what the sanitizer now catches. They run in the document worker thread
// (documentThread.ts), where the seconds a large incident takes stall no socket.
import {
  type AiFigures,
  type Entry,
  type ExportFormat,
  type IncidentMeta,
  type UsageResponse,
  buildDrillReport,
  type Receipt,
  type ScanFinding,
  type ScanLine,
  metaMap,
  readEntries,
  readMeta,
} from '@sitrep/shared';
import { type PrivacyPolicy, redactText, redactValue, sensitiveIn } from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { applyLog } from '../room/documentAt.js';
import { type CheckedImport, checkImport } from '../room/importIncident.js';
import { buffersOf } from '../store/logWrites.js';
import type { JobResult } from '../worker/jobMessages.js';
import { exportDocumentOf } from './exportDocument.js';
import { renderHtml } from './html.js';
import { jsonPieces, utf8Chunks } from './jsonChunks.js';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './report.js';
import { renderDrillHtml } from './drillHtml.js';
import { renderDrillMarkdown } from './drillMarkdown.js';

/** Entries scanned per step of a scan: one step is one chunk of its body. */
const SCAN_CHUNK = 200;

/** What one entry holds that the sanitizer now catches, by type and rule. */
async function caught(e: Entry, policy: PrivacyPolicy): Promise<ScanLine | null> {
  const found = new Map<string, ScanFinding>();
  for (const f of await sensitiveIn([e], { policy })) {
    const at = `${f.type}\n${f.rule}`;
    const seen = found.get(at);
    if (seen) seen.count++;
    else found.set(at, { type: f.type, rule: f.rule, count: 1 });
  }
  return found.size > 0 ? { id: e.id, kind: e.kind, found: [...found.values()] } : null;
}

/**
 * The scan's NDJSON, a chunk of entries a step: one scan tells whether any entry of the chunk
 * holds something, and only then is each looked at; a progress line ends each step.
 */
async function* scanLines(entries: readonly Entry[], policy: PrivacyPolicy): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let caughtSoFar = 0;
  for (let i = 0; i < entries.length || i === 0; i += SCAN_CHUNK) {
    const chunk = entries.slice(i, i + SCAN_CHUNK);
    const lines: ScanLine[] = [];
    if (chunk.length > 0 && (await sensitiveIn(chunk, { policy })).length > 0) {
      for (const e of chunk) {
        const line = await caught(e, policy);
        if (line) lines.push(line);
      }
    }
    caughtSoFar += lines.length;
    const scanned = Math.min(i + SCAN_CHUNK, entries.length);
    lines.push({ scanned, total: entries.length, caught: caughtSoFar, done: scanned === entries.length });
    yield encoder.encode(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }
}

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
    job: {
      id: string;
      format: ExportFormat;
      receipts: Record<string, Receipt>;
      names: boolean;
      ai?: AiFigures | undefined;
      private: boolean;
    } & StoredDocument,
  ): Promise<JobResult<{ redactions: number }>> {
    const document = withDocument(job, (doc) => exportDocumentOf(job.id, doc, job.receipts, job.private));
    if (job.format === 'json') {
      const { value, redactions } = await redactValue(document);
      return { head: { redactions }, body: utf8Chunks([...jsonPieces(value, 'entries', 2), '\n']) };
    }
    const report = buildReport(document, { names: job.names, ...(job.ai && { ai: job.ai }) });
    const { text, redactions } = await redactText(
      job.format === 'md' ? renderMarkdown(report) : renderHtml(report),
    );
    return { head: { redactions }, body: utf8Chunks([text]) };
  },

  /** A drill's report (shared/src/drillReport.ts), rendered and scanned for secrets as an export is. */
  async drillReport(
    job: { id: string; format: ExportFormat; private: boolean; usage: UsageResponse } & StoredDocument,
  ): Promise<JobResult<{ redactions: number }>> {
    const document = withDocument(job, (doc) => exportDocumentOf(job.id, doc, {}, job.private));
    const report = buildDrillReport(document, job.usage);
    if (job.format === 'json') {
      const { value, redactions } = await redactValue(report);
      return { head: { redactions }, body: utf8Chunks([`${JSON.stringify(value, null, 2)}\n`]) };
    }
    const rendered = job.format === 'md' ? renderDrillMarkdown(report) : renderDrillHtml(report);
    const { text, redactions } = await redactText(rendered);
    return { head: { redactions }, body: utf8Chunks([text]) };
  },

  /** The meta and the entries as of a point in the log, as compact JSON. */
  async replay(job: { seq: number } & StoredDocument): Promise<JobResult<null>> {
    const value: { seq: number; meta: Record<string, unknown>; entries: unknown[] } = withDocument(
      job,
      (doc) => ({
        seq: job.seq,
        meta: metaMap(doc).toJSON(),
        entries: readEntries(doc),
      }),
    );
    return { head: null, body: utf8Chunks(jsonPieces(value, 'entries')) };
  },

  /** The incident's meta alone (null when its document has none): what a mirror of it reads. */
  async meta(job: StoredDocument): Promise<JobResult<IncidentMeta | null>> {
    return { head: withDocument(job, (doc) => readMeta(doc)) };
  },

  /** The stored entries the sanitizer now catches under `policy`, as NDJSON (see ScanLine). */
  async scan(job: { policy: PrivacyPolicy } & StoredDocument): Promise<JobResult<{ entries: number }>> {
    const entries = withDocument(job, (doc) => readEntries(doc));
    return { head: { entries: entries.length }, body: scanLines(entries, job.policy) };
  },

  /** A JSON export taken in: parsed, validated, sanitized and encoded as the updates to log. */
  async import(job: {
    body: Uint8Array;
    id: string | undefined;
    policy: PrivacyPolicy;
  }): Promise<JobResult<CheckedImport>> {
    const head = await checkImport(job.body, job.id, job.policy);
    return { head, transfer: buffersOf(head.statements) };
  },
};
