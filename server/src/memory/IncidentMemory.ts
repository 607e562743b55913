// Incident memory: search across incidents and "seen before" for an incident or one of its
// entries, for one reader. Served per request and never written anywhere: another incident's
// text must not enter a document, a view or the summarizer's input (an incident's `view` goes to
// every reader of it). The SQL is the store's (MemoryIndex); the ranking's numbers are ranking.ts's.
import {
  type RelatedIncident,
  type RelatedQuery,
  type SearchQuery,
  type SearchResult,
  SitrepError,
} from '@sitrep/shared';
import type { SQL } from 'drizzle-orm';
import type { MemoryIndex } from '../store/MemoryIndex.js';
import { OUTCOME_KINDS, outcomeOf } from './outcome.js';
import {
  ENTRY_WEIGHT,
  PHRASE_BONUS,
  RELATED_THRESHOLD,
  SEARCH_WEIGHTS,
  TERM_ROWS_CAP,
  TERM_WEIGHT,
  INCIDENT_TITLE_WEIGHT,
  relevanceTo,
  sourceTexts,
} from './ranking.js';
import { type MemoryTerm, type SourceText, memoryTerms } from './terms.js';

/** Entries of an incident read to learn what it is about (its first ones: how it started). */
const SOURCE_ENTRIES = 500;

/** Past incidents scored per request, of which those past the threshold are shown. */
const CANDIDATES = 50;

export class IncidentMemory {
  constructor(private readonly index: MemoryIndex) {}

  /** Entries across the incidents `readable` admits, best first (see MemoryIndex.search). */
  async search(q: SearchQuery, readable: SQL): Promise<SearchResult[]> {
    return this.index.search(q, readable, { weights: SEARCH_WEIGHTS, phraseBonus: PHRASE_BONUS });
  }

  /**
   * Past incidents like this one (its title and entries) or like one of its entries, above
   * RELATED_THRESHOLD, best first, each with why it matched and what happened there. The caller
   * has checked that the reader may read `incidentId`.
   */
  async related(incidentId: string, q: RelatedQuery, readable: SQL): Promise<RelatedIncident[]> {
    const sources = await this.sourceOf(incidentId, q.entry);
    const terms = memoryTerms(sources);
    const matches = await this.index.termMatches(
      terms.map((t) => ({ text: t.text, phrase: t.kind === 'error', weight: TERM_WEIGHT[t.kind] })),
      {
        self: incidentId,
        readable,
        drills: q.drills,
        limit: CANDIDATES,
        scoring: { entryWeight: ENTRY_WEIGHT, termRowsCap: TERM_ROWS_CAP },
      },
    );
    const shown = matches.filter((m) => m.score >= RELATED_THRESHOLD).slice(0, q.limit);
    const outcomes = await this.index.outcomeEntries(
      shown.map((m) => m.incident.id),
      OUTCOME_KINDS,
    );
    const relevance = relevanceTo(terms);
    return shown.map((m) => ({
      incident: m.incident,
      score: m.score,
      why: why(terms, m.matched),
      outcome: outcomeOf(outcomes.get(m.incident.id) ?? [], relevance),
    }));
  }

  private async sourceOf(incidentId: string, entryId: string | undefined): Promise<SourceText[]> {
    if (entryId !== undefined) {
      const entry = await this.index.entry(incidentId, entryId);
      if (!entry) throw new SitrepError('entry.not_found', `incident ${incidentId} has no entry ${entryId}`);
      return sourceTexts(entry);
    }
    const source = await this.index.sourceOf(incidentId, SOURCE_ENTRIES);
    if (!source) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return [{ text: source.title, weight: INCIDENT_TITLE_WEIGHT }, ...source.entries.flatMap(sourceTexts)];
  }
}

/** The matched terms by kind, each list most telling first (words: at most eight). */
function why(
  terms: readonly MemoryTerm[],
  matched: readonly { term: number; score: number }[],
): RelatedIncident['why'] {
  const of = (kind: MemoryTerm['kind']) =>
    matched.flatMap((m) => (terms[m.term]?.kind === kind ? [terms[m.term]?.text ?? ''] : []));
  return { terms: of('word').slice(0, 8), services: of('service'), errors: of('error') };
}
