import { describe, expect, it } from 'vitest';
import { RelatedQuery, SearchQuery } from './memory.js';

describe('SearchQuery', () => {
  it('takes any text as a plain query, defaulting the rest', () => {
    const q = SearchQuery.parse({ q: `  "x509" & !expired:* ' OR 1=1; --  ` });
    expect(q).toEqual({ q: `"x509" & !expired:* ' OR 1=1; --`, drills: true, limit: 20 });
  });

  it('refuses an empty query and one over 1 KiB (counted in UTF-8 bytes)', () => {
    expect(SearchQuery.safeParse({ q: '   ' }).success).toBe(false);
    expect(SearchQuery.safeParse({ q: 'é'.repeat(512) }).success).toBe(true);
    expect(SearchQuery.safeParse({ q: 'é'.repeat(513) }).success).toBe(false);
  });

  it('refuses unknown parameters and reads drills=false', () => {
    expect(SearchQuery.safeParse({ q: 'a', sort: 'x' }).success).toBe(false);
    expect(SearchQuery.parse({ q: 'a', drills: 'false' }).drills).toBe(false);
  });
});

describe('RelatedQuery', () => {
  it('leaves drills out unless asked for', () => {
    expect(RelatedQuery.parse({})).toEqual({ limit: 5, drills: false });
    expect(RelatedQuery.parse({ drills: 'true' }).drills).toBe(true);
  });
});
