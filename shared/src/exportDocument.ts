// The JSON export of an incident: its source data (meta, entries, curation), the LLM's commander
// view as it stood, and the timeline derived from them. `sitrep import` takes it back; exporting
// the imported incident gives the same document.
import { z } from 'zod';
import { Entry, EntryId } from './entry.js';
import { Curation, IncidentId, IncidentMeta } from './incident.js';
import { Receipt } from './receipt.js';
import { Allowances } from './sanitizer/policy.js';
import { queryFlag } from './queryParams.js';
import { isoTime } from './storable.js';
import { CommanderView, Timeline } from './view.js';

export const EXPORT_FORMATS = ['md', 'json', 'html'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportDocument = z.strictObject({
  format: z.literal('sitrep.incident'),
  version: z.literal(1),
  /**
   * `private: true` when the incident was private (README "Visibility"): an import of it is
   * private too. Absent otherwise (and in exports made before it was written).
   */
  incident: z.strictObject({ id: IncidentId, meta: IncidentMeta, private: z.boolean().optional() }),
  entries: z.array(Entry).max(100_000),
  /** The receipts of the entries that have one (which token wrote it, when it arrived), by entry id. */
  receipts: z.record(EntryId, Receipt).optional(),
  curation: z.record(EntryId, Curation),
  commander: CommanderView.nullable(),
  timeline: Timeline,
});
export type ExportDocument = z.infer<typeof ExportDocument>;

/**
 * A point in an incident's log: a sequence number (digits, in a query string or as a number) or
 * an ISO time. An empty string is neither (coercing it would read as sequence 0).
 */
export const LogPoint = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    isoTime(),
  ],
  {
    error: 'must be a sequence number or an ISO time',
  },
);

export const ExportQuery = z.strictObject({
  format: ExportFormat.default('md'),
  /** The incident as of that point in its log. */
  at: LogPoint.optional(),
  /**
   * `true`: the Markdown and HTML drafts name people; by default they show them by role or
   * harness (blameless). The JSON export always keeps every name.
   */
  names: queryFlag(),
});

export const ImportQuery = z.strictObject({
  id: IncidentId.optional(),
  /**
   * Private data types the new incident allows (`email,phone`), as a commander would set them
   * with `PUT …/allowances`: the import keeps them as written. An export does not carry its
   * incident's allowances; whoever imports it says again what may be kept.
   */
  allow: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((t) => t.trim()) : []))
    .pipe(Allowances),
  /** `true`: the new incident is private even if its export was not (one that was stays so). */
  private: queryFlag(),
});
