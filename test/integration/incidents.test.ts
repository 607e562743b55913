// The incident list under hostile use, on PGlite and Postgres: a token's hourly quota of new
// incidents (parallel requests included, imports counted), the list in pages, and the admin's
// archive (out of the default list, still readable, audited).
import { ApiClient, ExportDocument, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture } from '../support/server.js';

const PER_HOUR = 3;

describe.each(BACKENDS)('incidents on %s', (backend) => {
  let t: Fixture;
  const tokenFor = async (role: 'viewer' | 'responder' | 'commander', incidentId?: string) =>
    (await t.api.createToken({ role, label: `a ${role}`, incidentId })).token;
  const client = async (role: 'viewer' | 'responder' | 'commander', incidentId?: string) =>
    new ApiClient(t.server.url, { token: await tokenFor(role, incidentId) });

  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_INCIDENTS_PER_HOUR: String(PER_HOUR) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a token create its hourly quota of incidents, however many it asks for at once', async () => {
    const token = await tokenFor('responder');
    const responder = new ApiClient(t.server.url, { token });
    const asked = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => responder.createIncident({ title: `flood ${i}` })),
    );
    expect(asked.filter((r) => r.status === 'fulfilled')).toHaveLength(PER_HOUR);
    const refused = asked.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as { code: string; details: { retryAfterSeconds: number } }] : [],
    );
    expect(refused).toHaveLength(8 - PER_HOUR);
    for (const e of refused)
      expect(e).toMatchObject({ code: 'quota.exceeded', details: { limit: PER_HOUR } });
    const res = await fetch(`${t.server.url}/api/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'one more' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
    // Another token has its own quota; an admin has none.
    await (await client('responder')).createIncident({ title: 'someone else' });
    for (let i = 0; i < PER_HOUR + 1; i++) await t.api.createIncident({ title: `admin ${i}` });
  });

  it('counts imports in the quota', async () => {
    const commander = await client('commander');
    const source = (await t.api.createIncident({ title: 'to copy' })).incident.id;
    await t.api.appendEntries(source, { entries: [makeEntry('finding')] });
    const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(source, 'json')));
    for (let i = 0; i < PER_HOUR - 1; i++) await commander.createIncident({ title: `commander ${i}` });
    await commander.importIncident(doc, `copy-${backend}`);
    await expect(commander.importIncident(doc, `copy-2-${backend}`)).rejects.toMatchObject({
      code: 'quota.exceeded',
    });
    await expect(commander.createIncident({ title: 'over' })).rejects.toMatchObject({
      code: 'quota.exceeded',
    });
  });

  it('lists incidents in pages, most recently active first, each once', async () => {
    // Every commit is activity, the server's view writes too: let them land so the order holds still.
    for (const i of (await t.api.listIncidents({ limit: 500 })).incidents) await settle(t.server, i.id);
    const all = (await t.api.listIncidents({ limit: 500 })).incidents;
    expect(all.length).toBeGreaterThan(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.api.listIncidents({ limit: 3, cursor });
      expect(page.incidents.length).toBeLessThanOrEqual(3);
      seen.push(...page.incidents.map((i) => i.id));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 3));
    expect(seen).toEqual(all.map((i) => i.id));
    const times = all.map((i) => Date.parse(i.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await expect(t.api.listIncidents({ cursor: 'nonsense' })).rejects.toMatchObject({
      code: 'request.invalid',
    });
    await expect(t.api.listIncidents({ limit: 501 })).rejects.toMatchObject({ code: 'request.invalid' });
    // A token limited to one incident reads the others too (none is private here; visibility.test.ts).
    const scoped = await client('viewer', all[4]?.id);
    expect((await scoped.listIncidents({ limit: 500 })).incidents).toEqual(all);
  });

  it('archives an incident out of the default list, keeps it readable, and audits it', async () => {
    const id = (await t.api.createIncident({ title: 'old news' })).incident.id;
    const entry = makeEntry('finding');
    await t.api.appendEntries(id, { entries: [entry] });
    const ids = async (archived?: boolean) =>
      (await t.api.listIncidents({ limit: 500, archived })).incidents.map((i) => i.id);
    await expect((await client('commander')).archiveIncident(id, true)).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    const { incident } = await t.api.archiveIncident(id, true);
    expect(incident.archivedAt).not.toBeNull();
    expect(await ids()).not.toContain(id);
    expect(await ids(true)).toEqual([id]);
    expect((await t.api.getIncident(id)).incident.archivedAt).toBe(incident.archivedAt);
    expect((await t.api.listEntries(id)).entries.map((e) => e.id)).toEqual([entry.id]);
    const reader = connectProvider(t.server.url, id, t.token);
    await synced(reader);
    expect(entriesMap(reader.doc).has(entry.id)).toBe(true);
    reader.destroy();
    await t.api.archiveIncident(id, false);
    expect(await ids()).toContain(id);
    expect(await ids(true)).toEqual([]);
    const audit = (await t.api.listAudit({ incident: id })).records.map((r) => r.action);
    expect(audit.filter((a) => a.startsWith('incident.'))).toEqual([
      'incident.unarchive',
      'incident.archive',
      'incident.create',
    ]);
    await expect(t.api.archiveIncident('no-such-incident', true)).rejects.toMatchObject({
      code: 'incident.not_found',
    });
  });
});
