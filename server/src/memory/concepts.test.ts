import { describe, expect, it } from 'vitest';
import { CONCEPTS, CONCEPT_WORDS, MAX_CONCEPTS, conceptsOf } from './concepts.js';
import { GENERIC_WORDS } from './ranking.js';
import { memoryTerms } from './terms.js';

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

  it('gives memoryTerms a concept term per concept, its words as the query', () => {
    const terms = memoryTerms([{ text: 'resolver returns SERVFAIL', weight: 1 }]);
    const dns = CONCEPTS.find((c) => c.name === 'dns');
    expect(terms.filter((t) => t.kind === 'concept')).toEqual([
      { text: 'dns', kind: 'concept', query: dns?.words.join(' ') },
    ]);
  });
});
