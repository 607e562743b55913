// Revocation and expiry reach every node at once: nodes on one Postgres. A token revoked on
// node a loses its open socket on node b and is refused by node b's HTTP at once (NOTIFY), not
// after node b's 30 s trust in a verified token; and sockets whose token stops working behind
// every node's back (no notification heard) are closed by the periodic re-check.
import { ApiClient, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { RunningServer } from '../../server/src/main.js';
import { collectProviderWarnings, connectProvider, makeEntry, synced } from '../support/clients.js';
import { type TestStorage, adminToken, startTestServer, testStorage, waitFor } from '../support/server.js';

collectProviderWarnings(); // the provider logs each refused reconnect

/** A stock provider and the close codes its socket has seen. */
function watched(server: RunningServer, incident: string, token: string) {
  const provider = connectProvider(server.url, incident, token);
  const closes: number[] = [];
  provider.on('connection-close', (event: CloseEvent | null) => void closes.push(event?.code ?? 0));
  return { provider, closes };
}

describe('revocation across nodes', () => {
  let storage: TestStorage;
  let a: RunningServer;
  let b: RunningServer;
  let c: RunningServer;
  let admin: ApiClient;
  let incident: string;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    storage = await testStorage('postgres');
    [a, b] = [await startTestServer(storage), await startTestServer(storage)];
    // Node c re-checks its sockets' tokens often, so the test of the re-check is short (a and b
    // wait the default 30 s, so the first test sees only the notification at work).
    c = await startTestServer(storage, 0, { SITREP_TOKEN_RECHECK_SECONDS: '0.2' });
    admin = new ApiClient(a.url, { token: adminToken(a) });
    incident = (await admin.createIncident({ title: 'revoked elsewhere' })).incident.id;
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await Promise.all([a.close(), b.close(), c.close()]);
    await storage.remove();
  });

  it("closes the token's sockets on the other node and refuses it there over HTTP at once", async () => {
    const { token, summary } = await admin.createToken({ role: 'responder', label: 'revoked on node a' });
    const onB = new ApiClient(b.url, { token });
    await onB.appendEntries(incident, { entries: [makeEntry()] }); // node b has verified it: trusted for 30 s
    const { provider, closes } = watched(b, incident, token);
    providers.push(provider);
    await synced(provider);

    await admin.revokeToken(summary.id);
    await waitFor(() => closes.includes(4401), "node b to close the revoked token's socket", 3_000);
    // The same notification dropped node b's trust in the token.
    await expect(onB.listEntries(incident)).rejects.toMatchObject({
      code: 'auth.invalid',
      message: expect.stringContaining('revoked'),
    });
    // A stock provider takes 4401 as final; a new socket with the token is refused on node b too.
    expect(provider.shouldConnect).toBe(false);
    const again = watched(b, incident, token);
    providers.push(again.provider);
    await waitFor(() => again.closes.includes(4401), 'node b to refuse a new socket', 3_000);
    // Nothing was written under the token after the revocation: one write record, the append before it.
    const late = makeEntry('finding', { body: 'written after the revocation' });
    entriesMap(provider.doc).set(late.id, late);
    expect((await admin.listEntries(incident, { limit: 100 })).entries.map((e) => e.id)).not.toContain(
      late.id,
    );
    const writes = (await admin.listAudit({ incident, action: 'write' })).records.filter(
      (r) => r.tokenId === summary.id,
    );
    expect(writes).toHaveLength(1);
  }, 30_000);

  it('closes sockets whose token was revoked or expired without a notification, at the next re-check', async () => {
    const revoked = await admin.createToken({ role: 'viewer', label: 'revoked quietly' });
    const expired = await admin.createToken({ role: 'viewer', label: 'expired early' });
    const watchers = [watched(c, incident, revoked.token), watched(c, incident, expired.token)];
    providers.push(...watchers.map((w) => w.provider));
    await Promise.all(watchers.map((w) => synced(w.provider)));
    // Straight in the database: no node hears of either.
    const { default: postgres } = await import('postgres');
    const sql = postgres(storage.databaseUrl ?? '', { max: 1, onnotice: () => {} });
    await sql`update tokens set revoked_at = now() where id = ${revoked.summary.id}`;
    await sql`update tokens set expires_at = now() - interval '1 second' where id = ${expired.summary.id}`;
    await sql.end();
    for (const w of watchers)
      await waitFor(() => w.closes.includes(4401), 'the re-check to close the socket', 3_000);
  }, 30_000);
});
