// The JSON export of an incident: its source data (meta, entries, curation), the LLM's commander
// view as it stood, and the timeline derived from them. `sitrep import` takes it back; exporting
// the imported incident gives the same document.
import { z } from 'zod';
import { Entry, EntryId } from './entry.js';
import { Curation, IncidentId, IncidentMeta } from './incident.js';
import { isoTime } from './storable.js';
import { CommanderView, Timeline } from './view.js';

export const EXPORT_FORMATS = ['md', 'json', 'html'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportDocument = z.strictObject({
  format: z.literal('sitrep.incident'),
  version: z.literal(1),
  incident: z.strictObject({ id: IncidentId, meta: IncidentMeta }),
  entries: z.array(Entry).max(100_000),
  curation: z.record(EntryId, Curation),
  commander: CommanderView.nullable(),
  timeline: Timeline,
});
export type ExportDocument = z.infer<typeof ExportDocument>;

export const ExportQuery = z.strictObject({
  format: ExportFormat.default('md'),
  /** A sequence number or ISO time: the incident as of that point in its log. */
  at: z.union([z.coerce.number().int().min(0), isoTime()]).optional(),
});

export const ImportQuery = z.strictObject({ id: IncidentId.optional() });
