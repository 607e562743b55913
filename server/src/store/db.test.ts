import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BACKENDS, testDatabase } from '../../../test/support/server.js';
import { literal, reconnectDelay } from './db.js';

describe('reconnectDelay', () => {
  it('tries a lost connection again soon, and never waits more than 2 s between tries', () => {
    const delays = Array.from({ length: 30 }, (_, retries) => reconnectDelay(retries));
    expect(delays[0]).toBeCloseTo(0.03);
    for (const [i, d] of delays.entries()) if (i > 0) expect(d).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(Math.max(...delays)).toBe(2);
    // After an outage of a minute the database is found again within 2 s of its return.
    let waited = 0;
    let retries = 0;
    while (waited < 60) waited += reconnectDelay(retries++);
    expect(waited - 60).toBeLessThanOrEqual(2);
  });
});

describe('literal', () => {
  it('quotes text by doubling quotes, and writes numbers, booleans and null as they are', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('back\\slash')).toBe("'back\\slash'");
    expect(literal(12.5)).toBe('12.5');
    expect(literal(false)).toBe('false');
    expect(literal(null)).toBe('null');
  });

  it('refuses what it cannot write: a NUL, a number that is not finite, an object', () => {
    expect(() => literal('a\0b')).toThrow(TypeError);
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal({})).toThrow(TypeError);
  });
});

for (const backend of BACKENDS) {
  describe(`prepared statements on ${backend}`, () => {
    const database = testDatabase(backend);

    it('reads back every text written as a literal exactly, quotes and backslashes included', async () => {
      for (const text of ["it's", 'back\\slash', "\\'", "\\\\''\\", 'ünïcödé ✓', '']) {
        const [row] = await database().prepared(sql`select ${sql.raw(literal(text))}::text as v`, {});
        expect(row?.v).toBe(text);
      }
    });

    it('answers each of many callers who first use a text at once', async () => {
      const query = sql`select ${sql.placeholder('n')}::int + 1 as sitrep_marker_v`;
      const rows = await Promise.all(Array.from({ length: 8 }, (_, n) => database().prepared(query, { n })));
      expect(rows.map(([row]) => Number(row?.sitrep_marker_v))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // PGlite's one session keeps one copy; postgres.js prepares per connection, by itself.
      if (backend !== 'pglite') return;
      const [count] = await database().prepared(
        sql`select count(*)::int as n from pg_prepared_statements where statement like '%sitrep_marker' || '_v%'`,
        {},
      );
      expect(count?.n).toBe(1);
    });
  });
}
