// An incident's document as an ExportDocument. Values are re-parsed by their schemas, so key
// order is the schemas' and the same incident always exports to the same bytes.
import {
  Entry,
  type ExportDocument,
  type Receipt,
  SitrepError,
  buildTimeline,
  readCuration,
  readEntries,
  readMeta,
  readView,
} from '@sitrep/shared';
import type * as Y from 'yjs';

/**
 * The document as an export; `receipts` (by entry id, in id order) are the projection's, as of
 * the same point; `isPrivate`: the incident is private now (its import will be too).
 */
export function exportDocumentOf(
  id: string,
  doc: Y.Doc,
  receipts: Readonly<Record<string, Receipt>> = {},
  isPrivate = false,
): ExportDocument {
  const meta = readMeta(doc);
  if (!meta)
    throw new SitrepError(
      'incident.not_found',
      `incident ${id} has no complete meta at this point of its log`,
    );
  const entries = readEntries(doc).map((e) => Entry.parse(e));
  const all = readCuration(doc);
  const curation = Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k] ?? {}]),
  );
  const commander = readView(doc, 'commander');
  return {
    format: 'sitrep.incident',
    version: 1,
    // Only when private: an export of an incident that is not reads as before.
    incident: { id, meta, ...(isPrivate && { private: true }) },
    entries,
    // Only when there are any: an incident written by the server alone (the demo) has none.
    ...(Object.keys(receipts).length > 0 ? { receipts: { ...receipts } } : {}),
    curation,
    commander,
    timeline: buildTimeline(meta, entries, curation, commander?.timeline ?? []),
  };
}
