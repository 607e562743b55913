// Each incident's sanitizer settings: the key its placeholders are made under and the private
// data types a commander allowed for it.
import { type PrivateType, newIncidentKey } from '@sitrep/shared/sanitizer';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from './db.js';
import { incidents } from './schema.js';

export interface IncidentSanitizer {
  key: string;
  allowances: PrivateType[];
}

export class PrivacySettings {
  constructor(private readonly db: Database) {}

  /**
   * The incident's key and allowances, or null when there is no such incident. An incident made
   * before keys existed gets its key here, once: two nodes asking at once keep the first written.
   */
  async of(incidentId: string): Promise<IncidentSanitizer | null> {
    const [row] = await this.db
      .select({ key: incidents.sanitizerKey, allowances: incidents.allowances })
      .from(incidents)
      .where(eq(incidents.id, incidentId));
    if (!row) return null;
    if (row.key !== null) return { key: row.key, allowances: row.allowances };
    await this.db
      .update(incidents)
      .set({ sanitizerKey: newIncidentKey() })
      .where(and(eq(incidents.id, incidentId), isNull(incidents.sanitizerKey)));
    return this.of(incidentId);
  }
}
