// What "seen before" looks for: the error strings, service names, identifiers and distinctive words of a
// text (an incident's title and entries, or one entry). Pure: the store turns each term into a
// text-search query with Postgres's own parser (`plainto_tsquery` / `phraseto_tsquery` under the
// 'simple' configuration), so this module never writes tsquery syntax.
import { STOP_WORDS, stem } from '@sitrep/shared';
import { MAX_CONCEPTS, conceptsOf } from './concepts.js';

/**
 * A term to look for elsewhere: an error string (matched as a phrase), a service name or an
 * identifier (its words), a word, a pair of words written next to each other (both in one entry,
 * in any order), or a concept the text names (any one of its words: concepts.ts).
 */
export interface MemoryTerm {
  /** As written where it was first found (what "why" shows); a concept's name. */
  text: string;
  kind: 'error' | 'service' | 'identifier' | 'pair' | 'word' | 'concept';
  /**
   * What the store looks for: the text, for a word or a pair the stems (matched as prefixes), for
   * a concept its name (the store looks for its lexeme: concepts.ts conceptLexeme).
   */
  query: string;
}

/** A piece of source text and how much its words count (a title more than a note). */
export interface SourceText {
  text: string;
  weight: number;
}

/** At most this many of each kind of term per query: each is one index lookup. */
export const MAX_TERMS = {
  error: 8,
  service: 8,
  identifier: 8,
  pair: 32,
  word: 32,
  concept: MAX_CONCEPTS,
} as const;

/**
 * Hyphenated words of ordinary prose, not service names, that `prose` does not tell by their parts
 * (`on-call`, `read-only` and `high-level` it does).
 */
const PROSE_COMPOUNDS = new Set(
  `follow-up follow-ups roll-back re-run re-deploy re-try long-running short-lived well-known real-time
  one-off opt-out set-up start-up clean-up post-mortem pre-mortem root-cause non-zero so-called e-mail
  self-hosted multi-region cross-region x-ray`
    .split(/\s+/)
    .filter(Boolean),
);

/** Labels that introduce an error message (`FATAL: sorry, too many clients already`). */
const SEVERITY_LABELS = new Set([
  'error',
  'err',
  'fatal',
  'panic',
  'exception',
  'critical',
  'crit',
  'failed',
  'failure',
]);

/**
 * A label that is part of the error itself (`x509: certificate has expired`): a word with digits,
 * a dotted name (`java.lang.OutOfMemoryError`), or a SHOUTED code.
 */
const CODE_LABEL = /^(?:[a-z]+\d[\w]*|[a-z]\w*(?:\.\w+)+|[A-Z][A-Z0-9_]{2,})$/;

/** A word that is an error by itself: `ECONNRESET`, `OOMKilled`, `CrashLoopBackOff`, `OutOfMemoryError`. */
const ERROR_WORD =
  /^(?:E[A-Z]{4,}|[A-Z][A-Za-z]*(?:Error|Exception|Killed|BackOff|Backoff|Timeout|Refused|Exceeded|Failure)|OOM\w*)$/;

/** Words of a phrase the way Postgres's parser splits them (near enough for choosing phrases). */
const phraseWords = (s: string): string[] =>
  s.toLowerCase().match(/[\p{L}\p{N}_]+(?:[-.][\p{L}\p{N}_]+)*/gu) ?? [];

/**
 * A label and the message after it, up to a sentence's end (a lookahead, so the message of
 * `logs: x509: certificate has expired` is looked for after each label).
 */
const MESSAGE_AFTER_LABEL = /([A-Za-z][\w.]*):[ \t]+(?=([A-Za-z][\w' ,-]*))/g;

/** Text in backticks or double quotes: how people quote what a program said. */
const QUOTED = /`([^`\n]{3,120})`|"([^"\n]{3,120})"|“([^”\n]{3,120})”/g;

/** Error strings in `text`: quoted phrases, messages after a label, and error words. */
export function errorStrings(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(QUOTED)) {
    const quoted = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    const words = phraseWords(quoted);
    if (words.length >= 2 && words.length <= 12) found.push(words.join(' '));
    else if (words.length === 1 && ERROR_WORD.test(quoted)) found.push(quoted);
  }
  for (const m of text.matchAll(MESSAGE_AFTER_LABEL)) {
    const label = m[1] ?? '';
    const message = phraseWords(m[2] ?? '');
    if (SEVERITY_LABELS.has(label.toLowerCase()) && message.length >= 2)
      found.push(message.slice(0, 4).join(' '));
    else if (CODE_LABEL.test(label) && message.length >= 2)
      found.push([label.toLowerCase(), ...message.slice(0, 3)].join(' '));
  }
  for (const w of text.match(/\b[A-Za-z][A-Za-z0-9]+\b/g) ?? []) if (ERROR_WORD.test(w)) found.push(w);
  return [...new Set(found)];
}

/**
 * Words that make a dashed word prose: a function word inside it (`stop-the-world`,
 * `out-of-memory`), or an adjective's ending last (`cluster-wide`, `node-local`, `cpu-bound`).
 */
const PROSE_PARTS = new Set('the of to a an and or in on at by for per with from as vs'.split(' '));
const PROSE_ENDINGS = new Set(
  'wide local level based side like free safe aware bound only specific related driven facing'.split(' '),
);

/**
 * Names in `text`: lower-case words joined by dashes (`payments-db`, `notif-sender`), as services,
 * queues and hosts are named (a DNS label has no underscore), and joined by underscores
 * (`max_connections`, `pg_stat_activity`, `invalid_api_key`), as settings, tables, metrics and
 * error codes are: identifiers, not services.
 */
function names(text: string): { services: string[]; identifiers: string[] } {
  const services = new Set<string>();
  const identifiers = new Set<string>();
  for (const m of text.matchAll(/(?<![\w.-])([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)(?![\w-])/g)) {
    const name = m[1] ?? '';
    if (name.length < 5) continue;
    if (name.includes('_')) identifiers.add(name);
    else if (!prose(name)) services.add(name);
  }
  return { services: [...services], identifiers: [...identifiers] };
}

function prose(name: string): boolean {
  const parts = name.split('-');
  return (
    PROSE_COMPOUNDS.has(name) ||
    /^[a-z]+-\d+$/.test(name) ||
    parts.some((p) => PROSE_PARTS.has(p)) ||
    PROSE_ENDINGS.has(parts.at(-1) ?? '')
  );
}

/** A word worth looking for: not a function word, not a number, at least three characters. */
const isContentWord = (w: string): boolean =>
  w.length >= 3 && w.length <= 40 && !STOP_WORDS.has(w) && !/^\d+(?:[.,]\d+)*$/.test(w);

/** The content words of a text, sentence by sentence, lower case, without edge apostrophes. */
function sentencesOf(text: string): string[][] {
  return text
    .toLowerCase()
    .split(/[.;:!?()\n]+(?:\s|$)|\n/)
    .map((sentence) =>
      (sentence.match(/[\p{L}\p{N}_']+/gu) ?? []).map((w) => w.replace(/^'+|'+$/g, '')).filter(isContentWord),
    );
}

/** A word's stem, without the apostrophe of a possessive ("dc1's": "dc1"): what words are matched by. */
const stemOf = (word: string): string => stem(word.replace(/'s?$/, '').replace(/'/g, ''));

/**
 * The terms to look for, from texts weighted by where they stand: every error string, service
 * name and identifier (up to MAX_TERMS), then the words and the pairs of neighbouring words that weigh most
 * (weight times occurrences), ties by first appearance, then the concepts the texts name most. Words are compared by their stems
 * ("expired", "expires"); a word that is part of a service name is matched with it, not alone.
 */
export function memoryTerms(sources: readonly SourceText[]): MemoryTerm[] {
  const errors = new Map<string, number>();
  const services = new Map<string, number>();
  const identifiers = new Map<string, number>();
  const words = new Map<string, { text: string; weight: number }>();
  const pairs = new Map<string, { text: string; weight: number }>();
  const add = (into: Map<string, number>, key: string, w: number) => into.set(key, (into.get(key) ?? 0) + w);
  // The text shown is made once, where a key is first met: a pair's is made only then.
  const addShown = (into: typeof words, key: string, text: () => string, weight: number) => {
    const had = into.get(key);
    if (had) had.weight += weight;
    else into.set(key, { text: text(), weight });
  };
  // Each distinct word stemmed once (a source of 200 entries says about 9,000 words).
  const stems = new Map<string, string>();
  const stemmed = (word: string): string => {
    let s = stems.get(word);
    if (s === undefined) stems.set(word, (s = stemOf(word)));
    return s;
  };
  const sentences: { words: string[]; weight: number }[] = [];
  for (const { text, weight } of sources) {
    for (const e of errorStrings(text)) add(errors, e, weight);
    const named = names(text);
    for (const s of named.services) add(services, s, weight);
    for (const s of named.identifiers) add(identifiers, s, weight);
    for (const words of sentencesOf(text)) sentences.push({ words, weight });
  }
  // A name's parts are matched with it; as words they would count twice. (A word keeps its
  // underscores, so an identifier is also matched as a word: what the evaluation sets measured.)
  const inNames = new Set([...services.keys(), ...identifiers.keys()].flatMap((s) => s.split(/[-_]/)));
  for (const { words: said, weight } of sentences) {
    const kept = said.filter((w) => !inNames.has(w));
    for (const [i, word] of kept.entries()) {
      const stem = stemmed(word);
      addShown(words, stem, () => word, weight);
      const next = kept[i + 1];
      if (next === undefined) continue;
      const nextStem = stemmed(next);
      if (nextStem === stem) continue;
      const key = stem < nextStem ? `${stem} ${nextStem}` : `${nextStem} ${stem}`;
      addShown(pairs, key, () => `${word} ${next}`, weight);
    }
  }
  const heaviest = <T>(m: Map<string, T>, weight: (v: T) => number, n: number) =>
    [...m.entries()].sort((a, b) => weight(b[1]) - weight(a[1])).slice(0, n);
  return [
    ...heaviest(errors, (w) => w, MAX_TERMS.error).map(([text]) => ({
      text,
      kind: 'error' as const,
      query: text,
    })),
    ...heaviest(services, (w) => w, MAX_TERMS.service).map(([text]) => ({
      text,
      kind: 'service' as const,
      query: text,
    })),
    ...heaviest(identifiers, (w) => w, MAX_TERMS.identifier).map(([text]) => ({
      text,
      kind: 'identifier' as const,
      query: text,
    })),
    ...heaviest(pairs, (v) => v.weight, MAX_TERMS.pair).map(([query, v]) => ({
      text: v.text,
      kind: 'pair' as const,
      query,
    })),
    ...heaviest(words, (v) => v.weight, MAX_TERMS.word).map(([query, v]) => ({
      text: v.text,
      kind: 'word' as const,
      query,
    })),
    ...conceptsOf(sources).map((c) => ({ text: c.name, kind: 'concept' as const, query: c.name })),
  ];
}
