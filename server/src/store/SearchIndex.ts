// The search index's SQL: what an entry's text-search document is, and one indexing pass that
// brings `entry_search` closer to the log. The commit writes only the entries projection; this
// pass, run after it by the search indexer (memory/SearchIndexer.ts), reads the committed rows
// past each incident's `search_progress` and writes their documents, in one statement: the rows
// and the new progress land together or not at all, so a crash anywhere resumes from where the
// last pass committed and no entry is skipped. It is the one home of what is maintained after
// the commit for search's sake.
import { type SQL, sql } from 'drizzle-orm';
import { type Database, rowsOf } from './db.js';
import { entries, entrySearch, incidents, searchProgress } from './schema.js';

/**
 * An entry's weighted text-search document, over the `entries` row in scope (see
 * `memory/ranking.ts` for each weight's value): titles most (A); rationales and the bodies of
 * theories, rejections, reopens and decisions next (B); findings, gaps, actions and datasets (C);
 * transcripts and notes (D). The 'simple' configuration: no stemming and no stop words, so error
 * strings and service names (`payments-db` is one lexeme as well as two) are matched as written.
 * About 50 µs of Postgres's CPU for a 400-byte body: most of what a commit cost per entry.
 */
export const entryDocument: SQL = sql`setweight(to_tsvector('simple', coalesce(${entries.title}, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(${entries.data}->>'rationale', '')), 'B')
    || setweight(to_tsvector('simple', ${entries.body}), case
      when ${entries.kind} in ('theory', 'rejection', 'reopen', 'decision') then 'B'::"char"
      when ${entries.kind} in ('transcript', 'note') then 'D'::"char"
      else 'C'::"char" end)`;

/** Incidents brought closer per pass at most; the rest wait for the next. */
const INCIDENTS_PER_PASS = 100;

/** Cluster-wide, one node indexes at a time: two would compute the same documents. */
const INDEXER_LOCK = sql`hashtext('sitrep.search_index')`;

export interface IndexPass {
  /** Another node held the index: nothing was done. */
  busy: boolean;
  /** Entries indexed by this pass. */
  indexed: number;
  /** Some incident is still behind after it. */
  more: boolean;
}

export class SearchIndex {
  constructor(private readonly db: Database) {}

  /**
   * Indexes up to about `maxEntries` entries past the progress of the incidents that are behind
   * (a log row's entries go together, so one larger row may pass it). A transaction of two
   * statements: the first finds those incidents and takes their rows FOR KEY SHARE, which a
   * purge (FOR UPDATE) waits for and a commit (a non-key update) does not; the second, on a
   * snapshot taken once those are held, reads the entries after each progress up to its
   * last_seq (committed with them), writes their documents and the new progress. So a purge
   * either comes first and its entry is never indexed, or comes after and deletes its row here.
   */
  async pass(maxEntries: number): Promise<IndexPass> {
    return this.db.transaction(async (tx) => {
      const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${INDEXER_LOCK}) as held`));
      if (!lock?.held) return { busy: true, indexed: 0, more: true };
      const behind = rowsOf(
        await tx.execute(sql`
          select i.id from ${incidents} i left join ${searchProgress} p on p.incident_id = i.id
          where i.last_seq > coalesce(p.seq, 0)
          order by i.updated_at limit ${INCIDENTS_PER_PASS}
          for key share of i`),
      ).map((r) => String(r.id));
      if (behind.length === 0) return { busy: false, indexed: 0, more: false };
      const each = Math.max(1, Math.ceil(maxEntries / behind.length));
      const [done] = rowsOf(
        await tx.execute(sql`
          with behind as (
            select i.id, coalesce(p.seq, 0) as done, i.last_seq as last
            from ${incidents} i left join ${searchProgress} p on p.incident_id = i.id
            where i.id in (select jsonb_array_elements_text(${JSON.stringify(behind)}::jsonb))
          ), bounded as (
            -- Up to the log row before the (each + 1)th entry still to index, whole rows only.
            select b.id, b.done, b.last, least(b.last, coalesce(greatest(b.done + 1, (
              select ${entries.seq} from ${entries}
              where ${entries.incidentId} = b.id and ${entries.seq} > b.done
              order by ${entries.seq} offset ${each} limit 1) - 1), b.last)) as upto
            from behind b
          ), picked as (
            select ${entries.incidentId} as incident_id, ${entries.id} as id, ${entries.kind} as kind,
              ${entries.at} as at, ${entryDocument} as search
            from bounded b join ${entries} on ${entries.incidentId} = b.id
              and ${entries.seq} > b.done and ${entries.seq} <= b.upto
          ), written as (
            insert into ${entrySearch} (incident_id, id, kind, at, search)
            select incident_id, id, kind, at, search from picked
            on conflict do nothing
          ), progress as (
            insert into ${searchProgress} (incident_id, seq) select id, upto from bounded
            on conflict (incident_id) do update set seq = greatest(${searchProgress.seq}, excluded.seq)
          )
          select (select count(*) from picked)::int as indexed, (select bool_or(upto < last) from bounded) as more`),
      );
      return {
        busy: false,
        indexed: Number(done?.indexed ?? 0),
        more: Boolean(done?.more) || behind.length === INCIDENTS_PER_PASS,
      };
    });
  }
}

/**
 * The entries of one incident whose text matches `words` (a tsquery), exactly: those indexed
 * through the index, the rest (committed since the last pass) by their document made now. For
 * the entry list's `q`, which must not lag the log.
 */
export function matchingEntries(incidentId: string, words: SQL): SQL {
  return sql`(${entries.id} in (
      select ${entrySearch.id} from ${entrySearch}
      where ${entrySearch.incidentId} = ${incidentId} and ${entrySearch.search} @@ ${words})
    or (${entries.seq} > coalesce((select ${searchProgress.seq} from ${searchProgress}
        where ${searchProgress.incidentId} = ${incidentId}), 0)
      and ${entryDocument} @@ ${words}))`;
}
