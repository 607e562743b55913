// The search index's SQL: what an entry's text-search document is, and one indexing pass that
// brings `entry_search` closer to the log. The commit writes only the entries projection; this
// pass, run after it by the search indexer (memory/SearchIndexer.ts), reads the committed rows
// past each incident's `search_progress` and writes their documents, in one statement: the rows
// and the new progress land together or not at all, so a crash anywhere resumes from where the
// last pass committed and no entry is skipped. It is the one home of what is maintained after
// the commit for search's sake.
import { type SQL, sql } from 'drizzle-orm';
import { CONCEPT_LEXEMES } from '../memory/concepts.js';
import { type DatabaseHandle, literal } from './db.js';
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

/**
 * The lexicon as rows (word, lexeme): each word of memory/concepts.ts and the lexeme of each
 * concept it names (conceptLexeme, one a concept, which no text's words make). The indexer adds
 * to each document the lexemes of the words it holds: the word records (incident_terms) then hold
 * one row per incident and concept, kept and purged as every word's, and "seen before" looks a
 * concept up as one lexeme instead of each of its words. Only the indexer writes them: an
 * entry's document made now (matchingEntries) lacks them, and no search can ask for them. Written
 * into the pass's text, which is prepared: parsed once per connection, not sent and parsed as a
 * 12 KB parameter each pass.
 */
const LEXICON = sql.raw(
  `(values ${Object.entries(CONCEPT_LEXEMES)
    .flatMap(([word, lexemes]) => lexemes.map((lexeme) => `(${literal(word)}, ${literal(lexeme)})`))
    .join(', ')})`,
);

/** Incidents brought closer per pass at most; the rest wait for the next. */
const INCIDENTS_PER_PASS = 100;

/**
 * The pass's first statement. Cluster-wide, one node indexes at a time (two would compute the
 * same documents): it takes the indexer's lock, and only while holding it finds the incidents
 * behind (the oldest update first) and takes their rows FOR KEY SHARE, which a purge (FOR UPDATE)
 * waits for and a commit (a non-key update) does not. Their ids come back as JSON text, which the
 * second statement takes as it is.
 */
const BEHIND = sql`
  with lock as (select pg_try_advisory_xact_lock(hashtext('sitrep.search_index')) as held),
  behind as (
    select i.id from ${incidents} i left join ${searchProgress} p on p.incident_id = i.id
    where (select held from lock) and (i.last_seq > coalesce(p.seq, 0) or p.entry is not null)
    order by i.updated_at limit ${sql.raw(String(INCIDENTS_PER_PASS))}
    for key share of i
  )
  select (select held from lock) as held, (select count(*) from behind)::int as n,
    (select coalesce(json_agg(id), '[]') from behind)::text as ids`;

/**
 * The pass's second statement, on a snapshot taken once the first holds its locks: for the
 * incidents `ids` (a JSON array), it reads the up to `each` entries after each progress up to its
 * last_seq (committed with them), writes their documents and the new progress.
 */
const INDEX = sql`
  with behind as (
    select i.id, coalesce(p.seq, 0) as seq, p.entry, i.last_seq as last
    from ${incidents} i left join ${searchProgress} p on p.incident_id = i.id
    where i.id in (select jsonb_array_elements_text(${sql.placeholder('ids')}::jsonb))
  ), picked as materialized (
    -- The next entries in log order (a log row's by id), up to its last_seq: committed.
    select b.id as incident_id, e.id, e.seq, e.kind, e.at, e.search from behind b
    cross join lateral (
      select ${entries.id} as id, ${entries.seq} as seq, ${entries.kind} as kind, ${entries.at} as at,
        ${entryDocument} as search
      from ${entries}
      where ${entries.incidentId} = b.id and ${entries.seq} >= b.seq and ${entries.seq} <= b.last
        and (${entries.seq} > b.seq or (b.entry is not null and ${entries.id} > b.entry))
      order by ${entries.seq}, ${entries.id} limit ${sql.placeholder('each')}::int
    ) e
  ), concepts as (
    -- The concepts each picked document names (LEXICON).
    select p.incident_id, p.id, array_to_tsvector(array_agg(distinct l.lexeme)) as lexemes
    from picked p cross join unnest(tsvector_to_array(p.search)) as w(word)
      join ${LEXICON} as l(word, lexeme) on l.word = w.word
    group by p.incident_id, p.id
  ), written as (
    insert into ${entrySearch} (incident_id, id, kind, at, search)
    select p.incident_id, p.id, p.kind, p.at, p.search || coalesce(c.lexemes, ''::tsvector)
    from picked p left join concepts c on c.incident_id = p.incident_id and c.id = p.id
    on conflict do nothing
  ), reached as (
    -- Where each incident is now: its last_seq when fewer than a pass's share were left,
    -- else the last entry picked.
    select b.id, case when count(p.id) < ${sql.placeholder('each')}::int then b.last else max(p.seq) end as seq,
      case when count(p.id) < ${sql.placeholder('each')}::int then null
        else (array_agg(p.id order by p.seq desc, p.id desc))[1] end as entry
    from behind b left join picked p on p.incident_id = b.id
    group by b.id, b.last
  ), progress as (
    insert into ${searchProgress} (incident_id, seq, entry) select id, seq, entry from reached
    on conflict (incident_id) do update set seq = excluded.seq, entry = excluded.entry
  )
  select (select count(*) from picked)::int as indexed,
    (select bool_or(entry is not null) from reached) as more`;

/** Merges the text index's pending list (SearchIndex.mergePending). */
const MERGE = sql`select gin_clean_pending_list('entry_search_search'::regclass)`;

export interface IndexPass {
  /** Another node held the index: nothing was done. */
  busy: boolean;
  /** Entries indexed by this pass. */
  indexed: number;
  /** Some incident is still behind after it. */
  more: boolean;
}

export class SearchIndex {
  constructor(private readonly handle: DatabaseHandle) {}

  /**
   * Indexes up to `maxEntries` entries past the progress of the incidents that are behind, in
   * log order (a log row's entries by id, so a 500-entry append is indexed over several passes
   * where a pass must be short: PGlite runs it on the event loop). A transaction of two
   * prepared statements (BEHIND, then INDEX on a snapshot taken once BEHIND's locks are held):
   * a purge either comes first and its entry is never indexed, or comes after and deletes its
   * row here. Its cost is mostly fixed at a live pace (a pass of 10 to 20 entries), so it is
   * prepared, planned once per connection, and makes four round trips.
   */
  async pass(maxEntries: number): Promise<IndexPass> {
    return this.handle.preparedTransaction(async (prepared) => {
      const [found] = await prepared(BEHIND, {});
      if (!found?.held) return { busy: true, indexed: 0, more: true };
      const behind = Number(found.n);
      if (behind === 0) return { busy: false, indexed: 0, more: false };
      const each = Math.max(1, Math.ceil(maxEntries / behind));
      const [done] = await prepared(INDEX, { ids: found.ids, each });
      return {
        busy: false,
        indexed: Number(done?.indexed ?? 0),
        more: Boolean(done?.more) || behind === INCIDENTS_PER_PASS,
      };
    });
  }

  /**
   * Merges the text index's pending list into the index proper. New rows' words wait in that
   * list (GIN's fast update: cheap to insert, merged in bulk once it holds
   * `gin_pending_list_limit`, 4 MB), and every search reads all of it: 3 to 20 ms at 144 pages
   * against 0.3 to 0.7 ms merged (issue 25). The indexer merges it whenever it has caught up, off
   * the commit path, so a search on a quiet index reads no list and a burst still inserts
   * cheaply. Only the index's owner may (sitrep owns what its migrations made).
   */
  async mergePending(): Promise<void> {
    await this.handle.prepared(MERGE, {});
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
    or (not exists (
        select 1 from ${searchProgress} where ${searchProgress.incidentId} = ${incidentId}
          and (${entries.seq} < ${searchProgress.seq}
            or (${entries.seq} = ${searchProgress.seq} and (${searchProgress.entry} is null or ${entries.id} <= ${searchProgress.entry}))))
      and ${entryDocument} @@ ${words}))`;
}
