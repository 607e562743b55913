// Importing an incident from its JSON export: every value is checked (schemas, refs, citations)
// and sanitized under the new incident's key and policy (the deployment's, with the allowances
// the importer gave: secrets and private data replaced, each entry counting its redactions;
// data the policy refuses refuses the whole import, gate.private) before anything is written,
// then the meta, entries, curation and commander view go into the log as server-made updates
// that each pass the gate, all in the one transaction that creates the incident (with those
// allowances, audited). An import lands whole or not at all. The check walks every entry, so it
// runs in the document worker (`checkImport`); only the write runs on the event loop.
import {
  ExportDocument,
  type IncidentMeta,
  type Receipt,
  type MetaKey,
  SitrepError,
  parseInput,
} from '@sitrep/shared';
import {
  type PrivacyPolicy,
  type PrivateType,
  type RedactionCounts,
  type SanitizeOptions,
  addCounts,
  newIncidentKey,
  sanitizeEntries,
  sanitizeValue,
} from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { PendingWrites } from '../gate/PendingWrites.js';
import { inspectUpdate } from '../gate/WriteGate.js';
import { SECRETS_ONLY, findRefused, privateDataRefused, refuseContent } from '../gate/refusals.js';
import type { CreatedIncident, Creator, Store } from '../store/Store.js';
import { type LogWrites, creationWrites } from '../store/logWrites.js';
import { encodeMapInserts, updateParts } from './serverUpdates.js';
import type { ServerUpdate } from '../gate/ServerUpdate.js';

/** An import's entries go into updates of about this size: each is one statement (see Store.createIncident). */
const IMPORT_UPDATE_BYTES = 256 * 1024;

const invalid = (message: string) => new SitrepError('import.invalid', message);

/** Refs, curation keys and citations must all name entries of the import. */
function checkReferences(doc: ExportDocument): void {
  const ids = new Set<string>();
  for (const e of doc.entries) {
    if (ids.has(e.id)) throw invalid(`entry ${e.id} appears twice`);
    ids.add(e.id);
  }
  for (const e of doc.entries) {
    const missing = (e.refs ?? []).filter((r) => !ids.has(r));
    if (missing.length)
      throw new SitrepError(
        'entry.unknown_ref',
        `entry ${e.id} refs entries not in the import: ${missing.join(', ')}`,
      );
  }
  const stray = Object.keys(doc.curation).filter((k) => !ids.has(k));
  if (stray.length)
    throw invalid(`curation names entries not in the import: ${stray.slice(0, 5).join(', ')}`);
  const strayReceipts = Object.keys(doc.receipts ?? {}).filter((k) => !ids.has(k));
  if (strayReceipts.length)
    throw invalid(`receipts name entries not in the import: ${strayReceipts.slice(0, 5).join(', ')}`);
  const cited = doc.commander ? (JSON.stringify(doc.commander).match(/"[0-9A-HJKMNP-TV-Z]{26}"/g) ?? []) : [];
  const unknown = cited.map((c) => c.slice(1, -1)).filter((id) => !ids.has(id));
  if (unknown.length)
    throw invalid(`the commander view cites entries not in the import: ${unknown.slice(0, 5).join(', ')}`);
}

/** An import that passed every check: what `writeImport` logs. */
export interface CheckedImport {
  /** The incident it makes, and the one it was exported from. */
  id: string;
  from: string;
  /** The export was of a private incident: the import is private too (README "Visibility"). */
  private: boolean;
  meta: IncidentMeta;
  entries: number;
  /** Its log rows as the statements that write them (made here, in the worker: see logWrites.ts). */
  statements: LogWrites[];
  /** The receipts the export carried, kept for the entries (by id). */
  receipts: Record<string, Receipt>;
  /** The new incident's sanitizer key (an import's placeholders are made under it). */
  sanitizerKey: string;
  /** What the sanitizer took out of the import, per type. */
  redactions: RedactionCounts;
}

/**
 * Every value the import writes, sanitized: the entries one by one (each counts its
 * redactions), the meta, curation, commander view and receipts together.
 */
async function sanitizeImport(
  doc: ExportDocument,
  options: SanitizeOptions,
): Promise<{ doc: ExportDocument; counts: RedactionCounts }> {
  const entries = await sanitizeEntries(doc.entries, options);
  if (entries.refused)
    throw privateDataRefused(
      entries.refused.findings,
      `the import's entry ${doc.entries[entries.refused.index]?.id}`,
    );
  const rest = await sanitizeValue(
    { meta: doc.incident.meta, curation: doc.curation, commander: doc.commander, receipts: doc.receipts },
    options,
  );
  if (rest.refused.length > 0)
    throw privateDataRefused(rest.refused, "the import's meta, curation, commander view or receipts");
  const counts = addCounts(entries.counts, rest.counts);
  if (Object.keys(counts).length === 0) return { doc, counts };
  const { meta, curation, commander, receipts } = rest.value;
  const sanitized = {
    ...doc,
    incident: { ...doc.incident, meta },
    entries: entries.entries,
    curation,
    commander,
    receipts,
  };
  // A placeholder is longer than a short datum: what was redacted must still fit the schemas.
  return { doc: parseInput(ExportDocument, sanitized, 'import once redacted'), counts };
}

/** Every value an import writes, as the gate reads them: object keys too. */
const written = (doc: ExportDocument) => [
  doc.incident.meta,
  doc.entries,
  doc.curation,
  doc.commander,
  doc.receipts ?? {},
];

/**
 * The import as it may be written. One scan when the gate would take it as it is (the usual
 * case: an export of a sitrep incident holds nothing to redact): a scan of every value, keys
 * included, and of the ids, under `policy` finds every secret and every private datum the policy does not
 * allow, so there is nothing to replace and nothing the check after sanitizing could find.
 * Otherwise it is sanitized, and what was sanitized must still pass the gate's refusals: a
 * secret the redactor missed (in an object key, which it does not rewrite) is refused.
 */
async function sanitized(
  doc: ExportDocument,
  ids: readonly string[],
  options: SanitizeOptions & { policy: PrivacyPolicy },
): Promise<{ doc: ExportDocument; counts: RedactionCounts }> {
  if (!(await findRefused([ids, ...written(doc)], options.policy))) return { doc, counts: {} };
  // The ids (the new one and `from`) are kept in URLs, the audit trail and exports: they cannot
  // be redacted, so one holding anything is refused.
  await refuseContent(ids, 'incident id', options.policy);
  const out = await sanitizeImport(doc, options);
  await refuseContent(written(out.doc), 'import', SECRETS_ONLY);
  return out;
}

/** Parses and checks a JSON export (the request body's bytes) and encodes the updates that make it. */
export async function checkImport(
  body: Uint8Array,
  id: string | undefined,
  policy: PrivacyPolicy,
): Promise<CheckedImport> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new SitrepError('request.malformed_json', 'the request body is not valid JSON');
  }
  const parsed = parseInput(ExportDocument, raw, 'body');
  checkReferences(parsed);
  const sanitizerKey = newIncidentKey();
  const ids = [id ?? parsed.incident.id, parsed.incident.id];
  const { doc, counts } = await sanitized(parsed, ids, { key: sanitizerKey, policy });

  const client = new Y.Doc().clientID;
  let clock = 0;
  const updates: ServerUpdate[] = [];
  const add = (root: 'meta' | 'entries' | 'curation' | 'view', pairs: (readonly [string, unknown])[]) => {
    if (pairs.length === 0) return;
    updates.push(encodeMapInserts(client, clock, root, pairs));
    clock += pairs.length;
  };
  const meta = doc.incident.meta;
  add(
    'meta',
    (Object.entries(meta) as [MetaKey, unknown][]).filter(([, v]) => v !== undefined),
  );
  for (const part of updateParts(doc.entries, IMPORT_UPDATE_BYTES))
    add(
      'entries',
      part.map((e) => [e.id, e] as const),
    );
  add('curation', Object.entries(doc.curation));
  if (doc.commander) add('view', [['commander', doc.commander]]);

  // Each update passes the gate against the document the ones before it make.
  const scratch = new Y.Doc();
  const pending = new PendingWrites();
  const appends = updates.map((update) => {
    const inspection = inspectUpdate(scratch, pending, update, 'server');
    Y.applyUpdate(scratch, update.bytes);
    return { bytes: update.bytes, entries: inspection.entries };
  });
  scratch.destroy();
  const statements = creationWrites(appends);
  return {
    id: id ?? doc.incident.id,
    from: doc.incident.id,
    private: doc.incident.private ?? false,
    meta,
    entries: doc.entries.length,
    statements,
    receipts: doc.receipts ?? {},
    sanitizerKey,
    redactions: counts,
  };
}

/**
 * Writes a checked import: the incident row (with the allowances it was checked under, audited
 * as `incident.allow` by `by`; private when `isPrivate`, with `by.keeper`'s token) and all its
 * updates in one transaction, under `by`'s quota.
 */
export function writeImport(
  store: Store,
  checked: CheckedImport,
  by: Creator,
  opts: { allowances: readonly PrivateType[]; private: boolean },
): Promise<CreatedIncident> {
  return store.createIncident(checked.id, checked.meta, checked.statements, {
    sanitizerKey: checked.sanitizerKey,
    by,
    receipts: checked.receipts,
    allowances: opts.allowances,
    private: opts.private,
  });
}
