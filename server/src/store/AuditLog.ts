// The audit trail: append-only records of writes, refusals, token changes, purges, exports and
// scans of stored data, with repeats of one refusal or failed login counted into one row per
// minute.
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
  | 'incident.archive'
  | 'incident.unarchive'
  | 'incident.allow'
  | 'incident.private'
  | 'incident.meta'
  | 'purge'
  | 'summarizer'
  | 'export'
  | 'import'
  | 'sanitizer.scan';

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

/** How long repeats of one refusal are counted before their count is written. */
const REPEAT_WINDOW_MS = 60_000;

export class AuditLog {
  /** Repeatable events seen this window, by kind, with how often each came again. */
  private repeated = new Map<string, { event: AuditEvent; count: number }>();
  private window: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly db: Database) {}

  async record(...events: AuditEvent[]): Promise<void> {
    if (events.length) await this.db.insert(audit).values(events.map(auditRow));
  }

  /**
   * Records an event its caller can repeat as fast as it can send (a refused write, a failed
   * login) without letting it fill the table: the first of each kind (action, incident, token,
   * `kind`) in a window is written at once; the rest are counted, and written as one row with
   * `detail.repeats` when the window ends. Kinds are bounded by the tokens and incidents that
   * exist, so the count map is too.
   */
  async recordRepeatable(kind: string, event: AuditEvent): Promise<void> {
    const key = JSON.stringify([event.action, event.incidentId ?? null, event.tokenId ?? null, kind]);
    const seen = this.repeated.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    this.repeated.set(key, { event, count: 0 });
    this.openWindow();
    await this.record(event);
  }

  /**
   * Writes the counts of the window so far and starts the next. Counts that cannot be written
   * (the database is away) are carried into the next window, not dropped.
   */
  async flushRepeats(): Promise<void> {
    if (this.window) clearTimeout(this.window);
    this.window = null;
    const counted = [...this.repeated].filter(([, r]) => r.count > 0);
    this.repeated = new Map();
    try {
      await this.record(
        ...counted.map(([, { event, count }]) => ({ ...event, detail: { ...event.detail, repeats: count } })),
      );
    } catch (err) {
      for (const [key, r] of counted)
        this.repeated.set(key, { event: r.event, count: r.count + (this.repeated.get(key)?.count ?? 0) });
      this.openWindow();
      throw err;
    }
  }

  /** Writes the counts still open and stops counting; the store closes next. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushRepeats();
  }

  /** Ends the window in a minute; a flush that fails there is retried a window later. */
  private openWindow(): void {
    if (this.closed) return;
    this.window ??= setTimeout(() => void this.flushRepeats().catch(() => {}), REPEAT_WINDOW_MS).unref();
  }

  async list(q: {
    incident?: string | undefined;
    action?: string | undefined;
    before?: number | undefined;
    limit: number;
  }): Promise<AuditRecord[]> {
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
