// How incident memory ranks, in one place: the weights search gives each part of an entry, how
// much each text of an incident says what it is about, what each kind of term and entry counts in
// "seen before", the threshold the best past incident must pass and the floor of the others listed
// with it. The store runs the SQL; these numbers are its parameters.
import { type Entry, type EntryKind, type Scenario, cut, theoryStates } from '@sitrep/shared';
import { type MemoryTerm, type SourceText, memoryTerms } from './terms.js';

/**
 * Search's `ts_rank` weights for the document's parts D, C, B, A (schema.ts
 * `entrySearchDocument`): notes and transcripts, findings and the like, theory / decision /
 * rejection bodies and rationales, titles.
 */
export const SEARCH_WEIGHTS = [0.1, 0.3, 0.7, 1.0] as const;

/**
 * A search result's rank is multiplied by this when its text holds the query's words as the
 * phrase asked (an error string quoted whole): exact strings count strongly, and among them a
 * title still ranks over a note.
 */
export const PHRASE_BONUS = 3;

/**
 * Search ranks at most this many matches, the newest: a word found in every entry of a huge
 * incident costs a search no more than this. Older matches past it are not found. 1,000, not
 * 2,000 (issue 25): two common words found together in 3% of 200,000 entries were answered by
 * reading every match's row (about 5,400 scattered pages, most not in shared buffers: 38 to 46 ms)
 * to pick the newest 2,000; for 1,000 the planner reads the newest entries until that many match
 * (about 34,000, the pages every such search shares): the p95 of 80 searches about halved. The price, on
 * the benchmark's 80 queries: 29 give another top 20, and 64% of the top 20s a ranking of every
 * match gives are found instead of 67% (docs/benchmarks-log.md, issue 25).
 */
export const SEARCH_CANDIDATES = 1000;

/** How much an incident's title says what it is about, against its entries' texts (sourceTexts). */
export const INCIDENT_TITLE_WEIGHT = 3;

/**
 * How much an entry's text says what an incident is about, by kind and part: the body of a
 * theory, decision or rejection most, of a note, transcript or dataset least; an entry's title one
 * more than its body; a rationale as much as a theory.
 */
export function sourceTexts(e: Entry): SourceText[] {
  const strong = e.kind === 'theory' || e.kind === 'decision' || e.kind === 'rejection';
  const weak = e.kind === 'note' || e.kind === 'transcript' || e.kind === 'dataset';
  const body = strong ? 2 : weak ? 0.5 : 1;
  return [
    ...(e.title ? [{ text: e.title, weight: body + 1 }] : []),
    { text: e.body, weight: body },
    ...(e.rationale ? [{ text: e.rationale, weight: 2 }] : []),
  ];
}

/**
 * How much a drill's scenario says what the drill is about: its summary, keywords and categories
 * as a theory's body, its Markdown (the first 16 Ki characters: the start of a postmortem says
 * what failed) as a finding's.
 */
export function scenarioTexts(s: Scenario | undefined): SourceText[] {
  if (!s) return [];
  const words = [...(s.keywords ?? []), ...(s.categories ?? [])].join('. ');
  return [
    ...(s.summary ? [{ text: s.summary, weight: 2 }] : []),
    ...(words ? [{ text: words, weight: 2 }] : []),
    { text: cut(s.body, 16_384), weight: 1 },
  ];
}

/**
 * The texts that say what an incident's cause was: its confirmed theories and the decisions that
 * ref them (the decision that confirmed each).
 */
export function causeTexts(entries: readonly Entry[]): SourceText[] {
  const confirmed = new Set(
    theoryStates(entries).flatMap((t) => (t.state === 'confirmed' ? [t.theory.id] : [])),
  );
  return entries
    .filter((e) => confirmed.has(e.id) || (e.kind === 'decision' && e.refs?.some((r) => confirmed.has(r))))
    .flatMap(sourceTexts);
}

/**
 * The terms a cause is looked for by elsewhere: its error strings, identifiers and words, not its
 * service names. A service says where a failure happened, not what failed: a service that failed
 * once by memory and once by consumer lag would make the two look alike. An identifier
 * (`max_connections`, `invalid_api_key`) names what failed.
 */
export function causeTerms(texts: readonly SourceText[]): MemoryTerm[] {
  return memoryTerms(texts).filter((t) => t.kind !== 'service');
}

/**
 * What a past incident's likeness to the best match's cause adds to its score: the cause's terms
 * (causeTerms) are looked for as the incident's are, and this times the score they give is added,
 * to an incident the first look did not find too. Only when the best match passes
 * RELATED_THRESHOLD: the cause of a clear match says what failed, and other incidents with a
 * cause like it are likely the same failure told in other words. No incident passes the best
 * match this way: it stays first. A half: it orders the incidents near the floor and lifts an
 * incident of the same cause over it; at 1.5 the many weak words two unlike causes share (time,
 * group, longer) lifted other failures above the same failure told differently.
 */
export const CAUSE_WEIGHT = 0.5;

/**
 * What a matched term counts in "seen before", by kind, before rarity: an error string most, then
 * a service name, and an identifier as much (a setting, table or error code: as exact a name); a
 * word, and a pair of neighbouring words (found together in one entry) as
 * much again, so words said together count more than the same words apart. A concept (a failure
 * domain both incidents name, in any of its words: concepts.ts) as a service name: it says what
 * kind of thing failed as a service says where; its rarity is that of all its words together, so
 * a domain most incidents name counts little. Chosen before the blind set was run, not tuned.
 */
export const TERM_WEIGHT: Record<MemoryTerm['kind'], number> = {
  error: 3,
  service: 2,
  identifier: 2,
  pair: 1,
  word: 1,
  concept: 2,
};

/**
 * Words every incident report is full of, whatever failed: symptoms, impact, time and release
 * words (latency, deploy, errors). Each counts GENERIC_WEIGHT of what it would (a pair of two,
 * its square): shared alone they say that two incidents are incidents, not that they are alike.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `error errors fail fails failed failing failure failures issue issues problem problems incident outage degraded
  degradation cause causes caused impact impacted affected latency latencies slow slower slowness spike spikes spiked elevated increase
  increased high higher low lower drop dropped p50 p90 p95 p99 percentile rate rates cpu usage traffic load request
  requests response responses user users customer customers service services api apis endpoint endpoints server
  servers app application alert alerts alerting page paged dashboard dashboards graph metric metrics monitoring
  log logs logging deploy deploys deployed deployment deployments release released releases rollout rolled rollback
  change changes changed version update updated upgrade upgraded config configuration since started start
  starting stopped today yesterday tonight morning afternoon evening night hour hours minute minutes second
  seconds day days week weeks time times normal unchanged went came ran seeing shows showing reports reported`
    .split(/\s+/)
    .filter(Boolean),
);
export const GENERIC_WEIGHT = 0.25;

/** What a term counts before rarity: its kind's weight, less for each generic word in it. */
export function termWeight(t: MemoryTerm): number {
  const generic =
    t.kind === 'word' || t.kind === 'pair' ? t.text.split(' ').filter((w) => GENERIC_WORDS.has(w)).length : 0;
  return TERM_WEIGHT[t.kind] * GENERIC_WEIGHT ** generic;
}

/**
 * The power a term's rarity is raised to, (ln(1 + N/df) / ln(1 + N))^RARITY_POWER, where N is
 * the incidents the reader may see and df those holding the term: 1 for a term only one incident
 * holds, near 0 for one most hold (idf, scaled to 1 at its most). Squared, a term half the
 * incidents hold counts a twelfth of a rare one.
 */
export const RARITY_POWER = 2;

/**
 * A term that adds less than this to any incident is not counted: with 1,000 incidents, a word
 * all of them hold adds 0.01, one half of them hold 0.026. Such a term says nothing of which
 * incident is alike (its share of a score is far below RELATED_FLOOR), and leaving it out spares
 * looking for it, with its pairs, in every incident's entries.
 */
export const MIN_TERM_SCORE = 0.02;

/**
 * Pairs of words and error strings must stand in one entry, which only the entries can say: they
 * are checked in the incidents that rank best with them counted (this many), and do not count
 * elsewhere. The answer shows at most 20; the rest rank by what their words say.
 */
export const CHECKED = 20;

/** The entries of each of those incidents read to check them, at most: what bounds the check. */
export const CHECK_ENTRIES = 1000;

/**
 * What a match counts by the kind of entry it is in (the best one in the incident counts): the
 * incident's own title, theories, decisions and rejections most, notes and transcripts least.
 */
export const ENTRY_WEIGHT: Record<EntryKind | 'title', number> = {
  title: 1,
  theory: 1,
  decision: 1,
  rejection: 1,
  reopen: 0.8,
  finding: 0.8,
  gap: 0.7,
  action: 0.7,
  dataset: 0.6,
  transcript: 0.5,
  note: 0.5,
};

/**
 * The score the best past incident must reach for anything to be "seen before". A term counts
 * termWeight times the best entry it is found in (ENTRY_WEIGHT) times its rarity (RARITY_POWER).
 * So an error string shared with a past theory (3, plus its words) passes, as does a service name
 * with a rare word or two; a handful of generic words (latency, deploy, errors: each a sixteenth
 * of a word or less) do not. Chosen on the tuning half of the evaluation set
 * (test/integration/memoryEval.test.ts): anything from 3.0 to 4.0 gave the same answers there;
 * 3.5 is the middle. It decides whether an incident was seen before; RELATED_FLOOR, which
 * others are listed with the best.
 */
export const RELATED_THRESHOLD = 3.5;

/**
 * Once the best passes RELATED_THRESHOLD, the others are listed from this score (after the
 * cause's likeness is added), best first, up to the limit asked. The threshold keeps an incident
 * of a failure never seen quiet; past it, the question is which incidents are the same failure,
 * and the second and third incident of a failure, told by other people with other services,
 * share a few distinctive words with the new one, not an error string: they score 1 to 3 where
 * the first scores 5 to 15, still above every incident of another failure in most cases. One
 * distinctive word shared with a finding (0.8 at most) is not enough.
 */
export const RELATED_FLOOR = 1;

/**
 * How much of the asked terms an entry speaks of (the words of its title, body and rationale):
 * orders the lists of an outcome, so a theory like the one asked about comes first.
 */
export function relevanceTo(
  terms: readonly MemoryTerm[],
): (e: { title?: string; body: string; rationale?: string }) => number {
  return (e) => {
    const text = `${e.title ?? ''} ${e.body} ${e.rationale ?? ''}`.toLowerCase();
    let r = 0;
    for (const t of terms) if (text.includes(t.text.toLowerCase())) r += TERM_WEIGHT[t.kind];
    return r;
  };
}
