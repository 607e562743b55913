// The search index kept after the commit (SearchIndexer, store/SearchIndex.ts), over real HTTP
// on PGlite and Postgres: what is appended is found by search once the indexer has caught up,
// every entry exactly once, and the lag gauge is back to 0; what a stopped node committed and
// did not index is indexed by the next start, from where the last pass ended; meanwhile search
// lags but the entry list's `?q=` stays exact; a purge deletes the entry's row in the index.
import { type EntryDraft, SearchQuery } from '@sitrep/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/src/store/db.js';
import { readableBy } from '../../server/src/store/visibility.js';
import { PHRASE_BONUS, SEARCH_WEIGHTS } from '../../server/src/memory/ranking.js';
import { PASS_ENTRIES } from '../../server/src/memory/SearchIndexer.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';
import type { RunningServer } from '../../server/src/main.js';

const author = { id: 'indexer-test', name: 'Indexer test', kind: 'harness' } as const;

/** `n` findings, each with a word of its own (`tag` + its number from `from`) and one they share (`tag`). */
const drafts = (tag: string, n: number, from = 0): EntryDraft[] =>
  Array.from({ length: n }, (_, j) => from + j).map((i) => ({
    kind: 'finding',
    body: `${tag} ${tag}x${i} in checkout-api`,
    author,
  }));

async function indexedCount(server: RunningServer, incidentId: string): Promise<number> {
  // The store's own handle (PGlite has one session), read as one would with psql.
  const db = (server.store as unknown as { db: { execute(q: string): Promise<unknown> } }).db;
  const n = async (table: string) =>
    Number(
      rowsOf(
        await db.execute(`select count(*)::int as n from ${table} where incident_id = '${incidentId}'`),
      )[0]?.n,
    );
  expect(await n('entries')).toBeGreaterThan(0);
  return n('entry_search');
}

/** The store's search, without the route's wait for the index: what the index holds now. */
const searchNow = (server: RunningServer, q: string, incident: string) =>
  server.store.memory.search(
    SearchQuery.parse({ q, incident, limit: 50 }),
    readableBy({ role: 'admin', incidentId: null, isolated: false }),
    { weights: SEARCH_WEIGHTS, phraseBonus: PHRASE_BONUS, candidates: 5_000 },
  );

const lagGauge = async (server: RunningServer) =>
  Number(/^sitrep_search_index_lag_seconds (\S+)$/m.exec(await server.metrics.text())?.[1]);

describe.each(BACKENDS)('search index on %s', (backend) => {
  /** More than one pass takes: the index is caught up over several passes. */
  const ENTRIES = PASS_ENTRIES[backend] + 300;
  let t: Fixture;
  afterEach(async () => t?.close());

  it('finds every appended entry once the indexer has caught up, and the lag gauge is 0 again', async () => {
    t = await startFixture(backend);
    const id = (await t.api.createIncident({ title: 'Indexed' })).incident.id;
    for (let n = 0; n < ENTRIES; n += 500)
      await t.api.appendEntries(id, { entries: drafts('wallaby', Math.min(500, ENTRIES - n), n) });
    await t.server.searchIndexer.caughtUp();
    expect(await indexedCount(t.server, id)).toBe(ENTRIES);
    for (const i of [0, PASS_ENTRIES[backend] - 1, PASS_ENTRIES[backend], ENTRIES - 1]) {
      const found = await searchNow(t.server, `wallabyx${i}`, id);
      expect(found.map((r) => r.entry.body)).toEqual([`wallaby wallabyx${i} in checkout-api`]);
    }
    // Read as it resolves: the server's own commits (its views) may wake the indexer again later.
    await t.server.searchIndexer.caughtUp();
    expect(t.server.searchIndexer.lagSeconds()).toBe(0);
    expect(await lagGauge(t.server)).toBeLessThan(1);
    const indexed = /^sitrep_search_indexed_entries_total (\S+)$/m.exec(await t.server.metrics.text());
    expect(Number(indexed?.[1])).toBeGreaterThanOrEqual(ENTRIES);
    // Through the route, which waits for the index: the writer finds its own write at once.
    const [last] = (await t.api.appendEntries(id, { entries: drafts('numbat', 1) })).entries;
    expect((await t.api.search({ q: 'numbatx0' })).results.map((r) => r.entry.id)).toEqual([last?.id]);
    // A purge takes its words out of the index itself, not only out of what search shows.
    expect(await indexedCount(t.server, id)).toBe(ENTRIES + 1);
    await t.api.purgeEntry(id, last?.id ?? '', 'leaked');
    expect(await indexedCount(t.server, id)).toBe(ENTRIES);
    expect((await t.api.search({ q: 'numbatx0' })).results).toEqual([]);
  });

  it('indexes what a stopped node committed from where its last pass ended, and lists it exactly meanwhile', async () => {
    t = await startFixture(backend);
    const id = (await t.api.createIncident({ title: 'Resumed' })).incident.id;
    await t.api.appendEntries(id, { entries: drafts('quoll', 300) });
    await t.server.searchIndexer.caughtUp();
    expect(await indexedCount(t.server, id)).toBe(300);
    // The node stops indexing (as if it died after these commits, before its next pass).
    await t.server.searchIndexer.close();
    for (let n = 0; n < ENTRIES; n += 500)
      await t.api.appendEntries(id, { entries: drafts('dunnart', Math.min(500, ENTRIES - n), n) });
    // Search lags (it never shows what is not indexed yet) ...
    expect(await indexedCount(t.server, id)).toBe(300);
    expect(await searchNow(t.server, 'dunnartx7', id)).toEqual([]);
    // ... while the entry list stays exact.
    const listed = await t.api.listEntries(id, { q: 'dunnartx7' });
    expect(listed.entries.map((e) => e.body)).toEqual(['dunnart dunnartx7 in checkout-api']);
    expect((await t.api.listEntries(id, { q: 'quollx7' })).entries).toHaveLength(1);
    await t.restart();
    await t.server.searchIndexer.caughtUp();
    expect(await indexedCount(t.server, id)).toBe(300 + ENTRIES);
    expect((await searchNow(t.server, `dunnartx${ENTRIES - 1}`, id)).map((r) => r.entry.body)).toEqual([
      `dunnart dunnartx${ENTRIES - 1} in checkout-api`,
    ]);
    await t.server.searchIndexer.caughtUp();
    expect(t.server.searchIndexer.lagSeconds()).toBe(0);
  });
});
