// Each incident's sanitizer settings: the key its placeholders are made under and the private
// data types a commander allowed for it, with every change of allowances audited in its
// transaction and announced to every node (ALLOWANCES_CHANNEL, delivered at commit), whose
// loaded rooms then read their policy again. Cross-incident search and related leave out
// incidents with an allowance.
import { type PrivateType, newIncidentKey } from '@sitrep/shared/sanitizer';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { auditRow } from './AuditLog.js';
import type { Database } from './db.js';
import { audit, incidents } from './schema.js';

/** The channel on which a change of an incident's allowances is announced: the payload is its id. */
export const ALLOWANCES_CHANNEL = 'sitrep_allowances';

export interface IncidentSanitizer {
  key: string;
  allowances: PrivateType[];
}

/**
 * The SQL condition "this incident has no allowance": a query across incidents (search,
 * related) adds it, so data a commander allowed in one incident never surfaces in another.
 */
export const withoutAllowances = sql`${incidents.allowances} = '[]'::jsonb`;

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

  /**
   * Sets the incident's allowances (the whole set), audited as `incident.allow` with who and
   * which types were added and removed, and announced on ALLOWANCES_CHANNEL; null when there is
   * no such incident.
   */
  async setAllowances(
    incidentId: string,
    allowances: readonly PrivateType[],
    tokenId: string,
  ): Promise<IncidentSanitizer | null> {
    const changed = await this.db.transaction(async (tx) => {
      const [before] = await tx
        .select({ allowances: incidents.allowances })
        .from(incidents)
        .where(eq(incidents.id, incidentId))
        .for('update');
      if (!before) return false;
      await tx
        .update(incidents)
        .set({ allowances: [...allowances] })
        .where(eq(incidents.id, incidentId));
      const added = allowances.filter((t) => !before.allowances.includes(t));
      const removed = before.allowances.filter((t) => !allowances.includes(t));
      await tx
        .insert(audit)
        .values(
          auditRow({ action: 'incident.allow', incidentId, tokenId, detail: { allowances, added, removed } }),
        );
      await tx.execute(sql`select pg_notify(${ALLOWANCES_CHANNEL}, ${incidentId})`);
      return true;
    });
    return changed ? this.of(incidentId) : null;
  }

  /** The ids of incidents with no allowance: those cross-incident search and related may read. */
  async incidentsWithoutAllowance(): Promise<string[]> {
    const rows = await this.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(withoutAllowances)
      .orderBy(incidents.id);
    return rows.map((r) => r.id);
  }
}
