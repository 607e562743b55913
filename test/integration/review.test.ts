// Blame flags end to end, on PGlite and Postgres: entries written over HTTP and over a stock
// websocket provider are flagged in the projection and in the rules view (never rewritten), the
// entry list filters and shows them, and entries stored before flags existed get theirs when the
// server starts. A sample of the blame corpus (its held-out half) goes through the projection.
import { ApiClient, type Entry, reviewFlags } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/store/db.js';
import { BLAMING, NEUTRAL } from '../corpus/sanitizer/blame.js';
import { runCli } from '../support/cli.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, startTestServer, waitFor } from '../support/server.js';

/** Every fifth sentence of the held-out (odd) half of each list: 10 blaming, 10 neutral. */
const sample = (list: readonly string[]) => list.filter((_, i) => i % 2 === 1 && i % 5 === 1);

describe.each(BACKENDS)('blame flags on %s', (backend) => {
  let f: Fixture;

  beforeAll(async () => {
    f = await startFixture(backend);
  });
  afterAll(async () => {
    await f.close();
  });

  /** The ids the entry list returns when asked for flagged entries only. */
  const flaggedIds = async (id: string) =>
    (await f.api.listEntries(id, { flagged: true })).entries.map((e) => e.id);
  const reviewIds = async (id: string) => (await f.api.view(id)).rules?.review.map((r) => r.id) ?? [];

  it('flags a sample of the blame corpus in the projection and the rules view, as the pure detector does', async () => {
    const id = (await f.api.createIncident({ title: 'Blame sample' })).incident.id;
    const blaming = sample(BLAMING).map((body) => makeEntry('note', { body }));
    const neutral = sample(NEUTRAL).map((body) => makeEntry('note', { body }));
    expect([blaming.length, neutral.length]).toEqual([10, 10]);
    await f.api.appendEntries(id, { entries: [...blaming, ...neutral] });

    const expected = [...blaming, ...neutral]
      .filter((e) => reviewFlags(e).length > 0)
      .map((e) => e.id)
      .sort();
    const flagged = await flaggedIds(id);
    expect(flagged).toEqual(expected);
    const caught = blaming.filter((e) => flagged.includes(e.id)).length;
    expect(caught / blaming.length).toBeGreaterThanOrEqual(0.9);
    expect(neutral.filter((e) => flagged.includes(e.id))).toEqual([]);

    // Shown with their reasons; the entries are as written.
    const all = await f.api.listEntries(id);
    expect(all.entries).toEqual([...blaming, ...neutral].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(Object.keys(all.flags).sort()).toEqual(expected);
    for (const e of blaming.filter((x) => flagged.includes(x.id))) {
      expect(all.flags[e.id]).toEqual(reviewFlags(e));
      expect(all.flags[e.id]?.[0]).toMatchObject({
        field: 'body',
        sentence: expect.any(String),
        reasons: expect.arrayContaining([expect.any(String)]),
      });
    }
    // The rules view lists the same entries for review, with their reasons.
    await waitFor(
      async () => JSON.stringify(await reviewIds(id)) === JSON.stringify(expected),
      'the rules view to list them',
    );
    const review = (await f.api.view(id)).rules?.review ?? [];
    expect(review.every((r) => r.reasons.length > 0)).toBe(true);
  });

  it('flags what a stock websocket provider writes, and filters with the other filters', async () => {
    const id = (await f.api.createIncident({ title: 'Over the socket' })).incident.id;
    const p = connectProvider(f.server.url, id, f.token);
    await synced(p);
    const blame: Entry = makeEntry('decision', {
      title: 'Roll back',
      body: 'Rolling back.',
      rationale: 'Tom ignored the alert for forty minutes.',
    });
    const fine = makeEntry('finding', { body: 'The resolver cache expired early.' });
    p.doc.getMap('entries').set(blame.id, blame);
    p.doc.getMap('entries').set(fine.id, fine);
    await waitFor(async () => (await f.api.listEntries(id)).entries.length === 2, 'both entries to land');
    p.destroy();
    expect(await flaggedIds(id)).toEqual([blame.id]);
    expect((await f.api.listEntries(id, { flagged: true, kind: 'finding' })).entries).toEqual([]);
    expect((await f.api.listEntries(id, { flagged: true })).flags).toEqual({
      [blame.id]: [
        {
          field: 'rationale',
          sentence: 'Tom ignored the alert for forty minutes.',
          reasons: ['names a person as the cause'],
        },
      ],
    });
    await waitFor(async () => (await reviewIds(id)).join() === blame.id, 'the rules view to list it');
    // The CLI lists them too, marked with why.
    const cli = await runCli(['entries', id, '--flagged'], {
      env: { SITREP_URL: f.server.url, SITREP_TOKEN: f.token },
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`[${blame.id}]`);
    expect(cli.stdout).toContain(
      '⚑ for review (names a person as the cause): "Tom ignored the alert for forty minutes."',
    );
    expect(cli.stdout).not.toContain(fine.id);
    // A bad filter value is refused, naming it.
    const res = await fetch(`${f.server.url}/api/incidents/${id}/entries?flagged=yes`, {
      headers: { authorization: `Bearer ${f.token}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toContain(
      'flagged',
    );
  });

  it('flags entries stored before flags were projected when the server starts', async () => {
    const id = (await f.api.createIncident({ title: 'Stored before' })).incident.id;
    const old = makeEntry('note', { body: 'Sam forgot to renew the certificate, again.' });
    await f.api.appendEntries(id, { entries: [old, makeEntry('note', { body: 'Certificates renewed.' })] });
    const port = f.server.port;
    await f.server.close();
    // As the migration leaves rows written before it: not checked.
    const db = await openDatabase(f.storage);
    await db.db.execute(`update entries set blame = null where incident_id = '${id}'`);
    await db.close();
    f.server = await startTestServer(f.storage, port);
    f.api = new ApiClient(f.server.url, { token: f.token });
    await waitFor(async () => (await flaggedIds(id)).join() === old.id, 'the stored entry to be flagged');
  });
});
