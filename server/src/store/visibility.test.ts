// The rules of who reads what (visibility.ts), and the prepared form of their condition.
import { fillPlaceholders, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { type Reader, readableAs, readableBy, visibilityClass, visibilityOf } from './visibility.js';

const READERS: [Reader, string, string][] = [
  [{ role: 'admin', incidentId: null, isolated: false }, 'all', 'all'],
  [{ role: 'admin', incidentId: 'inc-a', isolated: false }, 'open+own', 'open+inc-a'],
  [{ role: 'admin', incidentId: 'inc-a', isolated: true }, 'own', 'only:inc-a'],
  [{ role: 'admin', incidentId: null, isolated: true }, 'all', 'all'],
  [{ role: 'viewer', incidentId: null, isolated: false }, 'open', 'open'],
  [{ role: 'commander', incidentId: 'inc-b', isolated: false }, 'open+own', 'open+inc-b'],
  [{ role: 'responder', incidentId: 'inc-c', isolated: true }, 'own', 'only:inc-c'],
  [{ role: 'responder', incidentId: null, isolated: true }, 'none', 'none'],
];

describe('visibility', () => {
  it.each(READERS)('reads %j as %s, class %s', (reader, kind, cls) => {
    expect(visibilityOf(reader)).toBe(kind);
    expect(visibilityClass(reader)).toBe(cls);
  });

  it('prepares, per kind of reader, the very condition readableBy gives each reader of it', () => {
    const dialect = new PgDialect();
    for (const [reader] of READERS) {
      const direct = dialect.sqlToQuery(readableBy(reader));
      const prepared = dialect.sqlToQuery(readableAs(visibilityOf(reader), sql.placeholder('own')));
      expect(prepared.sql).toBe(direct.sql);
      expect(fillPlaceholders(prepared.params, { own: reader.incidentId })).toEqual(direct.params);
    }
  });
});
