// Which incidents a token may read, as one SQL condition on the `incidents` table. Every query
// that reads an incident for a caller (the list, each per-incident read check, the websocket's
// upgrade, cross-incident search and related) puts `readableBy(reader)` in its WHERE clause (or
// `readableAs`, the same condition, in a statement prepared once per kind of reader), so what a
// reader may not see is never selected, rather than selected and filtered afterwards.
//
// The rules (README "Visibility", docs/decisions.md):
// - an admin token not limited to an incident reads every incident;
// - an isolated token reads only the incident it is limited to;
// - every other token reads every incident that is not private, and the incident it is limited
//   to (private or not), as a viewer would: it writes only where its scope and role allow;
// - so a private incident is read only by admins and by tokens limited to it; to everyone else
//   it does not exist (incident.not_found).
//
// Stable API, joined by other modules' queries: `Reader` and `readableBy(reader): SQL`. The
// condition names `incidents` columns, so the query must have `incidents` in its FROM (join it
// on `incidents.id = <table>.incident_id`). An `auth` Principal is a Reader as it stands. A hot
// statement prepared once per kind of reader builds its condition with `readableAs`.
import type { Role } from '@sitrep/shared';
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { incidents } from './schema.js';

/** The channel on which a change of an incident's privacy announces the incident to every node. */
export const VISIBILITY_CHANNEL = 'sitrep_visibility';

/** Who reads: what of a token decides which incidents it sees. */
export interface Reader {
  role: Role;
  /** The one incident the token is limited to, or null for none. */
  incidentId: string | null;
  /** Limited to its own incident for reading too (someone outside the team). */
  isolated: boolean;
}

/**
 * What a reader reads, its own incident's id aside: everything; nothing; its own incident only;
 * the incidents that are not private; those and its own.
 */
export const VISIBILITIES = ['all', 'none', 'own', 'open', 'open+own'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** An admin token not limited to one incident: it reads everything, private incidents too. */
export const readsEverything = (reader: Reader): boolean =>
  reader.role === 'admin' && reader.incidentId === null;

/** The rules above: what `reader` reads. */
export function visibilityOf(reader: Reader): Visibility {
  if (readsEverything(reader)) return 'all';
  if (reader.isolated) return reader.incidentId === null ? 'none' : 'own';
  return reader.incidentId === null ? 'open' : 'open+own';
}

/**
 * The SQL condition "a reader of this visibility may read this incident", over the `incidents`
 * table, with `own` (a value, or a `sql.placeholder` for a statement prepared once per kind of
 * reader) for the reader's own incident's id.
 */
export function readableAs(visibility: Visibility, own: string | null | Placeholder): SQL {
  switch (visibility) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'own':
      return sql`${incidents.id} = ${own}`;
    case 'open':
      return sql`not ${incidents.private}`;
    case 'open+own':
      return sql`(${incidents.id} = ${own} or not ${incidents.private})`;
  }
}

/** The SQL condition "this reader may read this incident", over the `incidents` table. */
export function readableBy(reader: Reader): SQL {
  return readableAs(visibilityOf(reader), reader.incidentId);
}

/**
 * A name for the set of incidents `readableBy(reader)` admits: readers with the same class read
 * the same incidents (a cache of answers made for one reader may serve another of its class).
 */
export function visibilityClass(reader: Reader): string {
  const visibility = visibilityOf(reader);
  if (visibility === 'own') return `only:${reader.incidentId}`;
  if (visibility === 'open+own') return `open+${reader.incidentId}`;
  return visibility;
}
