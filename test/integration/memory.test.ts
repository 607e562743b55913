// Incident memory over real HTTP, on PGlite and Postgres: search across incidents (ranked, plain
// queries only, drills marked and filterable, limited to what the token may read, a purge taking
// an entry out at once) and "seen before" (why a past incident matched and what happened there).
import { ApiClient, type Entry, RelatedQuery, SearchQuery, newEntryId } from '@sitrep/shared';
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { IncidentMemory } from '../../server/src/memory/IncidentMemory.js';
import { OUTCOME_KINDS } from '../../server/src/memory/outcome.js';
import { PHRASE_BONUS, SEARCH_CANDIDATES, SEARCH_WEIGHTS } from '../../server/src/memory/ranking.js';
import { readableBy } from '../../server/src/store/visibility.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const META = {
  title: 'Platypus breach',
  severity: 'SEV2',
  status: 'investigating',
  kind: 'incident',
} as const;

describe.each(BACKENDS)('incident memory on %s', (backend) => {
  let t: Fixture;
  const ids: Record<string, string> = {};
  const entry = (kind: Entry['kind'], fields: Partial<Entry>, minutesAgo = 0): Entry =>
    makeEntry(kind, {
      id: newEntryId(Date.now() - minutesAgo * 60_000),
      at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      ...fields,
    });
  const incident = async (
    key: string,
    title: string,
    entries: Entry[],
    kind: 'incident' | 'drill' = 'incident',
  ) => {
    const id = (await t.api.createIncident({ title, kind })).incident.id;
    if (entries.length > 0) await t.api.appendEntries(id, { entries });
    ids[key] = id;
    return id;
  };
  const theory = entry('theory', {
    title: 'Connection pool exhausted on payments-db',
    body: 'Postgres says `FATAL: sorry, too many clients already` for payments-db since the deploy.',
  });
  const rejectedTheory = entry('theory', {
    title: 'The new checkout release leaks connections',
    body: 'The release went out ten minutes before the first errors.',
  });

  beforeAll(async () => {
    t = await startFixture(backend);
    await incident('pool', 'Checkout failing: payments-db out of connections', [
      theory,
      rejectedTheory,
      entry('rejection', {
        body: 'Rolled back the release, errors went on.',
        refs: [rejectedTheory.id],
        rationale: 'rolling back the checkout release changed nothing: the pool stayed full',
      }),
      entry('decision', {
        title: 'Raise max_connections and add pgbouncer',
        body: 'Confirmed: the batch job opened 400 connections.',
        refs: [theory.id],
        tags: ['confirms'],
        rationale: 'the batch job holds idle connections',
      }),
      entry('action', { title: 'Put pgbouncer in front of payments-db', body: 'owner: db team' }),
      entry('gap', { title: 'Why did the batch job start at 09:00?', body: 'nobody knows yet' }),
    ]);
    await incident('cert', 'Webhooks rejected: certificate expired on notif-sender', [
      entry('finding', {
        body: 'notif-sender logs `x509: certificate has expired or is not yet valid` on every call.',
      }),
      entry('theory', {
        title: 'The intermediate certificate rotated',
        body: 'cert-manager renewed it last night',
      }),
    ]);
    await incident('noise', 'Slow dashboards in the afternoon', [
      entry('finding', { body: 'Latency went up after the deploy; errors in the logs.' }),
    ]);
    await incident(
      'drill',
      'Game day: payments-db out of connections',
      [entry('finding', { body: 'Drill: `sorry, too many clients already` injected on payments-db.' })],
      'drill',
    );
    // A private incident: only admins and its own tokens find it. Its error string and service
    // are its own, so that the other tests' "seen before" is the same whether it is there or not.
    ids.secret = `secret-${backend}`;
    await t.server.store.createIncident(ids.secret, { ...META, createdAt: new Date().toISOString() }, [], {
      sanitizerKey: newIncidentKey(),
      private: true,
    });
    await t.api.appendEntries(ids.secret, {
      entries: [
        entry('finding', { body: 'platypus ledger-db breach: `remaining connection slots are reserved`' }),
      ],
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('search', () => {
    it('finds entries across incidents, the exact error string and the service first, with a marked snippet', async () => {
      const { results } = await t.api.search({ q: 'sorry, too many clients already' });
      const incidents = results.map((r) => r.incident.id);
      expect(incidents).toContain(ids.pool);
      expect(incidents).toContain(ids.drill);
      expect(incidents).not.toContain(ids.cert);
      const top = results[0];
      expect(top?.entry.id).toBe(theory.id);
      expect(top?.snippet).toContain('**sorry**');
      expect(top?.incident).toMatchObject({ id: ids.pool, title: expect.any(String), kind: 'incident' });
      const drill = results.find((r) => r.incident.id === ids.drill);
      expect(drill?.incident.kind).toBe('drill');
      expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
    });

    it('ranks a title over a body, and the phrase asked over its words apart', async () => {
      const id = await incident('rank', 'Ranking', [
        entry('note', {
          body: 'a note mentions the queue depth once, the disk and memory pressure elsewhere',
        }),
        entry('finding', { body: 'we saw disk pressure then queue depth grew' }),
        entry('theory', { title: 'Queue depth grows because disk pressure', body: 'see graphs' }),
      ]);
      const { results } = await t.api.search({ q: 'queue depth', incident: id });
      expect(results.map((r) => r.entry.kind)).toEqual(['theory', 'finding', 'note']);
      const phrase = await t.api.search({ q: 'disk pressure', incident: id });
      expect(phrase.results.map((r) => r.entry.kind).slice(0, 2)).toEqual(['theory', 'finding']);
      expect(phrase.results.at(-1)?.entry.kind).toBe('note');
    });

    it('puts the newer of two equal matches first', async () => {
      const id = await incident('ties', 'Ties', [
        entry('finding', { body: 'zebra crossing outage' }, 60),
        entry('finding', { body: 'zebra crossing outage' }, 1),
        entry('finding', { body: 'zebra crossing outage' }, 30),
      ]);
      const { results } = await t.api.search({ q: 'zebra crossing', incident: id });
      const times = results.map((r) => Date.parse(r.entry.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(results).toHaveLength(3);
    });

    it('filters by kind, status, incident and drills', async () => {
      const q = 'payments-db';
      expect((await t.api.search({ q, kind: 'action' })).results.map((r) => r.entry.kind)).toEqual([
        'action',
      ]);
      expect((await t.api.search({ q, drills: false })).results.map((r) => r.incident.id)).not.toContain(
        ids.drill,
      );
      expect(
        new Set((await t.api.search({ q, incident: ids.drill })).results.map((r) => r.incident.id)),
      ).toEqual(new Set([ids.drill]));
      expect((await t.api.search({ q, status: 'resolved' })).results).toEqual([]);
    });

    it('takes any text as a plain query: never a 500; empty or over 1 KiB is a 400', async () => {
      for (const q of [
        `"x509"`,
        `x509 & !expired | (a <-> b)`,
        `expired:*`,
        `'; drop table entries; --`,
        `\\`,
        `&&& ||| !!!`,
        `:*`,
        `payments-db:A`,
        '日本語 のテキスト',
      ]) {
        const res = await fetch(`${t.server.url}/api/search?q=${encodeURIComponent(q)}`, {
          headers: { authorization: `Bearer ${t.token}` },
        });
        expect(res.status, q).toBe(200);
      }
      expect((await t.api.search({ q: `"x509: certificate"` })).results[0]?.incident.id).toBe(ids.cert);
      for (const q of ['', '   ', 'x'.repeat(1025)]) {
        const res = await fetch(`${t.server.url}/api/search?q=${encodeURIComponent(q)}`, {
          headers: { authorization: `Bearer ${t.token}` },
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.invalid');
      }
    });

    it('looks a hyphenated word up as written, finding what plainto_tsquery finds', async () => {
      const id = await incident('hyphen', 'Hyphens', [
        entry('finding', { body: 'the load-balancer dropped half the pool' }),
        entry('finding', { body: 'load moved off the balancer' }),
        entry('finding', { body: "the probe fetched http://x.com/a'b and failed" }),
      ]);
      // The parts of a compound are implied (to_tsvector writes them with it): not looked up. A
      // lexeme's quote is doubled in the tsquery's text.
      expect(await t.server.store.memory.searchWords(`load-balancer X509: it's http://x.com/a'b 'c'`)).toBe(
        `'/a''b' & 'c' & 'it' & 'load-balancer' & 's' & 'x.com' & 'x.com/a''b' & 'x509'`,
      );
      expect(await t.server.store.memory.searchWords('&&& :* !')).toBe('');
      const found = await t.api.search({ q: 'load-balancer', incident: id });
      expect(found.results.map((r) => r.entry.body)).toEqual(['the load-balancer dropped half the pool']);
      expect((await t.api.search({ q: 'load balancer', incident: id })).results).toHaveLength(2);
      const url = await t.api.search({ q: "http://x.com/a'b", incident: id });
      expect(url.results.map((r) => r.entry.body)).toEqual(["the probe fetched http://x.com/a'b and failed"]);
    });

    it('keeps the search document in the row, where search reads it (migrations 0021, 0022)', async () => {
      const db = (t.server.store as unknown as { db: { execute(q: string): Promise<unknown> } }).db;
      const result = await db.execute(
        `select attstorage from pg_attribute where attrelid = 'entry_search'::regclass and attname = 'search'`,
      );
      const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
      expect(rows).toEqual([{ attstorage: 'm' }]);
    });

    it('answers only from incidents the token may read: never a private one to others', async () => {
      const secret = ids.secret ?? '';
      const as = async (incidentId?: string) =>
        new ApiClient(t.server.url, {
          token: (await t.api.createToken({ role: 'viewer', label: 'reader', incidentId })).token,
        });
      const found = async (api: ApiClient) =>
        (await api.search({ q: 'platypus breach' })).results.map((r) => r.incident.id);
      expect(await found(t.api)).toEqual([secret]);
      expect(await found(await as(secret))).toEqual([secret]);
      expect(await found(await as())).toEqual([]);
      const scoped = await as(ids.cert);
      expect(await found(scoped)).toEqual([]);
      // A token limited to one incident reads the others that are not private, as a viewer.
      expect((await scoped.search({ q: 'payments-db' })).results.map((r) => r.incident.id)).toContain(
        ids.pool,
      );
      // An isolated token reads only its own incident (the store's condition, as the route joins it).
      const isolated = { role: 'viewer', incidentId: ids.cert ?? '', isolated: true } as const;
      const memory = new IncidentMemory(t.server.store.memory);
      expect(await memory.search(SearchQuery.parse({ q: 'payments-db' }), isolated)).toEqual([]);
      const own = await memory.search(SearchQuery.parse({ q: 'notif-sender' }), isolated);
      expect(own.map((r) => r.incident.id)).toEqual([ids.cert]);
    });

    it('leaves out an incident with an allowance', async () => {
      const id = await incident('allowed', 'Allowed', [entry('finding', { body: 'quokka telemetry' })]);
      expect((await t.api.search({ q: 'quokka' })).results).toHaveLength(1);
      await t.api.setAllowances(id, ['email']);
      expect((await t.api.search({ q: 'quokka' })).results).toEqual([]);
      await t.api.setAllowances(id, []);
      expect((await t.api.search({ q: 'quokka' })).results).toHaveLength(1);
    });

    it('finds an entry as soon as its append is acknowledged: search waits for the indexer to hold it', async () => {
      const id = await incident('fresh', 'Fresh', []);
      for (let i = 0; i < 5; i++) {
        const word = `numbat${i}x${Date.now().toString(36)}`;
        await t.api.appendEntries(id, { entries: [entry('finding', { body: `seen ${word} just now` })] });
        expect((await t.api.search({ q: word })).results.map((r) => r.incident.id)).toEqual([id]);
      }
    });

    it('forgets a purged entry at once', async () => {
      const leak = entry('finding', { body: 'wombat credentials pasted here' });
      const id = await incident('purged', 'Purged', [leak, entry('finding', { body: 'wombat is fine' })]);
      expect((await t.api.search({ q: 'wombat' })).results).toHaveLength(2);
      await t.api.purgeEntry(id, leak.id, 'leaked');
      const after = await t.api.search({ q: 'wombat' });
      expect(after.results.map((r) => r.entry.id)).not.toContain(leak.id);
      expect(after.results).toHaveLength(1);
    });
  });

  describe('caps', () => {
    it('ranks only the newest matches, and makes an outcome of the newest entries, past their caps', async () => {
      const best = entry('theory', { title: 'axolotl in the title', body: 'axolotl' }, 30);
      const id = await incident('capped', 'Capped', [
        best,
        entry('finding', { body: 'an axolotl seen' }, 20),
        entry('finding', { body: 'an axolotl again' }, 10),
      ]);
      // The store's search, without the route's wait for the index.
      await t.server.searchIndexer.caughtUp();
      const admin = readableBy({ role: 'admin', incidentId: null, isolated: false });
      const ranking = { weights: SEARCH_WEIGHTS, phraseBonus: PHRASE_BONUS };
      const search = (candidates: number) =>
        t.server.store.memory.search(SearchQuery.parse({ q: 'axolotl', incident: id }), admin, {
          ...ranking,
          candidates,
        });
      expect((await search(3))[0]?.entry.id).toBe(best.id);
      expect((await search(2)).map((r) => r.entry.kind)).toEqual(['finding', 'finding']);
      const decisions = [40, 30, 20].map((m) => entry('decision', { title: `decided ${m}`, body: 'x' }, m));
      const decided = await incident('decided', 'Decided', decisions);
      const outcomes = await t.server.store.memory.outcomeEntries([decided, id], OUTCOME_KINDS, 2);
      expect(outcomes.get(decided)?.map((e) => e.id)).toEqual([decisions[1]?.id, decisions[2]?.id]);
      expect(outcomes.get(id)?.map((e) => e.id)).toEqual([best.id]);
    });

    it('ranks at most the newest 1,000 matches of a search, and no older one (issue 25)', async () => {
      // The best match is the oldest, and 1,000 newer ones hold the word in a note: with a cap
      // above 1,000 (2,000 before issue 25, which read every match of two common words) it is found.
      const best = entry('theory', { title: 'kakapo in the title', body: 'kakapo' }, 60);
      const notes = Array.from({ length: 1000 }, (_, i) =>
        entry('note', { body: `a kakapo note ${i}` }, 50 - i / 100),
      );
      const id = await incident('candidates', 'Candidates', [best]);
      for (let i = 0; i < notes.length; i += 500) {
        await t.api.appendEntries(id, { entries: notes.slice(i, i + 500) });
      }
      const { results } = await t.api.search({ q: 'kakapo', incident: id, limit: 50 });
      expect(results).toHaveLength(50);
      expect(results.map((r) => r.entry.id)).not.toContain(best.id);
      // One match fewer and the best is among the newest SEARCH_CANDIDATES: it comes first.
      expect(SEARCH_CANDIDATES).toBe(notes.length);
      await t.api.purgeEntry(id, notes[0]?.id ?? '', 'test');
      const after = await t.api.search({ q: 'kakapo', incident: id });
      expect(after.results[0]?.entry.id).toBe(best.id);
    });
  });

  describe('related', () => {
    it('finds the past incident with the same error string and service, says why, and what happened there', async () => {
      const id = await incident('new-pool', 'Refunds erroring', [
        entry('finding', { body: 'refund-api gets `sorry, too many clients already` from payments-db' }),
      ]);
      const { related } = await t.api.related(id);
      expect(related[0]?.incident.id).toBe(ids.pool);
      expect(related.map((r) => r.incident.id)).not.toContain(ids.drill);
      const [r] = related;
      expect(r?.why.errors).toContain('sorry too many clients already');
      expect(r?.why.services).toContain('payments-db');
      expect(r?.outcome.confirmed.map((e) => e.id)).toEqual([theory.id]);
      expect(r?.outcome.rejected).toEqual([
        {
          theory: rejectedTheory,
          rationale: 'rolling back the checkout release changed nothing: the pool stayed full',
        },
      ]);
      expect(r?.outcome.decisions.map((e) => e.title)).toEqual(['Raise max_connections and add pgbouncer']);
      expect(r?.outcome.openActions.map((e) => e.kind).sort()).toEqual(['action', 'gap']);
      expect(r?.score).toBeGreaterThan(0);
      // The drill shares as much, and is left out unless asked for.
      const withDrills = await t.api.related(id, { drills: true });
      expect(withDrills.related.map((x) => x.incident.id)).toContain(ids.drill);
    });

    it('answers for one entry: a theory fate elsewhere', async () => {
      const asked = entry('theory', {
        title: 'Checkout release leaks connections again?',
        body: 'the checkout release went out before the errors',
      });
      const id = await incident('ask', 'Card payments slow', [asked]);
      const { related } = await t.api.related(id, { entry: asked.id });
      expect(related[0]?.incident.id).toBe(ids.pool);
      expect(related[0]?.outcome.rejected[0]?.theory.id).toBe(rejectedTheory.id);
      await expect(t.api.related(id, { entry: newEntryId() })).rejects.toMatchObject({
        code: 'entry.not_found',
      });
    });

    it('shows nothing above the threshold for an unrelated incident', async () => {
      const id = await incident('unrelated', 'Search results stale', [
        entry('finding', {
          body: 'The search indexer lags by an hour; latency and errors are normal after the deploy.',
        }),
      ]);
      expect((await t.api.related(id)).related).toEqual([]);
    });

    it('answers only from incidents the token may read', async () => {
      const open = await incident('ledger-open', 'Ledger slots exhausted', [
        entry('theory', {
          title: 'ledger-db out of slots',
          body: '`remaining connection slots are reserved`',
        }),
      ]);
      const probe = await incident('probe', 'Platypus refunds', [
        entry('finding', { body: 'platypus: `remaining connection slots are reserved` from ledger-db' }),
      ]);
      const relatedTo = async (api: ApiClient) =>
        (await api.related(probe)).related.map((r) => r.incident.id);
      expect(await relatedTo(t.api)).toContain(ids.secret);
      const { token } = await t.api.createToken({ role: 'viewer', label: 'scoped', incidentId: probe });
      const scoped = new ApiClient(t.server.url, { token });
      expect(await relatedTo(scoped)).not.toContain(ids.secret);
      expect(await relatedTo(scoped)).toContain(open);
      await expect(scoped.related(ids.secret ?? '')).rejects.toMatchObject({ code: 'incident.not_found' });
      const memory = new IncidentMemory(t.server.store.memory);
      const isolated = { role: 'viewer', incidentId: probe, isolated: true } as const;
      expect(await memory.related(probe, RelatedQuery.parse({}), isolated)).toEqual([]);
    });

    it('leaves out an incident with an allowance', async () => {
      const past = await incident('allowing-past', 'Uploads failing: blob-store disk full', [
        entry('theory', { title: 'blob-store ran out of disk', body: '`ENOSPC: no space left on device`' }),
      ]);
      const id = await incident('allowing', 'Thumbnails failing', [
        entry('finding', { body: 'blob-store answers `ENOSPC: no space left on device`' }),
      ]);
      expect((await t.api.related(id)).related.map((r) => r.incident.id)).toContain(past);
      await t.api.setAllowances(past, ['email']);
      expect((await t.api.related(id)).related.map((r) => r.incident.id)).not.toContain(past);
      await t.api.setAllowances(past, []);
      expect((await t.api.related(id)).related.map((r) => r.incident.id)).toContain(past);
    });
  });
});
