// What insights read of the store: each incident's row facts (title, severity, status, kind and
// the milestone times mirrored from its meta) beside its entry figures, kept in
// `incident_figures` as of a log position, and its AI usage sums, kept in `usage_sums` as of its
// count of usage recordings. A figure row older than the incident's last_seq (an append or a
// purge since) is computed again from the entries projection, a few incidents per statement, and
// sums older than the usage count are summed again, before they are answered: a request reads one
// row per incident, and the entries and usage rows only of incidents that changed. Each row has a
// key that changes whenever anything its figures are made of may have (`keys` reads only those), so
// a caller that kept figures made from a row under its key may answer them again while it holds.
import {
  type EntryFigures,
  type FigureEntry,
  type IncidentFacts,
  type IncidentKind,
  type InsightsQuery,
  type MilestoneMeta,
  type Severity,
  NO_USAGE,
  type Status,
  type UsageSums,
  entryFigures,
} from '@sitrep/shared';
import { type SQL, and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import type { SummaryLog } from './SummaryLog.js';
import type { UsageLog } from './UsageLog.js';
import { entries, incidentFigures, incidents, usageSums } from './schema.js';
import { type Reader, readableBy } from './visibility.js';

/** One incident's inputs to its figures. */
export interface FigureRow {
  /** Changes whenever anything below may have: the row's log position, kept figures, usage and facts. */
  key: string;
  facts: IncidentFacts;
  entries: EntryFigures;
  usage: UsageSums;
}

/** Incidents whose entry figures are computed again per statement (about 200 entries each). */
const REFRESH_PAGE_INCIDENTS = 25;

/** Incidents whose usage is summed again per statement (about 100 usage rows each). */
const SUM_PAGE_INCIDENTS = 200;

/** Lets sockets and timers run between pages: PGlite answers in microtasks. */
const betweenPages = () => new Promise<void>((resolve) => setImmediate(resolve));

/** When an incident was declared, as insights filter by it (rows not yet mirrored: their creation). */
const declared = sql`coalesce(${incidents.declaredAt}, ${incidents.createdAt})`;

/**
 * A figure row's key: its last_seq and the positions its kept figures and usage sums were made at
 * (each stored again only with a greater one), and a digest of the facts read from the row. Every
 * part of a row that its figures are made of is covered, so an equal key means equal figures.
 */
const rowKey = sql<string>`concat_ws(':', ${incidents.lastSeq}, coalesce(${incidentFigures.seq}, -1),
  coalesce(${usageSums.seq}, -1), coalesce(${usageSums.sumsSeq}, -1),
  md5(row(${incidents.title}, ${incidents.severity}, ${incidents.status}, ${incidents.kind},
    ${incidents.createdAt}, ${incidents.milestones})::text))`;

/** The incidents `reader` may read that the query admits. */
const admitted = (reader: Reader, q: InsightsQuery) =>
  and(
    readableBy(reader),
    q.from ? sql`${declared} >= ${q.from}::timestamptz` : undefined,
    q.to ? sql`${declared} < ${q.to}::timestamptz` : undefined,
    q.severity ? inArray(incidents.severity, q.severity) : undefined,
    q.kind ? eq(incidents.kind, q.kind) : undefined,
  );

export class OutcomeFigures {
  constructor(
    private readonly db: Database,
    private readonly usage: Pick<UsageLog, 'harnessUsageOf'>,
    private readonly summaries: Pick<SummaryLog, 'usageOf'>,
  ) {}

  /** The key of each figure row `rows(reader, q)` would answer, by incident id. */
  async keys(reader: Reader, q: InsightsQuery): Promise<{ id: string; key: string }[]> {
    return this.db
      .select({ id: incidents.id, key: rowKey })
      .from(incidents)
      .leftJoin(incidentFigures, eq(incidentFigures.incidentId, incidents.id))
      .leftJoin(usageSums, eq(usageSums.incidentId, incidents.id))
      .where(admitted(reader, q))
      .orderBy(asc(incidents.id));
  }

  /** The figure rows of these incidents that `reader` may read and the query admits. */
  async rows(reader: Reader, q: InsightsQuery, ids: readonly string[]): Promise<FigureRow[]> {
    if (ids.length === 0) return [];
    return this.select(and(admitted(reader, q), inArray(incidents.id, [...ids])));
  }

  /** One incident's figure row (the caller has checked that its reader may read it); null: none. */
  async ofIncident(id: string): Promise<FigureRow | null> {
    return (await this.select(eq(incidents.id, id)))[0] ?? null;
  }

  private async select(where: SQL | undefined): Promise<FigureRow[]> {
    const rows = await this.db
      .select({
        key: rowKey,
        id: incidents.id,
        title: incidents.title,
        severity: incidents.severity,
        status: incidents.status,
        kind: incidents.kind,
        createdAt: incidents.createdAt,
        milestones: incidents.milestones,
        lastSeq: incidents.lastSeq,
        figuresSeq: incidentFigures.seq,
        figures: incidentFigures.figures,
        usageSeq: usageSums.seq,
        sumsSeq: usageSums.sumsSeq,
        sums: usageSums.sums,
      })
      .from(incidents)
      .leftJoin(incidentFigures, eq(incidentFigures.incidentId, incidents.id))
      .leftJoin(usageSums, eq(usageSums.incidentId, incidents.id))
      .where(where)
      .orderBy(asc(incidents.id));
    const stale = rows.filter((r) => r.figures === null || (r.figuresSeq ?? 0) < r.lastSeq);
    const fresh = await this.refresh(stale);
    const unsummed = rows.flatMap((r) =>
      r.usageSeq !== null && (r.sums === null || (r.sumsSeq ?? 0) < r.usageSeq)
        ? [{ id: r.id, seq: r.usageSeq }]
        : [],
    );
    const summed = await this.sum(unsummed);
    return rows.map((r) => ({
      key: r.key,
      facts: {
        // A row not mirrored since milestones were: its times are unknown until it is next loaded.
        ...(r.milestones ?? ({ createdAt: r.createdAt.toISOString() } satisfies MilestoneMeta)),
        id: r.id,
        title: r.title,
        severity: r.severity as Severity,
        status: r.status as Status,
        kind: r.kind as IncidentKind,
      },
      entries: fresh.get(r.id) ?? (r.figures as EntryFigures),
      usage: summed.get(r.id) ?? r.sums ?? NO_USAGE,
    }));
  }

  /**
   * Computes the entry figures of these incidents again and keeps them. Each is stored as of the
   * last_seq read before its entries: entries that land in between make it stale again at once,
   * never fresh with entries missing.
   */
  private async refresh(
    stale: readonly { id: string; lastSeq: number }[],
  ): Promise<Map<string, EntryFigures>> {
    const out = new Map<string, EntryFigures>();
    for (let i = 0; i < stale.length; i += REFRESH_PAGE_INCIDENTS) {
      if (i > 0) await betweenPages();
      const page = stale.slice(i, i + REFRESH_PAGE_INCIDENTS);
      const ids = page.map((r) => r.id);
      // One row an incident, its entries in one JSON array: one parse each, not one a row (json,
      // not jsonb: Postgres builds the text it sends without a binary form in between).
      const read = await this.db
        .select({
          incidentId: entries.incidentId,
          entries: sql<FigureEntry[]>`json_agg(json_build_object('id', ${entries.id}, 'kind', ${entries.kind},
            'at', ${entries.data}->'at', 'author', ${entries.data}->'author',
            'refs', coalesce(${entries.data}->'refs', '[]'), 'tags', coalesce(${entries.data}->'tags', '[]')))`,
        })
        .from(entries)
        .where(inArray(entries.incidentId, ids))
        .groupBy(entries.incidentId);
      const byIncident = new Map(read.map((r) => [r.incidentId, r.entries]));
      const values = page.map((r) => {
        const figures = entryFigures(byIncident.get(r.id) ?? []);
        out.set(r.id, figures);
        return { incidentId: r.id, seq: r.lastSeq, figures };
      });
      await this.db
        .insert(incidentFigures)
        .values(values)
        .onConflictDoUpdate({
          target: incidentFigures.incidentId,
          set: { seq: sql`excluded.seq`, figures: sql`excluded.figures` },
          setWhere: sql`${incidentFigures.seq} < excluded.seq`,
        });
    }
    return out;
  }

  /**
   * Sums the usage of these incidents again and keeps the sums, each as of the usage count read
   * before its rows: usage recorded in between makes them stale again at once, never kept short.
   */
  private async sum(stale: readonly { id: string; seq: number }[]): Promise<Map<string, UsageSums>> {
    const out = new Map<string, UsageSums>();
    for (let i = 0; i < stale.length; i += SUM_PAGE_INCIDENTS) {
      if (i > 0) await betweenPages();
      const page = stale.slice(i, i + SUM_PAGE_INCIDENTS);
      const ids = page.map((r) => r.id);
      const [harness, summarizer] = await Promise.all([
        this.usage.harnessUsageOf(ids),
        this.summaries.usageOf(ids),
      ]);
      const values = page.map((r) => {
        const sums: UsageSums = {
          // The token's name is read with the usage answer; the sums keep its id.
          harness: (harness.get(r.id) ?? []).map(({ author: _, ...line }) => line),
          summarizer: summarizer.get(r.id) ?? [],
        };
        out.set(r.id, sums);
        return { incidentId: r.id, seq: r.seq, sumsSeq: r.seq, sums };
      });
      await this.db
        .insert(usageSums)
        .values(values)
        .onConflictDoUpdate({
          target: usageSums.incidentId,
          set: { sumsSeq: sql`excluded.sums_seq`, sums: sql`excluded.sums` },
          setWhere: sql`${usageSums.sumsSeq} is null or ${usageSums.sumsSeq} < excluded.sums_seq`,
        });
    }
    return out;
  }
}
