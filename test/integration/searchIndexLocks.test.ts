// The search index pass's locks (store/SearchIndex.ts), on Postgres, where nodes and purges run
// beside it: one node indexes at a time (another's pass finds the index busy and does nothing,
// taking no incident's row, so it waits for no purge), and a purge that holds an incident's row
// when a pass starts is waited for, so the entry it deleted is never indexed.
import type { Entry } from '@sitrep/shared';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../server/src/store/db.js';
import { SearchIndex } from '../../server/src/store/SearchIndex.js';
import { makeEntry } from '../support/clients.js';
import { type TestStorage, testStorage } from '../support/server.js';
import { writeIncident } from '../support/storeRows.js';

describe('search index pass beside other nodes and purges on postgres', () => {
  let storage: TestStorage;
  let handle: DatabaseHandle;
  /** Other sessions on the same database: another node, or a purge. */
  let other: postgres.Sql;
  let third: postgres.Sql;
  /** A session of its own for reading what was indexed. */
  let reader: postgres.Sql;
  let index: SearchIndex;

  /** An incident whose log holds `bodies`, one entry each, none indexed. */
  const incident = async (id: string, bodies: string[]): Promise<Entry[]> => {
    const written = bodies.map((body) => makeEntry('finding', { body }));
    await writeIncident(handle.db, id, written);
    return written;
  };
  const indexed = async (id: string) =>
    (await reader<{ id: string }[]>`select id from entry_search where incident_id = ${id} order by id`).map(
      (r) => r.id,
    );

  beforeAll(async () => {
    storage = await testStorage('postgres');
    handle = await openDatabase(storage);
    other = postgres(storage.databaseUrl ?? '', { max: 1, onnotice: () => {} });
    third = postgres(storage.databaseUrl ?? '', { max: 1, onnotice: () => {} });
    reader = postgres(storage.databaseUrl ?? '', { max: 1, onnotice: () => {} });
    index = new SearchIndex(handle);
  });
  afterAll(async () => {
    await other?.end();
    await third?.end();
    await reader?.end();
    await handle?.close();
    await storage?.remove();
  });

  it("does nothing while another node's pass holds the index, and indexes once it is let go", async () => {
    const written = await incident('held', ['kept for the other node']);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = () => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    const otherNode = other.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('sitrep.search_index'))`;
      held();
      await released;
    });
    await holding;
    expect(await index.pass(100)).toEqual({ busy: true, indexed: 0, more: true });
    expect(await indexed('held')).toEqual([]);
    release();
    await otherNode;
    expect(await index.pass(100)).toEqual({ busy: false, indexed: 1, more: false });
    expect(await indexed('held')).toEqual(written.map((e) => e.id));
  });

  it('finds the index busy at once while another node holds it, waiting for no purge', async () => {
    await incident('busy', ['behind, and held by a purge']);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let holding = () => {};
    const bothHold = new Promise<void>((resolve) => (holding = resolve));
    const hold = (session: postgres.Sql, lock: (tx: postgres.TransactionSql) => Promise<unknown>) =>
      session.begin(async (tx) => {
        await lock(tx);
        if (++started === 2) holding();
        await released;
      });
    const otherNode = hold(other, (tx) => tx`select pg_advisory_xact_lock(hashtext('sitrep.search_index'))`);
    const purge = hold(third, (tx) => tx`select last_seq from incidents where id = 'busy' for update`);
    await bothHold;
    // A pass that took the incidents behind FOR KEY SHARE before it knew the index was busy would
    // wait here for the purge to end.
    const pass = index.pass(100);
    const busy = await Promise.race([
      pass,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 1_000)),
    ]);
    release();
    await Promise.all([otherNode, purge, pass]);
    expect(busy).toEqual({ busy: true, indexed: 0, more: true });
  });

  it('waits for a purge holding the incident, and never indexes the entry it deleted', async () => {
    const [kept, purged] = await incident('purging', ['stays searchable', 'leaked a secret']);
    if (!kept || !purged) throw new Error('two entries were written');
    let commit = () => {};
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let deleted = () => {};
    const deleting = new Promise<void>((resolve) => (deleted = resolve));
    // As Store.purgeEntry does: the incident's row FOR UPDATE, the entry and its search row deleted.
    const purge = other.begin(async (tx) => {
      await tx`select last_seq from incidents where id = 'purging' for update`;
      await tx`delete from entries where incident_id = 'purging' and id = ${purged.id}`;
      await tx`delete from entry_search where incident_id = 'purging' and id = ${purged.id}`;
      await tx`update incidents set last_seq = last_seq + 1, purged_seq = last_seq + 1 where id = 'purging'`;
      deleted();
      await committing;
    });
    await deleting;
    const pass = index.pass(100);
    // The pass must still be waiting for the purge: one that went ahead read the entry the purge
    // had not yet committed the deletion of.
    const ahead = await Promise.race([
      pass.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    commit();
    await purge;
    await pass;
    expect(ahead).toBe(false);
    expect(await indexed('purging')).toEqual([kept.id]);
  });
});
