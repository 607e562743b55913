// How "seen before" finds a past incident's terms in the word records (MemoryIndex.termMatches),
// on PGlite and Postgres: a term of several words is held where the incident holds all of them; a
// pair counts only where one entry holds both words, also when one of them is a common word (held
// by so many incidents that it is not read: the pair is found by its other word, then checked in
// entries); a concept is held where an entry names one of its words (the indexer's concept
// lexeme, never matched by a search); and a word no incident holds
// leaves its terms unmatched.
import type { Entry } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_WEIGHT, MIN_TERM_SCORE, RARITY_POWER } from '../../server/src/memory/ranking.js';
import { type DatabaseHandle, openDatabase } from '../../server/src/store/db.js';
import { MemoryIndex, type TermQuery } from '../../server/src/store/MemoryIndex.js';
import { SearchIndex } from '../../server/src/store/SearchIndex.js';
import { readableBy } from '../../server/src/store/visibility.js';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type TestStorage, testStorage } from '../support/server.js';
import { writeIncident } from '../support/storeRows.js';

/** Incidents that make `common` a common word (every incident holds it). */
const FILLERS = 12;

/**
 * What a term must add at least, here: with 16 incidents, a word all of them hold adds 0.06 (at
 * 1,000, 0.01) and is common (not read) past 0.1.
 */
const MIN_SCORE = 0.1;

describe.each(BACKENDS)('term matches on %s', (backend) => {
  let storage: TestStorage;
  let handle: DatabaseHandle;
  let index: MemoryIndex;
  const incident = (id: string, written: Entry[]) => writeIncident(handle.db, id, written, 'resolved');
  const matches = async (terms: TermQuery[], minTermScore = MIN_TERM_SCORE) =>
    (
      await index.termMatches(terms, {
        self: 'asking',
        readable: readableBy({ role: 'viewer', incidentId: null, isolated: false }),
        drills: false,
        limit: 50,
        checked: 20,
        checkEntries: 1000,
        scoring: { entryWeight: ENTRY_WEIGHT, rarityPower: RARITY_POWER, minTermScore },
      })
    ).map((m) => m.incident.id);
  const finding = (body: string) => makeEntry('finding', { body });

  beforeAll(async () => {
    storage = await testStorage(backend);
    handle = await openDatabase(storage);
    index = new MemoryIndex(handle.db);
    await incident('together', [finding('the quokka cache evicted everything'), finding('common')]);
    await incident('apart', [finding('quokka seen'), finding('a cache'), finding('common')]);
    await incident('common-together', [finding('common wombat in one entry')]);
    await incident('common-apart', [finding('wombat alone'), finding('common elsewhere')]);
    await incident('piled-on', [finding('a cache stampede'), finding('thundering herd of cached reads')]);
    for (let i = 0; i < FILLERS; i++) await incident(`filler-${i}`, [finding(`common filler${i}`)]);
    // The search index and word records, as the indexer keeps them after the commit.
    const search = new SearchIndex(handle);
    while ((await search.pass(10_000)).more);
  });
  afterAll(async () => {
    await handle?.close();
    await storage?.remove();
  });

  it('counts a pair where one entry holds both words, not where two entries hold one each', async () => {
    expect(await matches([{ text: 'quokka cache', match: 'stems', weight: 1 }])).toEqual(['together']);
    // As words (a service name's), both anywhere in the incident will do.
    expect((await matches([{ text: 'quokka cache', match: 'words', weight: 1 }])).sort()).toEqual([
      'apart',
      'together',
    ]);
  });

  it('finds a pair holding a common word by its other word, and checks it in one entry', async () => {
    expect(await matches([{ text: 'common wombat', match: 'stems', weight: 1 }], MIN_SCORE)).toEqual([
      'common-together',
    ]);
    // Alone, a word every incident holds says nothing; a service name's parts are all held.
    expect(await matches([{ text: 'common', match: 'stems', weight: 1 }], MIN_SCORE)).toEqual([]);
    expect((await matches([{ text: 'common wombat', match: 'words', weight: 1 }], MIN_SCORE)).sort()).toEqual(
      ['common-apart', 'common-together'],
    );
  });

  it('matches a concept where an entry names one of its words, counted once', async () => {
    const concept = (name: string) => [{ text: name, match: 'concept' as const, weight: 1 }];
    // `cache` names the concept cache: two incidents; `evicted`, out of memory: one.
    expect((await matches(concept('cache'))).sort()).toEqual(['apart', 'piled-on', 'together']);
    expect(await matches(concept('out of memory'))).toEqual(['together']);
    // Three of its words in one incident count as one: the same score as one word.
    const scores = await index.termMatches(concept('cache'), {
      self: 'asking',
      readable: readableBy({ role: 'viewer', incidentId: null, isolated: false }),
      drills: false,
      limit: 50,
      checked: 20,
      checkEntries: 1000,
      scoring: { entryWeight: ENTRY_WEIGHT, rarityPower: RARITY_POWER, minTermScore: MIN_TERM_SCORE },
    });
    const score = (id: string) => scores.find((m) => m.incident.id === id)?.score;
    expect(score('together')).toBeGreaterThan(0);
    expect(score('together')).toBeCloseTo(score('piled-on') ?? 0, 9);
    // The concept's lexeme is the indexer's: a search for its name's words finds no entry.
    const found = await index.search(
      { q: 'concept cache', limit: 20, drills: true },
      readableBy({ role: 'viewer', incidentId: null, isolated: false }),
      { weights: [0.1, 0.3, 0.7, 1], phraseBonus: 3, candidates: 100 },
    );
    expect(found).toEqual([]);
  });

  it('matches nothing for a term one of whose words no incident holds', async () => {
    expect(await matches([{ text: 'quokka zyzzyva', match: 'words', weight: 1 }])).toEqual([]);
    expect(await matches([{ text: 'wombat zyzzyva', match: 'stems', weight: 1 }])).toEqual([]);
  });
});
