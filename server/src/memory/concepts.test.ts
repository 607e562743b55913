import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONCEPTS, CONCEPT_LEXEMES, CONCEPT_WORDS, MAX_CONCEPTS, conceptsOf } from './concepts.js';
import { GENERIC_WORDS } from './ranking.js';
import { memoryTerms } from './terms.js';

/** The fingerprint of CONCEPT_LEXEMES when migrations/0024_concept_lexemes.sql indexed every entry. */
const LEXICON_INDEXED = '4f5850f0911ff872ff54086b42b8549f3c5b4e60675ded842b8d64c2ea288c31';

describe('concepts', () => {
  it('holds bounded lists of whole lower-case words, none generic, under distinct names', () => {
    expect(new Set(CONCEPTS.map((c) => c.name)).size).toBe(CONCEPTS.length);
    for (const c of CONCEPTS) {
      expect(c.words.length, c.name).toBeLessThanOrEqual(CONCEPT_WORDS);
      expect(new Set(c.words).size, c.name).toBe(c.words.length);
      for (const w of c.words) {
        // As Postgres's simple parser writes a lexeme: no dash, dot or underscore (it splits there).
        expect(w, c.name).toMatch(/^[a-z0-9]+$/);
        expect(GENERIC_WORDS.has(w), `${c.name}: ${w}`).toBe(false);
      }
    }
  });

  it('finds the concepts a text names, most present first, at most MAX_CONCEPTS', () => {
    expect(
      conceptsOf([{ text: 'CoreDNS pods throttled; NXDOMAIN for half the lookups', weight: 1 }])[0]?.name,
    ).toBe('dns');
    expect(
      conceptsOf([
        { text: 'the x509 certificate expired', weight: 1 },
        { text: 'BGP session flapping: split-brain in the cluster', weight: 3 },
      ]).map((c) => c.name),
    ).toEqual(['network partition', 'certificates']);
    const all = CONCEPTS.map((c) => ({ text: c.words.join(' '), weight: 1 }));
    expect(conceptsOf(all)).toHaveLength(MAX_CONCEPTS);
    expect(conceptsOf([{ text: 'checkout latency went up after the deploy', weight: 3 }])).toEqual([]);
  });

  it('gives memoryTerms a concept term per concept, its name as the query', () => {
    const terms = memoryTerms([{ text: 'resolver returns SERVFAIL', weight: 1 }]);
    expect(terms.filter((t) => t.kind === 'concept')).toEqual([
      { text: 'dns', kind: 'concept', query: 'dns' },
    ]);
  });

  it('is the lexicon the search documents were last indexed with (a change needs a migration)', () => {
    // The indexer writes each document's concept lexemes once (SearchIndex.ts): documents indexed
    // before a change keep the old lexicon. Changing CONCEPTS needs a migration that indexes the
    // entries again (as migrations/0024_concept_lexemes.sql does), then this fingerprint anew.
    const fingerprint = createHash('sha256').update(JSON.stringify(CONCEPT_LEXEMES)).digest('hex');
    expect(fingerprint).toBe(LEXICON_INDEXED);
  });
});
