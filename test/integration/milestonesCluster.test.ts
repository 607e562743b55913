// Milestone stamps across nodes (issue 27): two nodes on one Postgres, each holding the incident's
// room. A status change committed on one node is stamped once, by that node, as a row of the log
// that the other node applies: both documents hold the same times, and the audit has one stamp
// row per change, whichever node (node a through the API, node b through a stock client) made it.
import { ApiClient, type IncidentMeta, metaMap, readMeta } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { RunningServer } from '../../server/src/main.js';
import { connectProvider, synced } from '../support/clients.js';
import { type TwoNodes, startTwoNodes, waitFor } from '../support/server.js';

const TIMES = ['acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'reopens', 'reopenedAt'] as const;

describe('milestone stamps across nodes', () => {
  let nodes: TwoNodes;
  let a: RunningServer;
  let b: RunningServer;
  let admin: ApiClient;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    nodes = await startTwoNodes();
    ({ a, b, admin } = nodes);
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await nodes.close();
  });

  it('stamps a change once, on the node that committed it, and the other node applies the stamps', async () => {
    const id = (await admin.createIncident({ title: 'stamped on two nodes' })).incident.id;
    const made = await admin.createToken({ role: 'commander', label: 'ic' });
    const onA = new ApiClient(a.url, { token: made.token });
    const writerOnB = connectProvider(b.url, id, made.token);
    const watcherOnA = connectProvider(a.url, id, made.token);
    providers.push(writerOnB, watcherOnA);
    await Promise.all([synced(writerOnB), synced(watcherOnA)]);
    const times = (m: IncidentMeta | null) => TIMES.map((k) => m?.[k]);
    /** Both nodes' documents hold `m`'s times. */
    const onBoth = (m: IncidentMeta, what: string) =>
      waitFor(async () => {
        const docs = [(await a.rooms.open(id)).doc, (await b.rooms.open(id)).doc];
        return docs.every((d) => JSON.stringify(times(readMeta(d))) === JSON.stringify(times(m)));
      }, what);

    const { meta: acknowledged } = await onA.updateIncident(id, { status: 'identified' });
    await onBoth(acknowledged, "node a's stamp on node b");
    metaMap(writerOnB.doc).set('status', 'resolved');
    const resolved = await waitFor(() => {
      const m = readMeta(watcherOnA.doc);
      return m?.resolvedAt ? m : null;
    }, "node b's stamps at a client of node a");
    await onBoth(resolved, "node b's stamps on both nodes");
    const { meta: reopened } = await onA.updateIncident(id, { status: 'investigating' });
    expect(times(reopened).slice(0, 3)).toEqual(times(resolved).slice(0, 3));
    await onBoth(reopened, 'the reopening on both nodes');

    const audit = await waitFor(async () => {
      const r = (await admin.listAudit({ incident: id, action: 'incident.meta' })).records;
      return r.length >= 6 ? r.reverse().map((r) => [r.tokenId, r.detail.via, r.detail.set]) : null;
    }, 'six incident.meta rows');
    expect(audit).toEqual([
      [made.summary.id, 'api', { status: 'identified' }],
      [made.summary.id, 'server', { acknowledgedAt: acknowledged.acknowledgedAt }],
      [made.summary.id, 'socket', { status: 'resolved' }],
      [made.summary.id, 'server', { mitigatedAt: resolved.mitigatedAt, resolvedAt: resolved.resolvedAt }],
      [made.summary.id, 'api', { status: 'investigating' }],
      [made.summary.id, 'server', { reopens: 1, reopenedAt: reopened.reopenedAt }],
    ]);
  });
});
