// Presence under hostile use, against a real server on PGlite and Postgres: the role and kind a
// client shows come from its token, one token holds a bounded number of sockets, a socket that
// sends presence as fast as it can is relayed at a bounded rate, ending where it ended, and a
// client whose network dropped keeps its presence across the reconnect.
import { encodeAwareness, readPresence } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, synced } from '../support/clients.js';
import { droppingProxy } from '../support/net.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const SOCKETS = 3;
const RATE = 5;

describe.each(BACKENDS)('presence on %s', (backend) => {
  let t: Fixture;
  let incident: string;
  const providers: WebsocketProvider[] = [];
  const connect = async (token: string) => {
    const p = connectProvider(t.server.url, incident, token);
    providers.push(p);
    await synced(p);
    return p;
  };

  beforeAll(async () => {
    t = await startFixture(backend, {
      SITREP_MAX_SOCKETS_PER_TOKEN: String(SOCKETS),
      SITREP_PRESENCE_PER_SECOND: String(RATE),
    });
    incident = (await t.api.createIncident({ title: `presence on ${backend}` })).incident.id;
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await t.close();
  });

  it("shows the role and kind of the client's token, not what the client claims", async () => {
    const viewer = (await t.api.createToken({ role: 'viewer', label: 'a viewer' })).token;
    const harness = (await t.api.createToken({ role: 'responder', label: 'an agent', kind: 'harness' }))
      .token;
    const watcher = await connect(t.token);
    const [pretender, agent] = [await connect(viewer), await connect(harness)];
    pretender.awareness.setLocalState({
      name: 'Mallory',
      kind: 'harness',
      role: 'commander',
      focus: 'the rollback',
    });
    agent.awareness.setLocalState({ name: 'Claude for Ana', kind: 'human', role: 'admin' });
    const seen = (p: WebsocketProvider) =>
      readPresence([watcher.awareness.getStates().get(p.awareness.clientID)])[0];
    await waitFor(() => seen(pretender) && seen(agent), 'both presences');
    expect(seen(pretender)).toMatchObject({
      name: 'Mallory',
      kind: 'human',
      role: 'viewer',
      focus: 'the rollback',
    });
    expect(seen(agent)).toMatchObject({ name: 'Claude for Ana', kind: 'harness', role: 'responder' });
    // The client's own state is its own business; what the others see is the server's word.
    expect(pretender.awareness.getLocalState()).toMatchObject({ role: 'commander' });
  });

  it('refuses a socket past the per-token limit with 4429, and takes one again once a socket closes', async () => {
    const { token } = await t.api.createToken({ role: 'viewer', label: 'many tabs' });
    const held = await Promise.all(Array.from({ length: SOCKETS }, () => connect(token)));
    const closeOf = (tok: string) =>
      new Promise<{ code: number; said: string }>((resolve) => {
        const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${tok}`);
        let said = '';
        ws.on('message', (d) => {
          const frame = Buffer.from(d as Buffer);
          said += frame.toString();
          // A sync message (the server's step 1) means the socket was taken: close it ourselves.
          if (frame[0] === 0) ws.close();
        });
        ws.on('close', (code) => resolve({ code, said }));
      });
    expect(await closeOf(token)).toMatchObject({
      code: 4429,
      said: expect.stringContaining('quota.exceeded'),
    });
    // Another token is not affected.
    expect((await closeOf(t.token)).code).toBe(1005);
    held[0]?.destroy();
    await waitFor(async () => (await closeOf(token)).code === 1005, 'a socket again once one closed');
  });

  it('relays a socket that floods presence at the configured rate, ending with its last state', async () => {
    const watcher = await connect(t.token);
    const { token } = await t.api.createToken({ role: 'responder', label: 'flooder' });
    const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${token}`);
    await new Promise((r) => ws.on('open', r));
    const client = 424_242;
    const relayed: number[] = [];
    watcher.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if ([...added, ...updated].includes(client)) relayed.push(Date.now());
    });
    const started = Date.now();
    const flood = 200;
    for (let clock = 1; clock <= flood; clock++) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify({ name: 'Flood', focus: `step ${clock}` }));
      ws.send(encodeAwareness(encoding.toUint8Array(e)));
    }
    await waitFor(
      () => readPresence([watcher.awareness.getStates().get(client)])[0]?.focus === `step ${flood}`,
      'the last state',
    );
    const seconds = Math.max(1, Math.ceil((Date.now() - started) / 1000));
    expect(relayed.length).toBeLessThanOrEqual(RATE * (seconds + 1));
    // No more than the rate went through in any one second (less what delivery may jitter).
    for (let i = RATE; i < relayed.length; i++)
      expect((relayed[i] ?? 0) - (relayed[i - RATE] ?? 0)).toBeGreaterThan(900);
    ws.close();
  });

  it('keeps the presence of a client that reconnected before the server saw its old socket go', async () => {
    const watcher = await connect(t.token);
    const { token } = await t.api.createToken({ role: 'responder', label: 'on the train' });
    const proxy = await droppingProxy(t.server.port);
    const connections = async () => {
      const text = await (await fetch(`${t.server.url}/metrics`)).text();
      return Number(/^sitrep_connections (\d+)/m.exec(text)?.[1]);
    };
    try {
      const ana = connectProvider(`http://127.0.0.1:${proxy.port}`, incident, token);
      providers.push(ana);
      await synced(ana);
      const focus = () => readPresence([watcher.awareness.getStates().get(ana.awareness.clientID)])[0]?.focus;
      ana.awareness.setLocalState({ name: 'Ana', focus: 'the pool' });
      await waitFor(() => focus() === 'the pool', 'her first presence');
      // The server's only sockets: the watcher and hers (the tests before may still be closing theirs).
      await waitFor(async () => (await connections()) === 2, 'only the watcher and her socket open');

      proxy.drop(); // her old socket stays open on the server, as after a dropped network
      await waitFor(() => !ana.wsconnected, 'the provider to see its socket go');
      await waitFor(() => ana.wsconnected && ana.synced, 'the provider to reconnect');
      expect(await connections()).toBe(3);
      const gone: number[] = [];
      watcher.awareness.on('change', ({ removed }: { removed: number[] }) => gone.push(...removed));
      ana.awareness.setLocalState({ name: 'Ana', focus: 'the replica' });
      await waitFor(() => focus() === 'the replica', 'her presence set on the new socket');

      proxy.reap(); // the server learns the old socket is gone
      await waitFor(async () => (await connections()) === 2, 'the old socket to close');
      ana.awareness.setLocalState({ name: 'Ana', focus: 'the failover' });
      await waitFor(() => focus() === 'the failover', 'her presence after the old socket closed');
      expect(gone).not.toContain(ana.awareness.clientID);
    } finally {
      await proxy.close();
    }
  });
});
