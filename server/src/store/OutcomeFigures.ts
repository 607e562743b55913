// What insights read of the store: each incident's row facts (title, severity, status, kind and
// the milestone times mirrored from its meta) beside its entry figures, kept in
// `incident_figures` as of a log position. A figure row older than the incident's last_seq (an
// append or a purge since) is computed again from the entries projection, a few incidents per
// statement, before it is answered: a request reads only the entries of incidents that changed.
import {
  type EntryFigures,
  type FigureEntry,
  type IncidentFacts,
  type IncidentKind,
  type InsightsQuery,
  type MilestoneMeta,
  type Severity,
  type Status,
  entryFigures,
} from '@sitrep/shared';
import { type SQL, and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import { entries, incidentFigures, incidents } from './schema.js';
import { type Reader, readableBy } from './visibility.js';

/** One incident's inputs to its figures. */
export interface FigureRow {
  facts: IncidentFacts;
  entries: EntryFigures;
}

/** Incidents whose entry figures are computed again per statement (about 200 entries each). */
const REFRESH_PAGE_INCIDENTS = 25;

/** Lets sockets and timers run between pages: PGlite answers in microtasks. */
const betweenPages = () => new Promise<void>((resolve) => setImmediate(resolve));

/** When an incident was declared, as insights filter by it (rows not yet mirrored: their creation). */
const declared = sql`coalesce(${incidents.declaredAt}, ${incidents.createdAt})`;

export class OutcomeFigures {
  constructor(private readonly db: Database) {}

  /** The figure rows of the incidents `reader` may read that the query admits. */
  async rows(reader: Reader, q: InsightsQuery): Promise<FigureRow[]> {
    return this.select(
      and(
        readableBy(reader),
        q.from ? sql`${declared} >= ${q.from}::timestamptz` : undefined,
        q.to ? sql`${declared} < ${q.to}::timestamptz` : undefined,
        q.severity ? inArray(incidents.severity, q.severity) : undefined,
        q.kind ? eq(incidents.kind, q.kind) : undefined,
      ),
    );
  }

  /** One incident's figure row (the caller has checked that its reader may read it); null: none. */
  async ofIncident(id: string): Promise<FigureRow | null> {
    return (await this.select(eq(incidents.id, id)))[0] ?? null;
  }

  private async select(where: SQL | undefined): Promise<FigureRow[]> {
    const rows = await this.db
      .select({
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
      })
      .from(incidents)
      .leftJoin(incidentFigures, eq(incidentFigures.incidentId, incidents.id))
      .where(where)
      .orderBy(asc(incidents.id));
    const stale = rows.filter((r) => r.figures === null || (r.figuresSeq ?? 0) < r.lastSeq);
    const fresh = await this.refresh(stale);
    return rows.map((r) => ({
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
      const read = await this.db
        .select({
          incidentId: entries.incidentId,
          entry: sql<FigureEntry>`jsonb_build_object('id', ${entries.id}, 'kind', ${entries.kind},
            'at', ${entries.data}->'at', 'author', ${entries.data}->'author',
            'refs', coalesce(${entries.data}->'refs', '[]'), 'tags', coalesce(${entries.data}->'tags', '[]'))`,
        })
        .from(entries)
        .where(inArray(entries.incidentId, ids));
      const byIncident = new Map<string, FigureEntry[]>(ids.map((id) => [id, []]));
      for (const r of read) byIncident.get(r.incidentId)?.push(r.entry);
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
}
