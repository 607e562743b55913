// The harness usage table (harness_usage): points from OTLP exports and messages read from a
// harness's transcript, each counted once, and the incident's usage summed by author and model.
// What an OTLP point adds is decided here, under a lock per token: a delta point adds its value;
// a cumulative point adds its increase over the series' last point since the same start (a new
// start time is a restarted process, counted from zero); a point already stored, or older than
// the series' latest, adds nothing.
import { type HarnessUsageSum, TOKEN_KINDS, type TokenKind, type UsageReport } from '@sitrep/shared';
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import { harnessUsage, tokens, usageSums } from './schema.js';

export type UsageKind = TokenKind | 'cost';

/** One OTLP data point of a usage metric, as the route read it (usage/otlpUsage.ts). */
export interface UsagePoint {
  sessionId: string;
  model: string;
  kind: UsageKind;
  series: string;
  temporality: 'delta' | 'cumulative';
  startNs: bigint;
  endNs: bigint;
  value: number;
  at: Date;
  attributes: Record<string, string>;
}

/** Whose usage: the incident and the token that reported it. */
export interface UsageAuthor {
  incidentId: string;
  tokenId: string;
}

/** A line of the incident's harness usage with whom its token names (a connected responder's name, else its label). */
export type HarnessUsageRow = HarnessUsageSum & { author: string };

/** A sum or count as the drivers give it (text for bigint and numeric), or 0 for none. */
export const num = (v: unknown): number => Number(v ?? 0);

/** Rows made into lines and grouped by their incident, in the rows' order. */
export function byIncident<R extends { incidentId: string }, L>(
  rows: readonly R[],
  line: (row: R) => L,
): Map<string, L[]> {
  const out = new Map<string, L[]>();
  for (const r of rows) {
    const lines = out.get(r.incidentId);
    if (lines) lines.push(line(r));
    else out.set(r.incidentId, [line(r)]);
  }
  return out;
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Counts a recording of these incidents' usage, in the transaction that records it: insights keep
 * each incident's sums as of this count (OutcomeFigures), so its next read sums them again. The
 * rows are taken in id order, as every caller takes them.
 */
export async function usageRecorded(tx: Tx, incidentIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(incidentIds)].sort();
  if (ids.length === 0) return;
  await tx
    .insert(usageSums)
    .values(ids.map((incidentId) => ({ incidentId, seq: 1 })))
    .onConflictDoUpdate({ target: usageSums.incidentId, set: { seq: sql`${usageSums.seq} + 1` } });
}

export class UsageLog {
  constructor(private readonly db: Database) {}

  /** Records an export's points, all from one token, in one transaction (all or none); how many added usage. */
  async recordPoints(
    tokenId: string,
    points: readonly (UsagePoint & { incidentId: string })[],
  ): Promise<number> {
    const ordered = [...points].sort(
      (a, b) =>
        a.incidentId.localeCompare(b.incidentId) ||
        a.series.localeCompare(b.series) ||
        a.kind.localeCompare(b.kind) ||
        Number(a.startNs - b.startNs) ||
        Number(a.endNs - b.endNs),
    );
    return this.db.transaction(async (tx) => {
      // One export of a token at a time: two of the same series would read the same last point.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sitrep.usage.${tokenId}`}))`);
      let counted = 0;
      const recorded = new Set<string>();
      for (const p of ordered) {
        const author = { incidentId: p.incidentId, tokenId };
        const added = p.temporality === 'delta' ? p.value : await increaseOf(tx, author, p);
        if (added === null) continue;
        const inserted = await tx
          .insert(harnessUsage)
          .values({
            ...author,
            sessionId: p.sessionId,
            model: p.model,
            kind: p.kind,
            source: 'otlp',
            series: p.series,
            startNs: p.startNs,
            endNs: p.endNs,
            value: p.value,
            tokens: p.kind === 'cost' ? 0 : Math.round(added),
            costUsd: p.kind === 'cost' ? added : 0,
            at: p.at,
            attributes: p.attributes,
          })
          .onConflictDoNothing()
          .returning({ id: harnessUsage.id });
        counted += inserted.length;
        if (inserted.length) recorded.add(p.incidentId);
      }
      await usageRecorded(tx, recorded);
      return counted;
    });
  }

  /** Records the messages of a transcript report; how many were not counted before. */
  async recordMessages(author: UsageAuthor, report: UsageReport): Promise<number> {
    return this.db.transaction(async (tx) => {
      let counted = 0;
      for (const m of report.messages) {
        const inserted = await tx
          .insert(harnessUsage)
          .values(
            TOKEN_KINDS.map((kind) => ({
              ...author,
              sessionId: report.sessionId,
              model: m.model,
              kind,
              source: 'transcript',
              series: m.id,
              startNs: 0n,
              endNs: 0n,
              value: m.tokens[kind],
              tokens: m.tokens[kind],
              at: new Date(m.at),
            })),
          )
          .onConflictDoNothing()
          .returning({ id: harnessUsage.id });
        if (inserted.length) counted++;
      }
      if (counted) await usageRecorded(tx, [author.incidentId]);
      return counted;
    });
  }

  /**
   * The incident's harness usage by author and model. A session that reported over OTLP is
   * counted from that alone: the transcript of the same session tells the same usage again.
   */
  async harnessUsage(incidentId: string): Promise<HarnessUsageRow[]> {
    return (await this.harnessUsageOf([incidentId])).get(incidentId) ?? [];
  }

  /** `harnessUsage` of each of these incidents at once (insights), by incident id; none: no entry. */
  async harnessUsageOf(incidentIds: readonly string[]): Promise<Map<string, HarnessUsageRow[]>> {
    if (incidentIds.length === 0) return new Map();
    const u = harnessUsage;
    const sumOf = (kind: UsageKind) =>
      sql<string | null>`sum(${u.tokens}) filter (where ${u.kind} = ${kind})`;
    const ids = [...incidentIds];
    // The sessions that reported over OTLP, joined (a hash anti-join) rather than looked up per
    // row: a NOT EXISTS under an OR runs once for every row.
    const otlp = this.db
      .selectDistinct({ incidentId: u.incidentId, tokenId: u.tokenId, sessionId: u.sessionId })
      .from(u)
      .where(and(inArray(u.incidentId, ids), eq(u.source, 'otlp')))
      .as('otlp');
    const rows = await this.db
      .select({
        incidentId: u.incidentId,
        tokenId: u.tokenId,
        author: sql<string>`coalesce(${tokens.name}, ${tokens.label})`,
        model: u.model,
        sessions: sql<string>`count(distinct ${u.sessionId})`,
        input: sumOf('input'),
        output: sumOf('output'),
        cacheRead: sumOf('cacheRead'),
        cacheCreation: sumOf('cacheCreation'),
        cost: sql<string | null>`sum(${u.costUsd}) filter (where ${u.kind} = 'cost')`,
      })
      .from(u)
      .innerJoin(tokens, eq(tokens.id, u.tokenId))
      .leftJoin(
        otlp,
        and(eq(otlp.incidentId, u.incidentId), eq(otlp.tokenId, u.tokenId), eq(otlp.sessionId, u.sessionId)),
      )
      .where(and(inArray(u.incidentId, ids), or(eq(u.source, 'otlp'), isNull(otlp.sessionId))))
      .groupBy(u.incidentId, u.tokenId, tokens.name, tokens.label, u.model)
      .orderBy(u.incidentId, u.tokenId, u.model);
    return byIncident(rows, (r) => ({
      tokenId: r.tokenId,
      author: r.author,
      model: r.model,
      sessions: num(r.sessions),
      tokens: {
        input: num(r.input),
        output: num(r.output),
        cacheRead: num(r.cacheRead),
        cacheCreation: num(r.cacheCreation),
      },
      reportedCostUsd: r.cost === null ? null : num(r.cost),
    }));
  }
}

/**
 * What a cumulative point adds: its value less the series' last value since the same start, or
 * all of it when it is the first (or the total went down: the counter was reset). Null when the
 * series has this point or a later one already: a retry, or a late export the later total holds.
 */
async function increaseOf(tx: Tx, author: UsageAuthor, p: UsagePoint): Promise<number | null> {
  const u = harnessUsage;
  const same = and(
    eq(u.incidentId, author.incidentId),
    eq(u.tokenId, author.tokenId),
    eq(u.source, 'otlp'),
    eq(u.series, p.series),
    eq(u.kind, p.kind),
    eq(u.startNs, p.startNs),
  );
  const [later] = await tx
    .select({ id: u.id })
    .from(u)
    .where(and(same, gte(u.endNs, p.endNs)))
    .limit(1);
  if (later) return null;
  const [last] = await tx
    .select({ value: u.value })
    .from(u)
    .where(and(same, lt(u.endNs, p.endNs)))
    .orderBy(desc(u.endNs))
    .limit(1);
  return last && p.value >= last.value ? p.value - last.value : p.value;
}
