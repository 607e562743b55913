// The incident document's layout: its root names and typed readers over a Y.Doc.
import type * as Y from 'yjs';
import type { Entry } from './entry.js';
import { Curation, IncidentMeta } from './incident.js';

export const ROOTS = ['meta', 'entries', 'curation', 'view'] as const;
export type RootName = (typeof ROOTS)[number];

export function isRootName(name: string): name is RootName {
  return (ROOTS as readonly string[]).includes(name);
}

export function entriesMap(doc: Y.Doc): Y.Map<Entry> {
  return doc.getMap<Entry>('entries');
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('meta');
}

/** All entries, in id (ULID, so time) order. Values were validated by the gate on the way in. */
export function readEntries(doc: Y.Doc): Entry[] {
  return [...entriesMap(doc).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The meta root, or null while it does not yet hold a complete, valid meta. */
export function readMeta(doc: Y.Doc): IncidentMeta | null {
  const parsed = IncidentMeta.safeParse(metaMap(doc).toJSON());
  return parsed.success ? parsed.data : null;
}

export function curationMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('curation');
}

/** The author's curation of one entry, or undefined when there is none that parses. */
export function readCurationOf(doc: Y.Doc, id: string): Curation | undefined {
  const parsed = Curation.safeParse(curationMap(doc).get(id));
  return parsed.success ? parsed.data : undefined;
}

/** The author's curation, by entry id; values that do not parse are left out. */
export function readCuration(doc: Y.Doc): Record<string, Curation> {
  const out: Record<string, Curation> = {};
  curationMap(doc).forEach((_, key) => {
    const curation = readCurationOf(doc, key);
    if (curation) out[key] = curation;
  });
  return out;
}
