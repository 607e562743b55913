// Incident memory: search across incidents and "seen before" for an incident or one of its
// entries, for one reader. Served per request and never written anywhere: another incident's
// text must not enter a document, a view or the summarizer's input (an incident's `view` goes to
// every reader of it). The SQL is the store's (MemoryIndex); the ranking's numbers are ranking.ts's.
// `related` runs for every brief and every hook prompt: its answers are kept while nothing they
// are made from has changed (MemoryIndex.version). Both wait a moment for the search index
// (SearchIndexer) when it is behind, so a writer finds what it just wrote.
import {
  type Entry,
  type RelatedCause,
  type RelatedIncident,
  type RelatedQuery,
  type SearchQuery,
  type Scenario,
  type SearchResult,
  SitrepError,
  questionOf,
} from '@sitrep/shared';
import type { SQL } from 'drizzle-orm';
import type { MemoryIndex, TermMatches, TermQuery } from '../store/MemoryIndex.js';
import { type Reader, readableBy, visibilityClass } from '../store/visibility.js';
import { OUTCOME_ENTRIES, OUTCOME_KINDS, outcomeOf } from './outcome.js';
import {
  CAUSE_WEIGHT,
  CHECKED,
  CHECK_ENTRIES,
  scenarioTexts,
  ENTRY_WEIGHT,
  INCIDENT_TITLE_WEIGHT,
  PHRASE_BONUS,
  MIN_TERM_SCORE,
  RARITY_POWER,
  RELATED_FLOOR,
  RELATED_THRESHOLD,
  SEARCH_CANDIDATES,
  SEARCH_WEIGHTS,
  TERM_WEIGHT,
  causeTerms,
  causeTexts,
  relevanceTo,
  sourceTexts,
  termWeight,
} from './ranking.js';
import { type MemoryTerm, type SourceText, memoryTerms } from './terms.js';

/** Entries of an incident read to learn what it is about (its first ones: how it started). */
const SOURCE_ENTRIES = 500;

/**
 * How long search and related wait, at most, for the search index to hold what this node knew was
 * committed when they were asked (SearchIndexer.indexed): idle, that is one pass, tens of
 * milliseconds, so a writer finds its own writes; past this they answer with what is indexed.
 */
export const INDEX_WAIT_MS = 1_000;

/** Past incidents scored per request, of which those past the threshold are shown. */
const CANDIDATES = 50;

/**
 * What the kept answers of `related` hold at most, in characters of their JSON (each answer
 * carries up to 40 entries per past incident shown): the least recently used go first.
 */
export const KEPT_CHARS = 8 * 1024 * 1024;

interface KeptAnswer {
  version: string;
  related: RelatedIncident[];
  chars: number;
}

/** An incident as its caller holds it in memory (a loaded room), so it is not read again. */
export interface RelatedSource {
  title: string;
  /** A drill's scenario: what the drill is about, looked for with its title. */
  scenario?: Scenario | undefined;
  entries: readonly Entry[];
  /** The room's position in the log: the answer is kept for this state of the incident. */
  seq: number;
}

/**
 * How the store matches each kind of term: an error string as a phrase, a word by its stem, a
 * concept as the lexeme of the entries naming any one of its words.
 */
const MATCH: Record<MemoryTerm['kind'], TermQuery['match']> = {
  error: 'phrase',
  service: 'words',
  identifier: 'words',
  pair: 'stems',
  word: 'stems',
  concept: 'concept',
};

export class IncidentMemory {
  /** Answers of `related` by incident, query and reader's visibility class, with their version. */
  private readonly kept = new Map<string, KeptAnswer>();
  private keptChars = 0;

  constructor(
    private readonly index: MemoryIndex,
    private readonly keptBudget = KEPT_CHARS,
    /** Waits for the search index (SearchIndexer.indexed); by default not at all. */
    private readonly indexed: (timeoutMs: number) => Promise<void> = async () => {},
  ) {}

  /** Entries across the incidents `reader` may read, best first (see MemoryIndex.search). */
  async search(q: SearchQuery, reader: Reader): Promise<SearchResult[]> {
    await this.indexed(INDEX_WAIT_MS);
    return this.index.search(q, readableBy(reader), {
      weights: SEARCH_WEIGHTS,
      phraseBonus: PHRASE_BONUS,
      candidates: SEARCH_CANDIDATES,
    });
  }

  /**
   * Past incidents like this one (its title and entries) or like one of its entries, above
   * RELATED_THRESHOLD, best first, each with why it matched and what happened there. The caller
   * has checked that the reader may read `incidentId`; `source` is the incident when the caller
   * holds it. An answer is given again to readers of the same visibility class while the
   * memory's version (read from the database, so a change on any node counts) is the same: a
   * commit to any incident, a purge, a change of privacy, allowances or meta makes it anew.
   * Answers are shared: callers must not change them.
   */
  async related(
    incidentId: string,
    q: RelatedQuery,
    reader: Reader,
    source?: RelatedSource,
  ): Promise<RelatedIncident[]> {
    const key = JSON.stringify([
      incidentId,
      q.entry,
      q.limit,
      q.drills,
      visibilityClass(reader),
      source?.seq,
    ]);
    await this.indexed(INDEX_WAIT_MS);
    // Read before the answer is made: a change landing meanwhile leaves it under the older version.
    const version = await this.index.version();
    const kept = this.kept.get(key);
    if (kept) this.forget(key, kept);
    if (kept?.version === version) {
      this.keep(key, kept);
      return kept.related;
    }
    const related = await this.relatedNow(incidentId, q, readableBy(reader), source);
    this.keep(key, { version, related, chars: JSON.stringify(related).length });
    return related;
  }

  /** Keeps an answer as the most recently used, then drops the least recently used past the budget. */
  private keep(key: string, answer: KeptAnswer): void {
    this.kept.set(key, answer); // one larger than the budget goes at once
    this.keptChars += answer.chars;
    for (const [old, a] of this.kept) {
      if (this.keptChars <= this.keptBudget) break;
      this.forget(old, a);
    }
  }

  private forget(key: string, answer: KeptAnswer): void {
    this.kept.delete(key);
    this.keptChars -= answer.chars;
  }

  private async relatedNow(
    incidentId: string,
    q: RelatedQuery,
    readable: SQL,
    source: RelatedSource | undefined,
  ): Promise<RelatedIncident[]> {
    const sources = await this.sourceOf(incidentId, q.entry, source);
    const terms = memoryTerms(sources);
    const opts = {
      self: incidentId,
      readable,
      drills: q.drills,
      limit: CANDIDATES,
      checked: CHECKED,
      checkEntries: CHECK_ENTRIES,
      scoring: {
        entryWeight: ENTRY_WEIGHT,
        rarityPower: RARITY_POWER,
        minTermScore: MIN_TERM_SCORE,
      },
    };
    const query = (ts: readonly MemoryTerm[]) =>
      this.index.termMatches(
        ts.map((t) => ({ text: t.query, match: MATCH[t.kind], weight: termWeight(t) })),
        opts,
      );
    const matches: Scored[] = await query(terms);
    const best = matches[0];
    // Nothing passes the threshold: nothing was seen before, however the rest rank.
    if (!best || best.score < RELATED_THRESHOLD) return [];
    await this.raiseByCause(best, matches, query);
    const shown = matches.filter((m) => m.score >= RELATED_FLOOR).slice(0, q.limit);
    const outcomes = await this.index.outcomeEntries(
      shown.map((m) => m.incident.id),
      OUTCOME_KINDS,
      OUTCOME_ENTRIES,
    );
    const relevance = relevanceTo(terms);
    return shown.map((m) => ({
      incident: m.incident,
      score: m.score,
      why: { ...why(terms, m.matched), ...(m.cause && { cause: m.cause }) },
      outcome: outcomeOf(outcomes.get(m.incident.id) ?? [], relevance),
    }));
  }

  /**
   * The cause of the best match says what failed: past incidents with a cause like it are more
   * likely the same failure told in other words. Its terms but service names (causeTerms) are
   * looked for as the incident's are, and CAUSE_WEIGHT times what each past incident scores is
   * added to it, an incident found only this way included; the best stays first. Re-sorts
   * `matches` in place.
   */
  private async raiseByCause(
    best: Scored,
    matches: Scored[],
    query: (terms: readonly MemoryTerm[]) => Promise<TermMatches[]>,
  ): Promise<void> {
    const entries = (await this.index.outcomeEntries([best.incident.id], OUTCOME_KINDS, OUTCOME_ENTRIES)).get(
      best.incident.id,
    );
    const cause = causeTerms(causeTexts(entries ?? []));
    const byId = new Map(matches.map((m) => [m.incident.id, m]));
    for (const alike of await query(cause)) {
      const id = alike.incident.id;
      if (id === best.incident.id || alike.score <= 0) continue;
      const m = byId.get(id) ?? { incident: alike.incident, score: 0, matched: [] };
      if (!byId.has(id)) matches.push(m);
      m.score = Math.min(best.score, m.score + CAUSE_WEIGHT * alike.score);
      m.cause = {
        incident: best.incident.id,
        terms: telling(cause, alike.matched).slice(0, WHY_CAUSE_TERMS),
      };
    }
    // No score passes the best's and the sort is stable: the best stays first.
    matches.sort((a, b) => b.score - a.score);
  }

  /**
   * What "seen before" looks for: the entry asked, or the title, a drill's scenario and the first
   * SOURCE_ENTRIES entries. A drill's pre-mortem questions are the same in every drill and say
   * nothing of it: left out.
   */
  private async sourceOf(
    incidentId: string,
    entryId: string | undefined,
    held: RelatedSource | undefined,
  ): Promise<SourceText[]> {
    if (entryId !== undefined) {
      const entry =
        held?.entries.find((e) => e.id === entryId) ?? (await this.index.entry(incidentId, entryId));
      if (!entry) throw new SitrepError('entry.not_found', `incident ${incidentId} has no entry ${entryId}`);
      return sourceTexts(entry);
    }
    const source = held
      ? { title: held.title, entries: [...held.entries].sort(byId).slice(0, SOURCE_ENTRIES) }
      : await this.index.sourceOf(incidentId, SOURCE_ENTRIES);
    if (!source) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return [
      { text: source.title, weight: INCIDENT_TITLE_WEIGHT },
      ...scenarioTexts(held?.scenario),
      ...source.entries.filter((e) => questionOf(e) === null).flatMap(sourceTexts),
    ];
  }
}

const byId = (a: Entry, b: Entry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A match as ranked, with the cause it was raised by, if any. */
type Scored = TermMatches & { cause?: RelatedCause };

/** How many of the shared terms of two causes `why.cause` shows. */
const WHY_CAUSE_TERMS = 5;

/**
 * The identifiers, words and pairs of words among `matched`, most telling first, for a person to
 * read, each once: a term holding a generic word (latency, deploy: it counts a fraction) is left
 * out, and so is a word already shown in a pair.
 */
function telling(terms: readonly MemoryTerm[], matched: readonly { term: number }[]): string[] {
  const said = matched.flatMap((m) => {
    const t = terms[m.term];
    return t &&
      (t.kind === 'identifier' || t.kind === 'pair' || t.kind === 'word') &&
      termWeight(t) >= TERM_WEIGHT[t.kind]
      ? [t]
      : [];
  });
  const inPairs = new Set(said.flatMap((t) => (t.kind === 'pair' ? t.query.split(' ') : [])));
  const shown = said.filter((t) => t.kind !== 'word' || !inPairs.has(t.query)).map((t) => t.text);
  // An identifier is matched as a name and as a word (it keeps its underscores): shown once.
  return [...new Set(shown)];
}

/** The matched terms by kind, each list most telling first (words and pairs of them: at most eight). */
function why(
  terms: readonly MemoryTerm[],
  matched: readonly { term: number; score: number }[],
): RelatedIncident['why'] {
  const of = (kind: MemoryTerm['kind']) =>
    matched.flatMap((m) => {
      const t = terms[m.term];
      return t?.kind === kind ? [t.text] : [];
    });
  return { terms: telling(terms, matched).slice(0, 8), services: of('service'), errors: of('error') };
}
