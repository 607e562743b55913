// The summarizer's storage: every LLM run with its model, tokens, latency and view; the
// commander's pause switch; and the leases that make one node at a time do an incident's
// derived work.
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { SummarizerUsageSum } from '@sitrep/shared';
import { type Database, rowsOf } from './db.js';
import { incidents, leases, summaries } from './schema.js';
import { byIncident, num, usageRecorded } from './UsageLog.js';

export interface SummaryRun {
  incidentId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  watermark: string | null;
  view: Record<string, unknown> | null;
  error: string | null;
}

export class SummaryLog {
  constructor(private readonly db: Database) {}

  async record(run: SummaryRun): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(summaries).values(run);
      await usageRecorded(tx, [run.incidentId]);
    });
  }

  /** Tokens (input plus output) the incident's runs used since `since`. */
  async tokensSince(incidentId: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<string | null>`sum(${summaries.inputTokens} + ${summaries.outputTokens})` })
      .from(summaries)
      .where(and(eq(summaries.incidentId, incidentId), gte(summaries.at, since)));
    return Number(row?.n ?? 0);
  }

  async list(incidentId: string, limit: number): Promise<(SummaryRun & { at: string })[]> {
    const rows = await this.db
      .select()
      .from(summaries)
      .where(eq(summaries.incidentId, incidentId))
      .orderBy(desc(summaries.id))
      .limit(limit);
    return rows.map(({ id: _, at, ...r }) => ({ ...r, at: at.toISOString() }));
  }

  /** The summarizer's runs on the incident by model: every run spent its tokens, failed ones too. */
  async usageByModel(incidentId: string): Promise<SummarizerUsageSum[]> {
    return (await this.usageOf([incidentId])).get(incidentId) ?? [];
  }

  /** `usageByModel` of each of these incidents at once (insights), by incident id; none: no entry. */
  async usageOf(incidentIds: readonly string[]): Promise<Map<string, SummarizerUsageSum[]>> {
    if (incidentIds.length === 0) return new Map();
    const rows = await this.db
      .select({
        incidentId: summaries.incidentId,
        model: summaries.model,
        runs: sql<string>`count(*)`,
        input: sql<string>`sum(${summaries.inputTokens})`,
        output: sql<string>`sum(${summaries.outputTokens})`,
      })
      .from(summaries)
      .where(inArray(summaries.incidentId, [...incidentIds]))
      .groupBy(summaries.incidentId, summaries.model)
      .orderBy(summaries.incidentId, summaries.model);
    return byIncident(rows, (r) => ({
      model: r.model,
      runs: num(r.runs),
      tokens: { input: num(r.input), output: num(r.output), cacheRead: 0, cacheCreation: 0 },
    }));
  }

  async setPaused(incidentId: string, paused: boolean): Promise<boolean> {
    const rows = await this.db
      .update(incidents)
      .set({ summarizerPaused: paused })
      .where(eq(incidents.id, incidentId))
      .returning({ id: incidents.id });
    return rows.length > 0;
  }

  async isPaused(incidentId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ paused: incidents.summarizerPaused })
      .from(incidents)
      .where(eq(incidents.id, incidentId));
    return row?.paused ?? false;
  }

  /**
   * Takes or renews the leases `names` for `holder` in one statement, however many: the names it
   * holds now, each with the milliseconds left of it; another holder's unexpired lease is left to
   * it. Expiry is the database's clock (`now()` + `ttlMs`), the one every node compares against:
   * a node whose clock is behind would write a lease another node already sees expired. The
   * rows are locked in name order, so two nodes asking for overlapping sets never deadlock.
   */
  async acquireLeases(names: readonly string[], holder: string, ttlMs: number): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    // One parameter for the names (a JSON array): a VALUES row each would bind three per lease.
    const result = await this.db.execute(sql`
      insert into ${leases} (name, holder, expires_at)
      select name, ${holder}, now() + ${ttlMs} * interval '1 millisecond'
        from json_array_elements_text(${JSON.stringify([...new Set(names)])}::json) as name
        order by name
      on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
        where ${leases.holder} = excluded.holder or ${leases.expiresAt} < now()
      returning name, holder, (extract(epoch from (expires_at - now())) * 1000)::float8 as left_ms`);
    return new Map(
      rowsOf(result).flatMap((r) =>
        r.holder === holder ? [[String(r.name), Number(r.left_ms)] as const] : [],
      ),
    );
  }
}
