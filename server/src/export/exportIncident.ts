// Exporting an incident: its document rebuilt from the raw log (as of now, or of a sequence
// number or time), rendered as Markdown, JSON or HTML, and scanned for secrets once more on the
// way out: storage holds none, but an export leaves sitrep, so it is checked where it leaves.
// The event loop only reads the log; the document worker rebuilds, renders and scans it, and
// the body comes back in chunks as the client reads it.
import {
  type AiFigures,
  type ExportFormat,
  type IncidentMeta,
  type IncidentSummary,
  SitrepError,
  type UsageResponse,
} from '@sitrep/shared';
import type { PrivacyPolicy } from '@sitrep/shared/sanitizer';
import { logAt } from '../room/documentAt.js';
import type { Store } from '../store/Store.js';
import type { StoredDocument } from './documentJobs.js';
import { documentThread } from './documentThread.js';

export interface RenderedExport {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  filename: string;
  /** The log position exported. */
  seq: number;
  /** Secrets found and redacted on the way out (storage should hold none: 0 expected). */
  redactions: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** The snapshot and log rows that make the document as of `seq`, as the document worker takes them. */
async function storedDocument(store: Store, incidentId: string, seq: number): Promise<StoredDocument> {
  const { snapshot, rows } = await logAt(store, incidentId, seq);
  return { state: snapshot?.state.bytes ?? null, updates: rows.map((r) => r.bytes) };
}

/**
 * The buffers of a stored document that can move to the worker rather than be copied: those that
 * own their whole memory (small ones share Node's buffer pool, which must stay here).
 */
function movable({ state, updates }: StoredDocument): ArrayBuffer[] {
  const all = state ? [state, ...updates] : updates;
  return all
    .filter(
      (b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer,
    )
    .map((b) => b.buffer as ArrayBuffer);
}

/** A point in the log (a sequence number or a time) as a sequence number, at most the last. */
export async function seqOf(store: Store, incident: IncidentSummary, at?: number | string): Promise<number> {
  if (at === undefined) return incident.lastSeq;
  return typeof at === 'number' ? Math.min(at, incident.lastSeq) : store.seqAt(incident.id, new Date(at));
}

/**
 * `names`: the Markdown and HTML drafts name people (by default, roles and harnesses; JSON keeps
 * names). `ai`: the incident's AI usage as read now, which the drafts print apart from what the
 * log says (the JSON export is the document alone).
 */
export async function exportIncident(
  store: Store,
  incident: IncidentSummary,
  format: ExportFormat,
  at?: number | string,
  names = false,
  ai?: AiFigures,
): Promise<RenderedExport> {
  const seq = await seqOf(store, incident, at);
  const stored = await storedDocument(store, incident.id, seq);
  const receipts = await store.exportReceipts(incident.id, seq);
  const { head, body } = await documentThread.run(
    'export',
    { id: incident.id, format, receipts, names, ai, private: incident.private, ...stored },
    movable(stored),
  );
  if (!body) throw new Error('an export without a body');
  return {
    body,
    contentType: CONTENT_TYPES[format],
    filename: `${incident.id}-postmortem.${format}`,
    seq,
    redactions: head.redactions,
  };
}

/** A drill's report as of now: its questions, answers, actions, people and AI cost (`usage`). */
export async function drillReportOf(
  store: Store,
  incident: IncidentSummary,
  format: ExportFormat,
  usage: UsageResponse,
): Promise<RenderedExport> {
  if (incident.kind !== 'drill')
    throw new SitrepError(
      'request.invalid',
      `${incident.id} is an incident, not a drill: its report is the postmortem draft (export)`,
    );
  const seq = incident.lastSeq;
  const stored = await storedDocument(store, incident.id, seq);
  const { head, body } = await documentThread.run(
    'drillReport',
    { id: incident.id, format, private: incident.private, usage, ...stored },
    movable(stored),
  );
  if (!body) throw new Error('a drill report without a body');
  return {
    body,
    contentType: CONTENT_TYPES[format],
    filename: `${incident.id}-drill-report.${format}`,
    seq,
    redactions: head.redactions,
  };
}

/**
 * The incident's stored entries (as of now) that the sanitizer catches under `policy`: NDJSON
 * lines (ScanLine), scanned in the document worker a chunk at a time as the client reads.
 */
export async function scanIncident(
  store: Store,
  incident: IncidentSummary,
  policy: PrivacyPolicy,
): Promise<ReadableStream<Uint8Array>> {
  const stored = await storedDocument(store, incident.id, incident.lastSeq);
  const { body } = await documentThread.run('scan', { policy, ...stored }, movable(stored));
  if (!body) throw new Error('a scan without a body');
  return body;
}

/** The incident's meta and entries as of a point in its log, as the replay route's JSON body. */
export async function replayIncident(
  store: Store,
  incident: IncidentSummary,
  at: number | string,
): Promise<ReadableStream<Uint8Array>> {
  const seq = await seqOf(store, incident, at);
  const stored = await storedDocument(store, incident.id, seq);
  const { body } = await documentThread.run('replay', { seq, ...stored }, movable(stored));
  if (!body) throw new Error('a replay without a body');
  return body;
}

/** The incident's meta as of a point in its log (null when its document has none), rebuilt in the document worker. */
export async function metaAt(store: Store, incidentId: string, seq: number): Promise<IncidentMeta | null> {
  const stored = await storedDocument(store, incidentId, seq);
  return (await documentThread.run('meta', stored, movable(stored))).head;
}
