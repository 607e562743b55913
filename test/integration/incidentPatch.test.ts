// A commander's change of an incident's meta through `PATCH /api/incidents/:id` and `sitrep
// incident set` (issue 27), on PGlite and Postgres: a status set by the API, the CLI and a stock
// WebsocketProvider stamps alike, a time set by hand stays, a reopening keeps the times, each
// change is audited with its path and token, and bad input changes nothing.
import { ApiClient, type AuditRecord, type IncidentMeta, metaMap, readMeta } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { connectProvider, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const HAND_SET = '2026-12-01T08:00:00.000Z';
const MILESTONES = ['acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;

describe.each(BACKENDS)('PATCH /api/incidents/:id and sitrep incident set (%s)', (backend) => {
  let t: Fixture;
  let commander: { token: string; id: string; api: ApiClient };

  beforeAll(async () => {
    t = await startFixture(backend);
    const made = await t.api.createToken({ role: 'commander', label: 'ic' });
    commander = {
      token: made.token,
      id: made.summary.id,
      api: new ApiClient(t.server.url, { token: made.token }),
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  const newIncident = async (title: string) => (await t.api.createIncident({ title })).incident.id;
  const metaOf = async (id: string) => readMeta((await t.server.rooms.open(id)).doc) as IncidentMeta;
  const metaAudit = async (incident: string) =>
    (await t.api.listAudit({ incident, action: 'incident.meta' })).records.reverse();
  const row = (r: AuditRecord) => [r.tokenId, r.detail.via, r.detail.set];
  const cli = (args: string[]) =>
    runCli(['incident', 'set', ...args], {
      env: { SITREP_URL: t.server.url, SITREP_TOKEN: commander.token },
    });

  it('stamps a status set by the API, the CLI and a stock client alike, each audited by its path', async () => {
    const api = await newIncident('by api');
    const viaCli = await newIncident('by cli');
    const socket = await newIncident('by socket');
    const before = new Date().toISOString();
    const { meta } = await commander.api.updateIncident(api, { status: 'resolved' });
    const out = await cli([viaCli, '--status', 'resolved', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const printed = JSON.parse(out.stdout) as IncidentMeta;
    const p = connectProvider(t.server.url, socket, commander.token);
    await synced(p);
    metaMap(p.doc).set('status', 'resolved');
    const bySocket = await waitFor(() => {
      const m = readMeta(p.doc);
      return m?.resolvedAt ? m : null;
    }, 'the stamps at the client');
    p.destroy();
    const after = new Date().toISOString();
    for (const m of [meta, printed, bySocket, await metaOf(api), await metaOf(viaCli)]) {
      expect(m.status).toBe('resolved');
      for (const key of MILESTONES) expect(m[key]! >= before && m[key]! <= after, key).toBe(true);
    }
    // The answer holds the stamps as the document does.
    expect(await metaOf(api)).toEqual(meta);
    const stamped = (m: IncidentMeta) => ({
      acknowledgedAt: m.acknowledgedAt,
      mitigatedAt: m.mitigatedAt,
      resolvedAt: m.resolvedAt,
    });
    for (const [id, m, via] of [
      [api, meta, 'api'],
      [viaCli, printed, 'api'],
      [socket, bySocket, 'socket'],
    ] as const) {
      const rows = await waitFor(async () => {
        const r = await metaAudit(id);
        return r.length === 2 ? r : null;
      }, `the audit of ${id}`);
      expect(rows.map(row)).toEqual([
        [commander.id, via, { status: 'resolved' }],
        [commander.id, 'server', stamped(m)],
      ]);
    }
  });

  it('never overwrites a time set by hand; a reopening keeps the times and is counted', async () => {
    const id = await newIncident('hand-set and reopened');
    await commander.api.updateIncident(id, {
      acknowledgedAt: HAND_SET,
      startedAt: HAND_SET,
      severity: 'SEV1',
    });
    const { meta: resolved } = await commander.api.updateIncident(id, { status: 'resolved' });
    expect([resolved.acknowledgedAt, resolved.startedAt, resolved.severity]).toEqual([
      HAND_SET,
      HAND_SET,
      'SEV1',
    ]);
    expect(resolved.resolvedAt! > HAND_SET).toBe(true);
    // Corrected by hand after the stamp: kept through the reopening and the next resolution.
    await commander.api.updateIncident(id, { mitigatedAt: HAND_SET });
    const { meta: reopened } = await commander.api.updateIncident(id, { status: 'investigating' });
    expect([reopened.reopens, reopened.mitigatedAt, reopened.resolvedAt]).toEqual([
      1,
      HAND_SET,
      resolved.resolvedAt,
    ]);
    expect(reopened.reopenedAt! >= resolved.resolvedAt!).toBe(true);
    const { meta: again } = await commander.api.updateIncident(id, { status: 'resolved' });
    expect([again.reopens, again.mitigatedAt, again.resolvedAt]).toEqual([1, HAND_SET, resolved.resolvedAt]);
    const reopening = (await metaAudit(id)).filter((r) => (r.detail.set as { reopens?: number }).reopens);
    expect(reopening.map(row)).toEqual([
      [commander.id, 'server', { reopens: 1, reopenedAt: reopened.reopenedAt }],
    ]);
    // Cleared by hand with the status change, it stays cleared, through a change that does not
    // pass acknowledgement; one that passes it again stamps it.
    await commander.api.updateIncident(id, { acknowledgedAt: null, status: 'identified' });
    expect((await metaOf(id)).acknowledgedAt).toBeNull();
    const { meta: still } = await commander.api.updateIncident(id, { status: 'mitigating' });
    expect(still.acknowledgedAt).toBeNull();
    await commander.api.updateIncident(id, { status: 'investigating' });
    const { meta: stampedAgain } = await commander.api.updateIncident(id, { status: 'identified' });
    expect(stampedAgain.acknowledgedAt! > HAND_SET).toBe(true);
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const id = await newIncident('bad bodies');
    const seq = (await t.api.getIncident(id)).incident.lastSeq;
    const patch = (body: string) =>
      fetch(`${t.server.url}/api/incidents/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${commander.token}`, 'content-type': 'application/json' },
        body,
      });
    for (const body of [
      '{}',
      '{"status":"panicking"}',
      '{"severity":"SEV9"}',
      '{"title":"renamed"}',
      '{"reopens":0}',
      '{"status":"resolved","mood":"calm"}',
      '{"acknowledgedAt":"yesterday"}',
      '{"commander":""}',
      '[]',
      'not json',
    ]) {
      const res = await patch(body);
      expect(res.status, body).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code, body).toMatch(/^request\./);
      expect(error.message.length).toBeGreaterThan(0);
    }
    expect((await t.api.getIncident(id)).incident.lastSeq).toBe(seq);
    expect((await metaOf(id)).status).toBe('investigating');
    expect(await metaAudit(id)).toEqual([]);
  });

  it('answers 404 for an unknown incident or one the token may not read, 403 below commander', async () => {
    const id = await newIncident('who may');
    const { incident: hidden } = await t.api.createIncident({ title: 'private', private: true });
    await expect(
      commander.api.updateIncident('no-such-incident', { status: 'resolved' }),
    ).rejects.toMatchObject({
      code: 'incident.not_found',
    });
    await expect(commander.api.updateIncident(hidden.id, { status: 'resolved' })).rejects.toMatchObject({
      code: 'incident.not_found',
    });
    for (const role of ['viewer', 'responder'] as const) {
      const api = new ApiClient(t.server.url, {
        token: (await t.api.createToken({ role, label: role })).token,
      });
      await expect(api.updateIncident(id, { status: 'resolved' })).rejects.toMatchObject({
        code: 'auth.forbidden',
      });
    }
    // A commander limited to another incident commands only there.
    const other = await newIncident('elsewhere');
    const scoped = (await t.api.createToken({ role: 'commander', label: 'scoped', incidentId: other })).token;
    await expect(
      new ApiClient(t.server.url, { token: scoped }).updateIncident(id, { status: 'resolved' }),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect([(await metaOf(id)).status, (await metaOf(hidden.id)).status]).toEqual([
      'investigating',
      'investigating',
    ]);
  });

  // The CLI's checks are the client's, the same on either backend: run once.
  if (backend === 'pglite')
    it('refuses bad flags naming the flag, with exit 2, and sends nothing', {
      timeout: 180_000,
    }, async () => {
      const id = await newIncident('bad flags');
      const bad = [
        [['--status', 'panicking'], '--status'],
        [['--severity', 'SEV0'], '--severity'],
        [['--acknowledged-at', 'yesterday'], '--acknowledged-at'],
        [['--reopens', '1'], 'reopens'],
        [[], '--status'],
      ] as const;
      // Five runs at once: each must be refused before it sends anything.
      const outs = await Promise.all(bad.map(([args]) => cli([id, ...args])));
      for (const [i, [, flag]] of bad.entries()) {
        const out = outs[i];
        expect(out?.code, out?.stderr).toBe(2);
        expect(out?.stderr).toContain(flag);
      }
      expect(await metaAudit(id)).toEqual([]);
      const ok = await cli([id, '--severity', 'SEV2', '--acknowledged-at', HAND_SET, '--commander', 'Ana']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`acknowledgedAt  ${HAND_SET}`);
      const cleared = await cli([id, '--acknowledged-at', 'none', '--commander', 'none', '--json']);
      expect(JSON.parse(cleared.stdout)).toMatchObject({
        acknowledgedAt: null,
        commander: null,
        severity: 'SEV2',
      });
    });
});
