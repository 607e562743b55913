// An incident's allowances reach every node: two nodes on one Postgres, a stock provider on
// node b holding the room, the commander's allowance set through node a. Node b's gate and
// presence let the allowed type through once node b has heard node a's notification (within
// 5 s; no timer of node b's re-reads it), and refuse it again once the allowance is withdrawn.
import { ApiClient, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { RunningServer } from '../../server/src/main.js';
import { collectProviderWarnings, connectProvider, makeEntry, synced } from '../support/clients.js';
import { type TwoNodes, adminToken, startTwoNodes, waitFor } from '../support/server.js';

const EMAIL = 'jane.doe@example.com';

describe('allowances across nodes', () => {
  const warnings = collectProviderWarnings();
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

  it('honours an allowance set through node a in the room node b holds, and its withdrawal', async () => {
    const id = (await admin.createIncident({ title: 'breach seen from two nodes' })).incident.id;
    const { token } = await admin.createToken({ role: 'commander', label: 'commander on a', incidentId: id });
    const commander = new ApiClient(a.url, { token });
    const [writer, watcher] = [
      connectProvider(b.url, id, adminToken(a)),
      connectProvider(b.url, id, adminToken(a)),
    ];
    providers.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    expect(b.rooms.loadedRoom(id)).toBeDefined();

    /** An entry and a presence holding the address, written on node b: relayed, or both refused. */
    const attempt = async (label: string) => {
      const seen = warnings.length;
      const body = `${label}: customer ${EMAIL}`;
      const e = makeEntry('finding', { body });
      entriesMap(writer.doc).set(e.id, e);
      writer.awareness.setLocalStateField('user', { name: 'Sam', focus: body });
      const focus = () =>
        (
          watcher.awareness.getStates().get(writer.awareness.clientID) as
            | { user?: { focus?: string } }
            | undefined
        )?.user?.focus;
      return waitFor(
        () =>
          (entriesMap(watcher.doc).has(e.id) && focus() === body && 'relayed') ||
          (warnings.slice(seen).filter((w) => w.includes('gate.private')).length === 2 && 'refused'),
        `${label}: relayed or refused`,
      );
    };
    /** Node b's room refuses under the policy node a just set (it heard the notification). */
    const heard = (email: string) =>
      waitFor(() => b.rooms.loadedRoom(id)?.policy.email === email, `node b to hear email=${email}`, 5_000);

    expect(await attempt('before')).toBe('refused');
    await commander.setAllowances(id, ['email']);
    await heard('allow');
    expect(await attempt('allowed')).toBe('relayed');
    await commander.setAllowances(id, []);
    await heard('redact');
    expect(await attempt('withdrawn')).toBe('refused');
    expect(await attempt('withdrawn again')).toBe('refused');
  });
});
