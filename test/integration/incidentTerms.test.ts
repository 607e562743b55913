// The incidents' word records (incident_terms, migrations 0022, 0023, 0025, 0026), on PGlite and Postgres:
// kept by the database in the statement that writes or deletes an entry's search document (the
// search indexer's pass after the commit; a purge). Each word of an
// entry is recorded for its incident with the bit of its kind (bit i: ENTRY_KINDS[i], the order
// "seen before" reads the bits in); a deleted entry's words go unless another entry of the
// incident holds them, and a kind goes unless another entry of that kind holds the word. A pass
// looks its words up by key: its cost does not grow with every incident's words.
import { ENTRY_KINDS, type Entry, type EntryKind } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { type Database, rowsOf } from '../../server/src/store/db.js';
import { entries, incidents } from '../../server/src/store/schema.js';
import { SearchIndex } from '../../server/src/store/SearchIndex.js';
import { BACKENDS, testDatabase } from '../support/server.js';
import { entryRow } from '../support/storeRows.js';

/** A transaction of the store's database. */
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

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
    const elsewhere = (from: number, to: number) =>
      `insert into incident_terms (lexeme, incident_id, kinds)
        select 'word' || i, 'elsewhere', 1 from generate_series(${from}, ${to}) i`;
    // A pass's documents, in one statement: a word of their own each, and words they share; the
    // rows it read of incident_terms by scanning the whole table (this transaction's count).
    const pass = async (tx: Tx, tag: string) => {
      const read = async () =>
        Number(
          rowsOf(
            await tx.execute(
              `select seq_tup_read from pg_stat_xact_user_tables where relname = 'incident_terms'`,
            ),
          )[0]?.seq_tup_read ?? 0,
        );
      const before = await read();
      await tx.execute(
        `insert into entry_search (incident_id, id, kind, at, search)
          select 'probed', '${tag}-' || i, 'finding', now(),
            to_tsvector('simple', 'latency pool writer ${tag} number' || i)
          from generate_series(0, 16) i`,
      );
      return (await read()) - before;
    };
    const scanned = await database().db.transaction(async (tx) => {
      // The trigger's plan is made on its first call in a session and kept: made while the
      // planner knew a young table, it must still look up by key once the table has grown.
      await tx.execute(elsewhere(1, 40));
      await tx.execute('analyze incident_terms');
      await pass(tx, 'young');
      await tx.execute(elsewhere(41, 20_000));
      const grown = await pass(tx, 'grown');
      // And planned knowing the corpus's many words.
      await tx.execute('analyze incident_terms');
      return [grown, await pass(tx, 'known')];
    });
    expect(scanned).toEqual([0, 0]);
    expect(Object.keys(await words('probed')).sort()).toEqual(
      [
        'latency',
        'pool',
        'writer',
        'young',
        'grown',
        'known',
        ...Array.from({ length: 17 }, (_, i) => `number${i}`),
      ].sort(),
    );
  });

  it('adds a kind to a word an earlier pass recorded, and keeps the kinds it had', async () => {
    await incident('later');
    const passes: Entry[][] = [
      [makeEntry('note', { body: 'quokka burrow' })],
      [makeEntry('theory', { body: 'quokka' }), makeEntry('note', { body: 'burrow' })],
      [makeEntry('note', { body: 'quokka burrow' })],
    ];
    let seq = 0;
    for (const written of passes) {
      await database()
        .db.insert(entries)
        .values(written.map((e) => entryRow('later', e, ++seq)));
      await database().db.execute(`update incidents set last_seq = ${seq} where id = 'later'`);
      const index = new SearchIndex(database());
      while ((await index.pass(10_000)).more);
    }
    expect(await words('later')).toMatchObject({
      quokka: bit('note') | bit('theory'),
      burrow: bit('note'),
    });
  });
});
