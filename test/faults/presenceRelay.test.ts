// Presence across nodes: two servers over one Postgres, stock providers on each. A client sees
// the presence of clients on the other node, its changes and its leaving, including a node that
// loads the incident after the presence was set; a presence shown from one node cannot be taken
// over on the other.
import { ApiClient, MESSAGE_AUTH, encodeAwareness, readPresence } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import type { RunningServer } from '../../server/src/main.js';
import { connectProvider, synced } from '../support/clients.js';
import { type TestStorage, adminToken, startTestServer, testStorage, waitFor } from '../support/server.js';

describe('presence on two nodes over one Postgres', () => {
  let storage: TestStorage;
  let a: RunningServer;
  let b: RunningServer;
  let token: string;
  const providers: WebsocketProvider[] = [];
  const connect = async (server: RunningServer, incident: string) => {
    const p = connectProvider(server.url, incident, token);
    providers.push(p);
    await synced(p);
    return p;
  };
  const focusOf = (seer: WebsocketProvider, seen: WebsocketProvider) =>
    readPresence([seer.awareness.getStates().get(seen.awareness.clientID)])[0]?.focus;

  beforeAll(async () => {
    storage = await testStorage('postgres');
    a = await startTestServer(storage);
    b = await startTestServer(storage);
    token = adminToken(a);
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await Promise.all([a.close(), b.close()]);
    await storage.remove();
  });

  it('shows each node the presence set on the other, its changes and its leaving', async () => {
    const incident = (await new ApiClient(a.url, { token }).createIncident({ title: 'presence relay' }))
      .incident.id;
    const onA = await connect(a, incident);
    onA.awareness.setLocalState({ name: 'Ana', focus: 'the deploy' });
    // B loads the incident only now: it asks A what A shows.
    const onB = await connect(b, incident);
    await waitFor(
      () => focusOf(onB, onA) === 'the deploy',
      'B to see what was set on A before B loaded the incident',
    );
    onB.awareness.setLocalState({ name: 'Bo', focus: 'the pool' });
    await waitFor(() => focusOf(onA, onB) === 'the pool', 'A to see B');
    expect(readPresence([onA.awareness.getStates().get(onB.awareness.clientID)])[0]).toMatchObject({
      name: 'Bo',
      role: 'admin',
      kind: 'human',
    });
    onA.awareness.setLocalStateField('focus', 'the rollback');
    await waitFor(() => focusOf(onB, onA) === 'the rollback', 'B to see the change');

    // A presence shown from A cannot be set from a socket on B.
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/yjs/${incident}?token=${token}`);
    const denied: string[] = [];
    ws.on('message', (d) => {
      const f = new Uint8Array(d as Buffer);
      if (f[0] === MESSAGE_AUTH) denied.push(Buffer.from(f).toString());
    });
    await new Promise((r) => ws.on('open', r));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, onA.awareness.clientID);
    encoding.writeVarUint(e, 1_000_000);
    encoding.writeVarString(e, JSON.stringify({ name: 'Ana', focus: 'rejecting everything' }));
    ws.send(encodeAwareness(encoding.toUint8Array(e)));
    await waitFor(() => denied.some((d) => d.includes('gate.forbidden')), 'the takeover refused');
    ws.close();
    expect(focusOf(onB, onA)).toBe('the rollback');

    onA.destroy();
    await waitFor(() => !onB.awareness.getStates().has(onA.awareness.clientID), 'B to see A leave');
  });
});
