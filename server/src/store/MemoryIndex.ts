// The SQL of incident memory: search across incidents, the terms a past incident shares with a
// text, and the entries a past incident's outcome is made from. Matches text in `entry_search`,
// which the search indexer keeps after the commit (SearchIndex.ts): it may lag the log by a
// bounded time, never runs ahead of it, and an entry is read from the projection (so a purged
// one is never shown).
// Every query is limited IN SQL to the incidents a reader may read (`readable`, a condition on
// the incidents table) and leaves out incidents with an allowance (`withoutAllowances`).
import {
  ENTRY_KINDS,
  type Entry,
  type EntryKind,
  type IncidentKind,
  type MemoryIncident,
  type SearchQuery,
  type SearchResult,
} from '@sitrep/shared';
import { type SQL, and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { conceptLexeme, conceptNamed } from '../memory/concepts.js';
import { type Database, rowsOf } from './db.js';
import { withoutAllowances } from './PrivacySettings.js';
import { entries, entrySearch, incidentTerms, incidents, searchProgress } from './schema.js';

/**
 * A term as the store looks for it: a phrase (an error string), all of its words, all of its
 * words as prefixes (stems: `expir` finds expired and expires; a stem of under four letters only
 * itself), or a concept (memory/concepts.ts; `text` is its name) as the one lexeme the search
 * indexer adds to every document naming one of its words (conceptLexeme): an incident holds it
 * at the best kind of entry naming it, its rarity is that of all its words together, and a title
 * holds it when it holds one of its words.
 */
export interface TermQuery {
  text: string;
  match: 'phrase' | 'words' | 'stems' | 'concept';
  /** What a match of it counts before rarity and the entry's kind. */
  weight: number;
}

/** How related incidents are scored (memory/ranking.ts holds the values). */
export interface RelatedScoring {
  /** Per entry kind, and `title` for the incident's title. */
  entryWeight: Record<EntryKind | 'title', number>;
  /** The power rarity is raised to: the higher, the less a term most incidents hold counts. */
  rarityPower: number;
  /** A term that adds less than this to any incident (so common it says nothing) is not counted. */
  minTermScore: number;
}

export interface SearchRanking {
  /** ts_rank's weights for D, C, B, A. */
  weights: readonly [number, number, number, number];
  phraseBonus: number;
  /** Matches ranked at most, the newest: what one search costs, however many entries hold the words. */
  candidates: number;
}

export interface TermMatches {
  incident: MemoryIncident;
  score: number;
  /** Each matched term (its index in the terms asked) with what it added to the score. */
  matched: { term: number; score: number }[];
}

/** ts_headline's options: matches wrapped in `**`, a fragment or two of a dozen words or more. */
const HEADLINE = 'StartSel=**, StopSel=**, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "';

const incidentOf = (r: Record<string, unknown>): MemoryIncident => ({
  id: String(r.incident_id),
  title: String(r.incident_title),
  status: r.incident_status as MemoryIncident['status'],
  severity: r.incident_severity as MemoryIncident['severity'],
  kind: r.incident_kind as IncidentKind,
});

const incidentColumns = sql`${incidents.id} as incident_id, ${incidents.title} as incident_title,
  ${incidents.status} as incident_status, ${incidents.severity} as incident_severity, ${incidents.kind} as incident_kind`;

export class MemoryIndex {
  constructor(private readonly db: Database) {}

  /**
   * Entries holding every word of `q.q` (a plain query: Postgres's parser reads it as words,
   * never as syntax), best first: ts_rank over the weighted document, times `phraseBonus` when
   * the words stand as the phrase asked; newer first on ties. Only in incidents `readable` admits,
   * and only the newest `candidates` matches are ranked.
   *
   * The words (`searchWords`) are a constant of the statement, in its WHERE clause (not a CTE),
   * so the planner estimates from the column's statistics how many entries hold them and picks:
   * for a common word, the newest entries by `entry_search_at` until `candidates` match (about
   * candidates / frequency rows); for a rarer one, the text index and every match. Only keys
   * (the row's ctid, time and id) are sorted to pick the candidates, and each candidate's document is
   * read again by its ctid to rank it: sorting the documents themselves spilled to disk past about
   * 4,000 matches (work_mem), and ranking every match before picking cost more than reading the
   * candidates again. An entry's data is read for the `limit` shown.
   */
  async search(q: SearchQuery, readable: SQL, ranking: SearchRanking): Promise<SearchResult[]> {
    const filter = await this.searchWords(q.q);
    if (filter === '') return []; // no word at all (punctuation only): nothing holds it
    const weights = `{${ranking.weights.join(',')}}`;
    const words = sql`plainto_tsquery('simple', ${q.q})`;
    const phrase = sql`phraseto_tsquery('simple', ${q.q})`;
    // Ranked by the words as alternatives: ts_rank of all the words at once is near 1 for any
    // text holding them close together, whatever their weight. (A tsquery's text quotes every
    // lexeme, so no lexeme holds ' & '.) Constants of the statement: the planner folds them.
    const anyWord = sql`replace(${words}::text, ' & ', ' | ')::tsquery`;
    const result = await this.db.execute(sql`
      with matches as (
        select ${entrySearch}.ctid as row, ${entrySearch.at} as at, ${entrySearch.id} as id
        from ${entrySearch}
        where ${entrySearch.search} @@ ${filter}::tsquery
          and ${entrySearch.incidentId} in (
            select ${incidents.id} from ${incidents} where (${readable}) and ${withoutAllowances}
              ${q.status ? sql`and ${incidents.status} = ${q.status}` : sql``}
              ${q.drills ? sql`` : sql`and ${incidents.kind} <> 'drill'`}
          )
          ${q.kind ? sql`and ${entrySearch.kind} = ${q.kind}` : sql``}
          ${q.incident ? sql`and ${entrySearch.incidentId} = ${q.incident}` : sql``}
        order by ${entrySearch.at} desc, ${entrySearch.id} desc
        limit ${ranking.candidates}
      ),
      hits as (
        select ${entrySearch.incidentId} as incident_id, matches.at, matches.id,
          (ts_rank(${weights}::float4[], ${entrySearch.search}, ${anyWord}, 1)
            * case when numnode(${phrase}) > 1 and ${entrySearch.search} @@ ${phrase} then ${ranking.phraseBonus}::float8 else 1 end
          )::float8 as score
        from matches join ${entrySearch} on ${entrySearch}.ctid = matches.row
        order by score desc, at desc, id desc
        limit ${q.limit}
      )
      select ${entries.data} as data, hits.score, ${incidentColumns},
        ts_headline('simple', coalesce(${entries.title} || ': ', '') || ${entries.body}, ${words}, ${HEADLINE}) as snippet
      from hits
        join ${entries} on ${entries.incidentId} = hits.incident_id and ${entries.id} = hits.id
        join ${incidents} on ${incidents.id} = ${entries.incidentId}
      order by hits.score desc, hits.at desc, hits.id desc`);
    return rowsOf(result).map((r) => ({
      incident: incidentOf(r),
      entry: r.data as Entry,
      score: Number(r.score),
      snippet: String(r.snippet),
    }));
  }

  /**
   * The words of a search as the text index looks them up: a tsquery (as text) of every lexeme
   * `to_tsvector('simple', q)` makes of `q`, all required, except the parts of a hyphenated word
   * (`load-balancer` is looked up as that lexeme, not also as `load` and `balancer`): to_tsvector
   * writes the parts with every hyphenated word, so the matches are the same as plainto_tsquery's,
   * and the planner, which takes the lexemes as independent, no longer takes a common compound
   * for a rare word (its frequency times its parts') and reads every match of it. '' for none.
   */
  async searchWords(q: string): Promise<string> {
    const result = await this.db.execute(sql`
      select coalesce(json_agg(distinct lexeme), '[]') as lexemes
      from ts_debug('simple', ${q}) as token cross join unnest(token.lexemes) as lexeme
      where token.alias not in ('hword_part', 'hword_asciipart', 'hword_numpart')`);
    const raw = rowsOf(result)[0]?.lexemes;
    const lexemes = (typeof raw === 'string' ? JSON.parse(raw) : raw) as string[];
    // A tsquery's text quotes a lexeme, doubling quotes and backslashes: never syntax.
    return lexemes.map((l) => `'${l.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`).join(' & ');
  }

  /**
   * Incidents other than `self` (drills only when asked) that hold the terms, best first, with
   * what each term added. A term adds its weight times the best entry it is found in
   * (`entryWeight`) times its rarity, (ln(1 + N/df) / ln(1 + N)) to the `rarityPower`, N the incidents
   * considered and df those holding it. Newer incidents first on ties.
   *
   * Read from the incidents' word records (`incident_terms`), at most one row per incident and
   * word, never from every entry holding a word: an incident holds a term when its entries hold
   * all of the term's words (a stem: any word it begins), and the term counts as found in the
   * least of its words' best kinds of entry. A common word (one that could not add minTermScore
   * by itself) is counted, not read: it does not count alone, and a term holding it is held by
   * its other words. A pair of words or an error string must also stand in one entry (the error
   * string as the phrase): checked only in the `checked` incidents that rank best with it counted,
   * in the first `checkEntries` entries of each, every entry read once; elsewhere it does not
   * count. Titles hold terms through the titles' index.
   */
  async termMatches(
    terms: readonly TermQuery[],
    opts: {
      self: string;
      readable: SQL;
      drills: boolean;
      limit: number;
      /** Incidents whose pairs and error strings are checked in entries: the best by their words. */
      checked: number;
      /** Entries of each of them read to check them, at most. */
      checkEntries: number;
      scoring: RelatedScoring;
    },
  ): Promise<TermMatches[]> {
    if (terms.length === 0) return [];
    const weights = JSON.stringify(
      terms.map((t, i) => {
        if (t.match !== 'concept') return { i, text: t.text, match: t.match, w: t.weight, lexeme: null };
        const concept = conceptNamed(t.text);
        if (!concept) throw new Error(`no concept named ${t.text}`);
        // Its words, for the titles' index: titles are not indexed by the indexer.
        return {
          i,
          text: concept.words.join(' '),
          match: t.match,
          w: t.weight,
          lexeme: conceptLexeme(concept),
        };
      }),
    );
    const { entryWeight } = opts.scoring;
    // The best weight among the kinds of entry in `kinds` (bit i: ENTRY_KINDS[i]).
    const bestOf = (kinds: SQL) =>
      sql`greatest(${sql.join(
        ENTRY_KINDS.map(
          (k, bit) => sql`case when ${kinds} & ${1 << bit}::int <> 0 then ${entryWeight[k]}::float8 end`,
        ),
        sql`, `,
      )})`;
    const result = await this.db.execute(sql`
      with t as (
        select r.i, r.w, r.match, case r.match
          when 'phrase' then phraseto_tsquery('simple', r.text)
          when 'words' then plainto_tsquery('simple', r.text)
          -- In a title, any one of its words: the words' tsquery joins its quoted lexemes with ' & '.
          when 'concept' then replace(plainto_tsquery('simple', r.text)::text, ' & ', ' | ')::tsquery
          -- Each quoted lexeme of four letters or more becomes a prefix ('expir':*). The words'
          -- tsquery quotes every lexeme and joins them with ' & ', so no lexeme holds a quote.
          else regexp_replace(plainto_tsquery('simple', r.text)::text, '''([^'']{4,})''', '''\\1'':*', 'g')::tsquery
        end as q,
        case when r.match = 'concept' then array[r.lexeme] else tsvector_to_array(to_tsvector('simple', r.text)) end as lexemes
        from jsonb_to_recordset(${weights}::jsonb) as r(i int, text text, match text, w float8, lexeme text)
      ),
      -- Each word of a term as a range of the records' words: itself, or for a stem of four
      -- letters or more every word beginning with it (up to it followed by the highest character).
      tl as (
        select distinct t.i, l.lexeme,
          case when t.match = 'stems' and char_length(l.lexeme) >= 4 then l.lexeme || chr(1114111) else l.lexeme end as upto
        from t cross join unnest(t.lexemes) as l(lexeme)
      ), tn as (select i, count(*) as words from tl group by i),
      pool as (
        select ${incidents.id} as id from ${incidents}
        where (${opts.readable}) and ${withoutAllowances} and ${incidents.id} <> ${opts.self}
          ${opts.drills ? sql`` : sql`and ${incidents.kind} <> 'drill'`}
      ), n as (
        select greatest(count(*), 1)::float8 as n, (select count(*) from ${incidents}) - count(*) as outside
        from pool
      ),
      -- Each word's incidents in the pool, with the best weight of the entries holding it there,
      -- as one row per word (arrays), for the words that are not common. A word is common when
      -- held by so many incidents of the pool that, even in a theory, it would add less than
      -- minTermScore as the term it stands for (at least a word's weight, 1: a generic word is
      -- common no sooner than another), counted in records (each word
      -- of a stem counts). It is not counted alone, and a term holding it is looked for by its
      -- other words (then checked in entries: one must hold a pair or an error string whole); a
      -- term of common words only is not counted. A word with that many records among all
      -- incidents plus those outside the pool is common whatever the others hold: its records
      -- are not read further (nor matched to the pool).
      limits as (
        select tl.lexeme, tl.upto, ceil(n.n / greatest(exp(ln(1 + n.n) * power(${opts.scoring.minTermScore}::float8
          / greatest(max(t.w) filter (where tn.words = 1), 1),
          1 / ${opts.scoring.rarityPower}::float8)) - 1, 1e-9))::bigint as common
        from tl join t using (i) join tn using (i), n
        group by tl.lexeme, tl.upto, n.n
      ),
      words as materialized (
        select w.lexeme, w.upto, h.df, h.ids, h.ws
        from limits w
        cross join lateral (
          select count(*) as records from (
            select 1 from ${incidentTerms}
            where ${incidentTerms.lexeme} >= w.lexeme and ${incidentTerms.lexeme} <= w.upto
            limit w.common + (select outside from n)
          ) r
        ) everywhere
        cross join lateral (
          select count(*)::float8 as df, sum(g.records) as records,
            array_agg(g.incident_id) as ids, array_agg(g.w) as ws
          from (
            select ${incidentTerms.incidentId} as incident_id, count(*) as records,
              ${bestOf(sql`bit_or(${incidentTerms.kinds})`)} as w
            from ${incidentTerms}
            where ${incidentTerms.lexeme} >= w.lexeme and ${incidentTerms.lexeme} <= w.upto
              and ${incidentTerms.incidentId} in (select id from pool)
            group by ${incidentTerms.incidentId}
          ) g
          where everywhere.records < w.common + (select outside from n)
        ) h
        where everywhere.records < w.common + (select outside from n) and coalesce(h.records, 0) < w.common
      ),
      -- The words of each term that are not common, and how many.
      tw as (select tl.i, words.lexeme, words.upto, words.df, words.ids, words.ws from tl join words using (lexeme, upto)),
      twn as (select i, count(*) as words from tw group by i),
      -- Each term looked up once in the titles' index, then kept to the pool: planned as one
      -- join, each term was looked up once per incident of the pool (35,000 lookups for 1,000).
      title_hits as materialized (
        select t.i, ${incidents.id} as id from t join ${incidents} on ${incidents.search} @@ t.q
        where numnode(t.q) > 0
      ),
      -- The fewest incidents that can hold all of a term's words (at least the sum of their
      -- counts less N for each word past the first): what the term can add at most. One that
      -- cannot reach minTermScore is not looked at further.
      possible as materialized (
        select tw.i from tw join twn using (i) join t using (i), n
        group by tw.i, t.w, twn.words, n.n
        having t.w * power(ln(1 + n.n / greatest(sum(tw.df) - (twn.words - 1) * n.n, 1))
          / ln(1 + n.n), ${opts.scoring.rarityPower}::float8) >= ${opts.scoring.minTermScore}::float8
      ),
      -- The incidents holding every word of a term that is not common, at the least of its
      -- words' best kinds of entry, or the term in their title.
      held as materialized (
        select i, incident_id, max(w) as w, bool_or(titled) as titled from (
          select tw.i, u.incident_id, min(u.w) as w, false as titled
          from tw join twn using (i) cross join unnest(tw.ids, tw.ws) as u(incident_id, w)
          where tw.i in (select i from possible)
          group by tw.i, u.incident_id, twn.words
          having count(*) = twn.words
          union all
          select title_hits.i, title_hits.id, ${entryWeight.title}::float8, true from title_hits
          where title_hits.id in (select id from pool) and title_hits.i in (select i from possible)
        ) x group by i, incident_id
      ), df as (select i, count(*)::float8 as df from held group by i),
      -- What a term adds at most (in the best kind of entry); one that adds less than
      -- minTermScore to any incident is not counted, nor checked.
      counted as materialized (
        select t.i, t.w * power(ln(1 + n.n / df.df) / ln(1 + n.n), ${opts.scoring.rarityPower}::float8) as most
        from t join df using (i), n
        where t.w * power(ln(1 + n.n / df.df) / ln(1 + n.n), ${opts.scoring.rarityPower}::float8)
          >= ${opts.scoring.minTermScore}::float8
      ),
      -- A pair of words or an error string counts where one entry holds it (the error string as
      -- the phrase), or the title: until checked, it is pending. A service name's words come
      -- from its one word.
      each as materialized (
        select held.incident_id, held.i, counted.most * held.w as s,
          (tn.words > 1 and t.match in ('phrase', 'stems') and not held.titled) as pending
        from held join counted using (i) join tn using (i) join t using (i)
      ),
      -- The incidents best with their pending terms counted: only theirs are checked, so an
      -- answer checks a bounded number of incidents however many hold the words.
      top as materialized (
        select incident_id from each group by incident_id order by sum(s) desc limit ${opts.checked}
      ),
      -- The pending terms of the top incidents, checked in their entries holding any pending
      -- term's rarest word (at most checkEntries of each incident): each entry read once, its
      -- search document tested for each pending term of its incident until one holds it.
      pending as materialized (
        select each.i, each.incident_id from each
        where each.pending and each.incident_id in (select incident_id from top)
      ),
      rarest as (
        select distinct on (tw.i) tw.i, quote_literal(tw.lexeme) || case when tw.upto <> tw.lexeme then ':*' else '' end as q
        from tw where tw.i in (select i from pending)
        order by tw.i, tw.df
      ),
      docs as materialized (
        select c.incident_id, d.docs from (select distinct incident_id from pending) c cross join lateral (
          select array_agg(e.search) as docs from (
            select ${entrySearch.search} as search from ${entrySearch}
            where ${entrySearch.incidentId} = c.incident_id
            order by ${entrySearch.id} limit ${opts.checkEntries}
          ) e
          -- As a function, not the operator: the text index would be read for every incident.
          where ts_match_vq(e.search, (select string_agg(q, ' | ')::tsquery from rarest))
        ) d
      ),
      checked as (
        select p.i, p.incident_id from docs cross join lateral (
          select pending.i, pending.incident_id from pending join t using (i)
          where pending.incident_id = docs.incident_id
            and exists (select 1 from unnest(docs.docs) as d(search) where ts_match_vq(d.search, t.q))
        ) p
      ),
      scored as (
        select incident_id, i, s from each
        where not pending or (i, incident_id) in (select i, incident_id from checked)
      ), ranked as (
        select incident_id, sum(s)::float8 as score,
          jsonb_agg(jsonb_build_object('term', i, 'score', s) order by s desc) as matched
        from scored group by incident_id
        order by score desc limit ${opts.limit}
      )
      select ranked.score, ranked.matched, ${incidentColumns}
      from ranked join ${incidents} on ${incidents.id} = ranked.incident_id
      order by ranked.score desc, ${incidents.createdAt} desc`);
    return rowsOf(result).map((r) => ({
      incident: incidentOf(r),
      score: Number(r.score),
      matched: (typeof r.matched === 'string' ? JSON.parse(r.matched) : r.matched) as TermMatches['matched'],
    }));
  }

  /**
   * A fingerprint of everything memory reads: it changes with every commit to any incident (each
   * bumps the incident's last_seq: entries appended, an entry purged), with every incident made,
   * and with any change of an incident's privacy, allowances, title, status, severity or kind:
   * each is an update of the incident's row, which gives the row a newer `xmin` (the transaction
   * that wrote it; xids only grow, so the sum only grows). The count and that sum: one scan of
   * the incidents table reading no column, never of entries (a hash of each row's columns took
   * 30 to 60 times as long: 7 to 18 ms against 0.25 to 0.28 at 1,000 incidents, under load). A
   * write to a row that changes nothing memory reads makes the next answer anew: time, never
   * correctness. With the same sum over the search index's progress rows: every indexing pass writes them.
   */
  async version(): Promise<string> {
    const result = await this.db.execute(sql`
      select count(*)::text || '/' || coalesce(sum(xmin::text::bigint), 0)::text
        || '/' || (select coalesce(sum(xmin::text::bigint), 0) from ${searchProgress})::text as version
      from ${incidents}`);
    return String(rowsOf(result)[0]?.version);
  }

  /** The incident's title and its entries (the first `limit` by id): what "seen before" looks for. */
  async sourceOf(incidentId: string, limit: number): Promise<{ title: string; entries: Entry[] } | null> {
    const [row] = await this.db
      .select({ title: incidents.title })
      .from(incidents)
      .where(eq(incidents.id, incidentId));
    if (!row) return null;
    const rows = await this.db
      .select({ data: entries.data })
      .from(entries)
      .where(eq(entries.incidentId, incidentId))
      .orderBy(asc(entries.id))
      .limit(limit);
    return { title: row.title, entries: rows.map((r) => r.data) };
  }

  /** One entry of an incident, or null. */
  async entry(incidentId: string, entryId: string): Promise<Entry | null> {
    const [row] = await this.db
      .select({ data: entries.data })
      .from(entries)
      .where(and(eq(entries.incidentId, incidentId), eq(entries.id, entryId)));
    return row?.data ?? null;
  }

  /**
   * What the outcomes of these incidents are made from, per incident: theories, rejections,
   * reopens, decisions, actions and gaps, and the findings and datasets that ref something; the
   * newest `perIncident` of them (in id order), so a huge past incident costs no more than that.
   */
  async outcomeEntries(
    incidentIds: readonly string[],
    kinds: readonly EntryKind[],
    perIncident: number,
  ): Promise<Map<string, Entry[]>> {
    const out = new Map<string, Entry[]>(incidentIds.map((id) => [id, []]));
    if (incidentIds.length === 0) return out;
    const outcomeKind = or(
      inArray(entries.kind, [...kinds]),
      and(inArray(entries.kind, ['finding', 'dataset']), sql`${entries.data} ? 'refs'`),
    );
    const result = await this.db.execute(sql`
      select asked.id as incident_id, e.data
      from jsonb_array_elements_text(${JSON.stringify(incidentIds)}::jsonb) as asked(id)
      cross join lateral (
        select ${entries.id} as entry_id, ${entries.data} as data from ${entries}
        where ${entries.incidentId} = asked.id and ${outcomeKind}
        order by ${entries.id} desc
        limit ${perIncident}
      ) e
      order by e.entry_id`);
    for (const r of rowsOf(result)) out.get(String(r.incident_id))?.push(r.data as Entry);
    return out;
  }
}
