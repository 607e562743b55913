// Rows written straight into a store's tables, for tests of what reads them (the search index,
// its word records, term matches) without a room or a server in between.
import type { Entry } from '@sitrep/shared';
import type { Database } from '../../server/src/store/db.js';
import { entries, incidents } from '../../server/src/store/schema.js';

/** The `entries` row of `e`, written at log position `seq` of `incidentId`. */
export const entryRow = (incidentId: string, e: Entry, seq: number): typeof entries.$inferInsert => ({
  incidentId,
  id: e.id,
  seq,
  kind: e.kind,
  authorId: e.author.id,
  at: new Date(e.at),
  title: e.title ?? null,
  body: e.body,
  data: e,
});

/** An incident `id` whose log holds `written`, an entry a row, in order; none indexed yet. */
export async function writeIncident(
  db: Database,
  id: string,
  written: readonly Entry[],
  status = 'investigating',
): Promise<void> {
  await db
    .insert(incidents)
    .values({ id, title: id, severity: 'SEV2', status, kind: 'incident', lastSeq: written.length });
  await db.insert(entries).values(written.map((e, i) => entryRow(id, e, i + 1)));
}
