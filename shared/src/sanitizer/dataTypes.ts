// The types of data the sanitizer tells apart, and redactions counted per type. Pure zod, no
// scanners: the entry schema (which the dashboard loads too) and the API's schemas use them.
import { z } from 'zod';

export const PRIVATE_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'nino'] as const;
export const PrivateType = z.enum(PRIVATE_TYPES);
export type PrivateType = z.infer<typeof PrivateType>;

export const DATA_TYPES = ['secret', ...PRIVATE_TYPES] as const;
export const dataTypeSchema = z.enum(DATA_TYPES);
export type DataType = z.infer<typeof dataTypeSchema>;

/** Redactions per type of data (`{ secret: 1, email: 2 }`), for an entry's record and the audit trail. */
export const RedactionCounts = z.partialRecord(dataTypeSchema, z.number().int().min(0));
export type RedactionCounts = z.infer<typeof RedactionCounts>;

/** The counts added up, per type. */
export function addCounts(...all: readonly RedactionCounts[]): RedactionCounts {
  const sum: RedactionCounts = {};
  for (const counts of all)
    for (const [type, n] of Object.entries(counts) as [DataType, number][])
      if (n) sum[type] = (sum[type] ?? 0) + n;
  return sum;
}
