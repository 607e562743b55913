// Authorship under hostile use, on PGlite and Postgres: an entry's `author` and `at` are the
// writer's claims; its receipt (the token it came through, by label, and when it arrived) is the
// server's, kept in the projection, answered by the entries API, shown in exports and carried
// through an export and import; an entry whose time is far from its arrival is flagged.
import { readFile } from 'node:fs/promises';
import { ApiClient, ExportDocument, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const HOUR = 3_600_000;
const commander = { id: 'sam', name: 'Sam Okafor', kind: 'human' } as const;

describe.each(BACKENDS)('receipts on %s', (backend) => {
  let t: Fixture;
  let other: Fixture;
  beforeAll(async () => {
    t = await startFixture(backend);
    other = await startFixture(backend === 'pglite' ? 'postgres' : 'pglite');
  });
  afterAll(async () => {
    await Promise.all([t.close(), other.close()]);
  });

  it("keeps the writing token and the arrival beside the writer's claims, and flags a time far from its arrival", async () => {
    const id = (await t.api.createIncident({ title: `receipts on ${backend}` })).incident.id;
    const { token, summary } = await t.api.createToken({ role: 'responder', label: "ana's claude" });
    const ana = new ApiClient(t.server.url, { token });
    // A responder writing as the commander, three hours back.
    const forged = makeEntry('decision', {
      title: 'Roll back now',
      author: commander,
      at: new Date(Date.now() - 3 * HOUR).toISOString(),
    });
    const honest = makeEntry('finding', { author: commander });
    const before = Date.now();
    await ana.appendEntries(id, { entries: [forged, honest] });
    const { entries, receipts } = await t.api.listEntries(id);
    expect(entries.find((e) => e.id === forged.id)?.author).toEqual(commander); // the claim is kept as made
    expect(receipts[forged.id]).toMatchObject({ tokenId: summary.id, via: "ana's claude", skewed: true });
    expect(receipts[honest.id]).toMatchObject({ tokenId: summary.id, via: "ana's claude", skewed: false });
    expect(Math.abs(Date.parse(receipts[honest.id]?.receivedAt ?? '') - before)).toBeLessThan(60_000);

    // A socket's writes have receipts too.
    const bo = await t.api.createToken({ role: 'responder', label: "bo's tab" });
    const p = connectProvider(t.server.url, id, bo.token);
    await synced(p);
    const live = makeEntry('finding', { at: new Date(Date.now() + 2 * HOUR).toISOString() });
    entriesMap(p.doc).set(live.id, live);
    const seen = await waitFor(
      async () => (await t.api.listEntries(id)).receipts[live.id],
      'the socket write',
    );
    expect(seen).toMatchObject({ tokenId: bo.summary.id, via: "bo's tab", skewed: true });
    p.destroy();

    // The receipts route pages them in log order, for the dashboard.
    const paged: string[] = [];
    let after: string | undefined;
    for (let more = true; more; ) {
      const page = await fetch(
        `${t.server.url}/api/incidents/${id}/receipts?limit=1${after ? `&after=${after}` : ''}`,
        { headers: { authorization: `Bearer ${t.token}` } },
      );
      const body = (await page.json()) as {
        receipts: Record<string, unknown>;
        next: string | null;
        more: boolean;
      };
      paged.push(...Object.keys(body.receipts));
      after = body.next ?? undefined;
      more = body.more;
    }
    expect(paged).toEqual([...[forged.id, honest.id].sort(), live.id]);
    expect((await t.api.receipts(id, after)).receipts).toEqual({});
  });

  it('shows the receipt ("via token 1", the label with names) and the flag in the exports, and an import keeps the receipts', async () => {
    const id = (await t.api.createIncident({ title: `exported receipts on ${backend}` })).incident.id;
    const { token } = await t.api.createToken({ role: 'responder', label: 'priya-laptop' });
    const decision = makeEntry('decision', {
      title: 'Fail over to the replica',
      rationale: 'primary is wedged',
      author: commander,
      at: new Date(Date.now() - 2 * HOUR).toISOString(),
    });
    await new ApiClient(t.server.url, { token }).appendEntries(id, { entries: [decision] });
    const md = await t.api.exportIncident(id, 'md');
    // The draft is blameless by default: the author and the token label (which can name a person)
    // are stand-ins, the receipt and its flag stay.
    expect(md).toMatch(/responder 1 · \S+ · via token 1 · ⚠ dated 2h 0m before it arrived · `[0-9A-Z]{26}`/);
    expect(md).not.toContain('Sam Okafor');
    expect(md).not.toContain('priya-laptop');
    const named = await t.api.exportIncident(id, 'md', undefined, { names: true });
    expect(named).toMatch(
      /Sam Okafor · \S+ · via priya-laptop · ⚠ dated 2h 0m before it arrived · `[0-9A-Z]{26}`/,
    );
    expect(await t.api.exportIncident(id, 'html')).toContain('via token 1 · ⚠ dated 2h 0m before it arrived');
    expect(await t.api.exportIncident(id, 'html', undefined, { names: true })).toContain(
      'via priya-laptop · ⚠ dated 2h 0m before it arrived',
    );
    expect(await t.api.exportIncident(id, 'md')).toBe(md); // the same log, the same bytes

    const json = await t.api.exportIncident(id, 'json');
    const doc = ExportDocument.parse(JSON.parse(json));
    expect(doc.receipts).toEqual({ [decision.id]: { via: 'priya-laptop', receivedAt: expect.any(String) } });
    await other.api.importIncident(doc);
    expect(await other.api.exportIncident(id, 'json')).toBe(json);
    expect((await other.api.listEntries(id)).receipts[decision.id]).toMatchObject({
      via: 'priya-laptop',
      tokenId: null,
      skewed: true,
    });
    const stray = {
      ...doc,
      receipts: { '01JZZZZZZZZZZZZZZZZZZZZZZZ': { via: 'x', receivedAt: new Date().toISOString() } },
    };
    await expect(other.api.importIncident(stray, `stray-${backend}`)).rejects.toMatchObject({
      code: 'import.invalid',
    });
  });

  it('gives entries written before migration 0010 their receipts from the log rows that added them', async () => {
    const id = (await t.api.createIncident({ title: `migrated on ${backend}` })).incident.id;
    const { token } = await t.api.createToken({ role: 'responder', label: 'before the migration' });
    await new ApiClient(t.server.url, { token }).appendEntries(id, {
      entries: [makeEntry('finding'), makeEntry('note')],
    });
    const expected = (await t.api.listEntries(id)).receipts;
    expect(Object.keys(expected)).toHaveLength(2);
    // The store's own connection: PGlite takes no second one.
    const db = (t.server.store as unknown as { db: { execute(q: string): Promise<unknown> } }).db;
    await db.execute(
      `update entries set token_id = null, via = null, received_at = now() + interval '1 day' where incident_id = '${id}'`,
    );
    expect((await t.api.listEntries(id)).receipts).toEqual({});
    const migration = await readFile(
      new URL('../../migrations/0010_entry_receipts.sql', import.meta.url),
      'utf8',
    );
    const backfill = migration.split('--> statement-breakpoint').at(-1) ?? '';
    expect(backfill).toMatch(/^\s*-- Entries written before/);
    await db.execute(backfill);
    expect((await t.api.listEntries(id)).receipts).toEqual(expected);
  });
});
