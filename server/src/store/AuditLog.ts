// The audit trail: append-only records of writes, refusals, token changes, purges and exports.
import type { AuditRecord } from '@sitrep/shared';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Database } from './db.js';
import { audit } from './schema.js';

export type AuditAction =
  | 'write'
  | 'reject'
  | 'auth.fail'
  | 'token.create'
  | 'token.revoke'
  | 'incident.create'
  | 'purge'
  | 'summarizer'
  | 'export'
  | 'import';

export interface AuditEvent {
  action: AuditAction;
  incidentId?: string | null | undefined;
  tokenId?: string | null | undefined;
  detail: Record<string, unknown>;
}

export const auditRow = (e: AuditEvent) => ({
  action: e.action,
  incidentId: e.incidentId ?? null,
  tokenId: e.tokenId ?? null,
  detail: e.detail,
});

export class AuditLog {
  constructor(private readonly db: Database) {}

  async record(...events: AuditEvent[]): Promise<void> {
    if (events.length) await this.db.insert(audit).values(events.map(auditRow));
  }

  async list(q: { incident?: string | undefined; action?: string | undefined; before?: number | undefined; limit: number }): Promise<AuditRecord[]> {
    const rows = await this.db
      .select()
      .from(audit)
      .where(
        and(
          q.incident ? eq(audit.incidentId, q.incident) : undefined,
          q.action ? eq(audit.action, q.action) : undefined,
          q.before ? lt(audit.id, q.before) : undefined,
        ),
      )
      .orderBy(desc(audit.id))
      .limit(q.limit);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
