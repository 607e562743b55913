// The incidents' word records (incident_terms, migrations 0022, 0023, 0025), on PGlite and Postgres:
// kept by the database in the statement that writes or deletes an entry's search document (the
// search indexer's pass after the commit; a purge). Each word of an
// entry is recorded for its incident with the bit of its kind (bit i: ENTRY_KINDS[i], the order
// "seen before" reads the bits in); a deleted entry's words go unless another entry of the
// incident holds them, and a kind goes unless another entry of that kind holds the word. A pass
// looks its words up by key: its cost does not grow with every incident's words.
import { ENTRY_KINDS, type Entry, type EntryKind } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { rowsOf } from '../../server/src/store/db.js';
import { entries, incidents } from '../../server/src/store/schema.js';
import { SearchIndex } from '../../server/src/store/SearchIndex.js';
import { BACKENDS, testDatabase } from '../support/server.js';
import { entryRow } from '../support/storeRows.js';

describe.each(BACKENDS)('incident word records on %s', (backend) => {
  const database = testDatabase(backend);
  const write = async (incidentId: string, written: Entry[]) => {
    await database()
      .db.insert(entries)
      .values(written.map((e, i) => entryRow(incidentId, e, i + 1)));
    // The log position the entries are at, then the indexer's passes.
    await database().db.execute(
      `update incidents set last_seq = ${written.length} where id = '${incidentId}'`,
    );
    const index = new SearchIndex(database());
    while ((await index.pass(10_000)).more);
  };
  const words = async (incidentId: string) =>
    Object.fromEntries(
      rowsOf(
        await database().db.execute(
          `select lexeme, kinds from incident_terms where incident_id = '${incidentId}'`,
        ),
      ).map((r) => [String(r.lexeme), Number(r.kinds)]),
    );
  const bit = (kind: EntryKind) => 1 << ENTRY_KINDS.indexOf(kind);
  const incident = (id: string) =>
    database()
      .db.insert(incidents)
      .values({ id, title: id, severity: 'SEV2', status: 'investigating', kind: 'incident' });

  it('records each word of an entry with the bit of its kind, in ENTRY_KINDS order', async () => {
    await incident('kinds');
    await write(
      'kinds',
      ENTRY_KINDS.map((kind) => makeEntry(kind, { body: `shared only${kind}word` })),
    );
    const got = await words('kinds');
    for (const kind of ENTRY_KINDS) expect(got[`only${kind}word`], kind).toBe(bit(kind));
    expect(got.shared).toBe((1 << ENTRY_KINDS.length) - 1);
  });

  it('keeps words per incident, titles and rationales too, each incident its own', async () => {
    await incident('one');
    await incident('two');
    await write('one', [
      makeEntry('theory', { title: 'payments-db pool', body: 'x', rationale: 'because quokka' }),
    ]);
    await write('two', [makeEntry('note', { body: 'quokka' })]);
    expect(await words('one')).toMatchObject({
      'payments-db': bit('theory'),
      payments: bit('theory'),
      pool: bit('theory'),
      quokka: bit('theory'),
    });
    expect(await words('two')).toEqual({ quokka: bit('note') });
  });

  it('forgets what a deleted entry alone held, and keeps what other entries hold', async () => {
    await incident('purged');
    const leak = makeEntry('theory', { body: 'wombat secret hunter2' });
    const kept = makeEntry('finding', { body: 'wombat seen' });
    const alsoTheory = makeEntry('theory', { body: 'seen thrice' });
    await write('purged', [leak, kept, alsoTheory]);
    expect(await words('purged')).toMatchObject({
      wombat: bit('theory') | bit('finding'),
      hunter2: bit('theory'),
      seen: bit('finding') | bit('theory'),
    });
    // As a purge deletes it.
    await database().db.execute(`delete from entries where incident_id = 'purged' and id = '${leak.id}'`);
    await database().db.execute(
      `delete from entry_search where incident_id = 'purged' and id = '${leak.id}'`,
    );
    expect(await words('purged')).toEqual({
      a: bit('theory'), // the title makeEntry gives a theory: 'a theory'
      theory: bit('theory'),
      wombat: bit('finding'),
      seen: bit('finding') | bit('theory'),
      thrice: bit('theory'),
    });
  });

  it('looks each word of a pass up by its key, however many words the corpus holds', async () => {
    await incident('probed');
    // Another incident's many words, as a corpus holds them (the planner knows how many).
    await database().db.execute(
      `insert into incident_terms (lexeme, incident_id, kinds)
        select 'word' || i, 'elsewhere', 1 from generate_series(1, 20000) i`,
    );
    await database().db.execute('analyze incident_terms');
    const scanned = await database().db.transaction(async (tx) => {
      // This transaction's reads of incident_terms by a scan of the whole table, so far.
      const read = async () =>
        Number(
          rowsOf(
            await tx.execute(
              `select seq_tup_read from pg_stat_xact_user_tables where relname = 'incident_terms'`,
            ),
          )[0]?.seq_tup_read ?? 0,
        );
      const before = await read();
      // A live pass's documents, in one statement: a word of their own each, and words they share.
      await tx.execute(
        `insert into entry_search (incident_id, id, kind, at, search)
          select 'probed', 'entry-' || i, 'finding', now(),
            to_tsvector('simple', 'latency pool writer entry number' || i)
          from generate_series(0, 16) i`,
      );
      return (await read()) - before;
    });
    expect(scanned).toBe(0);
    expect(Object.keys(await words('probed')).sort()).toEqual(
      ['entry', 'latency', 'pool', 'writer', ...Array.from({ length: 17 }, (_, i) => `number${i}`)].sort(),
    );
  });
});
