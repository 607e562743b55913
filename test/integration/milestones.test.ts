// Milestones stamped by the server (issue 27), on PGlite and Postgres: a status set by a stock
// y-websocket client (as the dashboard sets it too) stamps the acknowledgement, mitigation and
// resolution times still unset, the server's stamps reach every client, a time set by hand stays,
// a record made with a later status gets no made-up times (created or imported), a reopening
// keeps the earlier times and is counted, and every meta change is audited with the path that
// made it.
import {
  ApiClient,
  type AuditRecord,
  ExportDocument,
  type IncidentMeta,
  metaMap,
  readMeta,
} from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { collectProviderWarnings, connectProvider, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const HAND_SET = '2026-12-01T08:00:00.000Z';

describe.each(BACKENDS)('milestones stamped by the server (%s)', (backend) => {
  let t: Fixture;
  let commander: { token: string; id: string };
  const providers: WebsocketProvider[] = [];
  const warnings = collectProviderWarnings();

  beforeAll(async () => {
    t = await startFixture(backend);
    const made = await t.api.createToken({ role: 'commander', label: 'ic' });
    commander = { token: made.token, id: made.summary.id };
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await t?.close();
  });

  const connect = async (id: string, token = commander.token) => {
    const p = connectProvider(t.server.url, id, token);
    providers.push(p);
    await synced(p);
    return p;
  };
  /** The meta a client holds once `ready` says it is there. */
  const metaOnce = (p: WebsocketProvider, ready: (m: IncidentMeta) => unknown, what: string) =>
    waitFor(() => {
      const m = readMeta(p.doc);
      return m && ready(m) ? m : null;
    }, what);
  const metaAudit = async (incident: string) =>
    (await t.api.listAudit({ incident, action: 'incident.meta' })).records.reverse();
  const setOf = (r: AuditRecord) => r.detail.set as Record<string, unknown>;

  it("stamps a stock client's status change, and every client sees the stamps", async () => {
    const { id } = (await t.api.createIncident({ title: 'stock client stamps' })).incident;
    const writer = await connect(id);
    const watcher = await connect(id, t.token);
    const before = new Date().toISOString();
    metaMap(writer.doc).set('status', 'identified');
    const m = await metaOnce(watcher, (m) => m.acknowledgedAt, 'the acknowledgement stamp');
    expect(m.acknowledgedAt! >= before && m.acknowledgedAt! <= new Date().toISOString()).toBe(true);
    expect([m.mitigatedAt, m.resolvedAt]).toEqual([undefined, undefined]);
    // The writer's own document gets the server's stamp too.
    await metaOnce(writer, (m) => m.acknowledgedAt, "the stamp in the writer's document");

    metaMap(writer.doc).set('status', 'resolved');
    const done = await metaOnce(watcher, (m) => m.resolvedAt, 'the resolution stamps');
    expect(done.acknowledgedAt).toBe(m.acknowledgedAt);
    expect(done.mitigatedAt).toBe(done.resolvedAt);
    expect(done.resolvedAt! >= m.acknowledgedAt!).toBe(true);

    // Audited: each change by its token and path, the server's stamps by the token that caused them.
    const rows = await waitFor(async () => {
      const r = await metaAudit(id);
      return r.length === 4 ? r : null;
    }, 'four incident.meta rows');
    expect(rows.map((r) => [r.tokenId, r.detail.via, setOf(r)])).toEqual([
      [commander.id, 'socket', { status: 'identified' }],
      [commander.id, 'server', { acknowledgedAt: m.acknowledgedAt }],
      [commander.id, 'socket', { status: 'resolved' }],
      [commander.id, 'server', { mitigatedAt: done.mitigatedAt, resolvedAt: done.resolvedAt }],
    ]);
    expect(rows.every((r, i) => i === 0 || Number(r.detail.seq) > Number(rows[i - 1]!.detail.seq))).toBe(
      true,
    );
  });

  it('leaves the times of a record made resolved unknown unless given, counted out of the medians', async () => {
    const given = '2026-12-01T09:30:00.000Z';
    const made = await t.api.createIncident({
      title: 'recorded after',
      status: 'resolved',
      severity: 'SEV4',
    });
    const timed = await t.api.createIncident({
      title: 'recorded with times',
      status: 'resolved',
      severity: 'SEV4',
      detectedAt: HAND_SET,
      mitigatedAt: given,
      resolvedAt: given,
    });
    const m = readMeta((await t.server.rooms.open(made.incident.id)).doc);
    expect([m?.status, m?.acknowledgedAt, m?.mitigatedAt, m?.resolvedAt]).toEqual([
      'resolved',
      undefined,
      undefined,
      undefined,
    ]);
    expect((await t.api.figures(made.incident.id)).times).toEqual({
      timeToDetectMs: null,
      timeToAcknowledgeMs: null,
      timeToMitigateMs: null,
      timeToResolveMs: null,
    });
    expect((await t.api.figures(timed.incident.id)).times).toMatchObject({
      timeToAcknowledgeMs: null,
      timeToMitigateMs: 90 * 60_000,
      timeToResolveMs: 90 * 60_000,
    });
    // Counted, and only the record with its times in the medians.
    const sev4 = (await t.api.insights({ severity: 'SEV4' })).incidents;
    expect(sev4.count).toBe(2);
    expect(sev4.times.timeToResolveMs).toEqual({ n: 1, medianMs: 90 * 60_000, p90Ms: 90 * 60_000 });

    // An import keeps what its export says: no time is made up for it either.
    const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(made.incident.id, 'json')));
    await t.api.importIncident(doc, 'recorded-after-copy');
    const copy = readMeta((await t.server.rooms.open('recorded-after-copy')).doc);
    expect([copy?.status, copy?.mitigatedAt, copy?.resolvedAt]).toEqual(['resolved', undefined, undefined]);
  });

  it('stamps only what a later change passes on a record made with a later status', async () => {
    const made = await t.api.createIncident({ title: 'recorded as monitoring', status: 'monitoring' });
    const before = new Date().toISOString();
    const { meta } = await t.api.updateIncident(made.incident.id, { status: 'resolved' });
    expect(meta.resolvedAt! >= before).toBe(true);
    expect([meta.acknowledgedAt, meta.mitigatedAt]).toEqual([undefined, undefined]);
  });

  it('never overwrites a time set by hand, in the same change or before it', async () => {
    const { id } = (await t.api.createIncident({ title: 'hand-set times' })).incident;
    const p = await connect(id);
    p.doc.transact(() => {
      metaMap(p.doc).set('status', 'monitoring');
      metaMap(p.doc).set('acknowledgedAt', HAND_SET);
    });
    const m = await metaOnce(p, (m) => m.mitigatedAt, 'the mitigation stamp');
    expect(m.acknowledgedAt).toBe(HAND_SET);
    metaMap(p.doc).set('mitigatedAt', HAND_SET);
    metaMap(p.doc).set('status', 'resolved');
    const done = await metaOnce(p, (m) => m.resolvedAt, 'the resolution stamp');
    expect([done.acknowledgedAt, done.mitigatedAt]).toEqual([HAND_SET, HAND_SET]);
  });

  it('keeps the earlier times when a resolved incident is reopened, and counts the reopening', async () => {
    const { id } = (await t.api.createIncident({ title: 'reopened' })).incident;
    const p = await connect(id);
    metaMap(p.doc).set('status', 'resolved');
    const resolved = await metaOnce(p, (m) => m.resolvedAt, 'the resolution stamps');
    metaMap(p.doc).set('status', 'investigating');
    const reopened = await metaOnce(p, (m) => m.reopens === 1, 'the reopening');
    expect(reopened.reopenedAt! >= resolved.resolvedAt!).toBe(true);
    const times = (m: IncidentMeta) => [m.acknowledgedAt, m.mitigatedAt, m.resolvedAt];
    expect(times(reopened)).toEqual(times(resolved));
    metaMap(p.doc).set('status', 'resolved');
    metaMap(p.doc).set('status', 'mitigating');
    const twice = await metaOnce(p, (m) => m.reopens === 2, 'the second reopening');
    expect(times(twice)).toEqual(times(resolved));
    const rows = await waitFor(async () => {
      const r = (await metaAudit(id)).filter((r) => setOf(r).reopens !== undefined);
      return r.length === 2 ? r : null;
    }, 'the reopenings audited');
    expect(rows.map((r) => [r.detail.via, setOf(r).reopens])).toEqual([
      ['server', 1],
      ['server', 2],
    ]);
    // Nobody but the server writes the count: a commander's socket is refused.
    warnings.length = 0;
    metaMap(p.doc).set('reopens', 0);
    await waitFor(
      () => warnings.some((w) => w.includes('meta.reopens is written by the server only')),
      'the refusal',
    );
  });

  it('stamps a status set by a responder nowhere: it may not write meta at all', async () => {
    const { id } = (await t.api.createIncident({ title: 'responder' })).incident;
    const responder = (await t.api.createToken({ role: 'responder', label: 'r' })).token;
    const p = await connect(id, responder);
    warnings.length = 0;
    metaMap(p.doc).set('status', 'resolved');
    await waitFor(() => warnings.some((w) => w.includes('gate.forbidden')), 'the refusal');
    const watcher = new ApiClient(t.server.url, { token: t.token });
    expect((await watcher.getIncident(id)).incident.status).toBe('investigating');
    expect(await metaAudit(id)).toEqual([]);
  });
});
