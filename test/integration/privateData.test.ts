// Private data at the gate (issue 24): a Yjs update cannot be redacted, so the websocket refuses
// one whose strings hold private data the incident's policy does not allow (gate.private,
// permission-denied), and a stock provider keeps working afterwards; so does presence. A type a
// commander allows for the incident passes both at once, and is refused again once withdrawn.
// (The HTTP paths redact instead: test/integration/privacy.test.ts; other nodes:
// test/integration/allowanceCluster.test.ts.)
import { ApiClient, entriesMap, metaMap } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { collectProviderWarnings, connectProvider, makeEntry, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415 555 0132';

describe.each(BACKENDS)('private data at the gate on %s', (backend) => {
  let t: Fixture;
  let incident: string;
  const providers: WebsocketProvider[] = [];
  const warnings = collectProviderWarnings();

  beforeAll(async () => {
    t = await startFixture(backend);
    incident = (await t.api.createIncident({ title: 'private data' })).incident.id;
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await t.close();
  });

  const connect = async (to = incident) => {
    const p = connectProvider(t.server.url, to, t.token);
    providers.push(p);
    await synced(p);
    return p;
  };

  it('refuses a socket write holding private data, stores and broadcasts none of it, and the provider keeps working', async () => {
    const [watcher, writer] = [await connect(), await connect()];
    const seen = warnings.length;
    const leaks = [
      makeEntry('finding', { body: `customer ${EMAIL} reports failures` }),
      makeEntry('note', { title: `call ${PHONE}`, body: 'x' }),
    ];
    for (const e of leaks) entriesMap(writer.doc).set(e.id, e);
    await waitFor(
      () => warnings.slice(seen).filter((w) => w.includes('gate.private')).length === 2,
      'both refused with gate.private',
    );
    // The same stock provider writes again, after its refused clocks: it is stored and relayed.
    const fine = makeEntry('finding', { body: 'customer [email-3f9a2c] reports failures' });
    entriesMap(writer.doc).set(fine.id, fine);
    await waitFor(() => entriesMap(watcher.doc).has(fine.id), 'the write after the refusals');
    for (const e of leaks) expect(entriesMap(watcher.doc).has(e.id)).toBe(false);
    const rows = (await t.server.store.readLog(incident))
      .map((r) => Buffer.from(r.bytes).toString('latin1'))
      .join('\n');
    expect(rows).not.toContain(EMAIL);
    expect(rows).not.toContain('555 0132');
    const { entries } = await t.api.listEntries(incident, { limit: 100 });
    expect(entries.map((e) => e.id)).toContain(fine.id);
    expect(JSON.stringify(entries)).not.toContain(EMAIL);
  });

  it('relays no presence that holds private data', async () => {
    const [watcher, speaker] = [await connect(), await connect()];
    const seen = warnings.length;
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: `mail ${EMAIL}` });
    await waitFor(() => warnings.slice(seen).some((w) => w.includes('gate.private')), 'the presence refused');
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: 'theories' });
    const focus = () =>
      (
        watcher.awareness.getStates().get(speaker.awareness.clientID) as
          | { user?: { focus?: string } }
          | undefined
      )?.user?.focus;
    await waitFor(() => focus() === 'theories', 'the next presence relayed');
    expect(JSON.stringify([...watcher.awareness.getStates().values()])).not.toContain(EMAIL);
  });

  it('lets an allowed type through the socket and presence once the commander allows it, and refuses it again once withdrawn', async () => {
    const id = (await t.api.createIncident({ title: 'customer data breach' })).incident.id;
    const [watcher, writer] = [await connect(id), await connect(id)];
    const { token } = await t.api.createToken({
      role: 'commander',
      label: 'breach commander',
      incidentId: id,
    });
    const commander = new ApiClient(t.server.url, { token });
    const focus = () =>
      (
        watcher.awareness.getStates().get(writer.awareness.clientID) as
          | { user?: { focus?: string } }
          | undefined
      )?.user?.focus;
    /** Writes an entry and its presence; resolves with whether each was refused with gate.private. */
    const attempt = async (body: string, label: string) => {
      const seen = warnings.length;
      const e = makeEntry('finding', { body });
      entriesMap(writer.doc).set(e.id, e);
      writer.awareness.setLocalStateField('user', { name: 'Sam', focus: body });
      const refusals = () => warnings.slice(seen).filter((w) => w.includes('gate.private')).length;
      const outcome = await waitFor(
        () =>
          (entriesMap(watcher.doc).has(e.id) && focus() === body && 'relayed') ||
          (refusals() === 2 && 'refused'),
        `${label}: the entry and presence relayed or both refused`,
      );
      return { outcome, entry: e.id };
    };

    expect((await attempt(`customer ${EMAIL} cannot pay`, 'before')).outcome).toBe('refused');
    await commander.setAllowances(id, ['email']);
    // The answer comes once this node's room refuses under the new policy: no wait, no retry.
    const allowed = await attempt(`customer ${EMAIL} still cannot pay`, 'allowed');
    expect(allowed.outcome).toBe('relayed');
    expect((await t.api.listEntries(id)).entries.find((e) => e.id === allowed.entry)?.body).toContain(EMAIL);
    // Only the type allowed, only in this incident.
    expect((await attempt(`call ${PHONE}`, 'phone')).outcome).toBe('refused');

    await commander.setAllowances(id, []);
    expect((await attempt(`customer ${EMAIL} paid at last`, 'withdrawn')).outcome).toBe('refused');
    // The stock provider keeps working after the refusals.
    expect((await attempt('customer [email-3f9a2c] paid', 'clean')).outcome).toBe('relayed');
    const rejects = await t.api.listAudit({ incident: id, action: 'reject', limit: 100 });
    expect(rejects.records.map((r) => r.detail.code)).toContain('gate.private');
  });

  it('sets back a refused change of a key written while allowed with the withdrawn data as placeholders', async () => {
    const id = (await t.api.createIncident({ title: 'allowed commander, then withdrawn' })).incident.id;
    const [watcher, writer] = [await connect(id), await connect(id)];
    await t.api.setAllowances(id, ['email']);
    metaMap(writer.doc).set('commander', `Sam ${EMAIL}`);
    await waitFor(() => metaMap(watcher.doc).get('commander') === `Sam ${EMAIL}`, 'the allowed commander');
    await settle(t.server, id);
    await t.api.setAllowances(id, []);
    const rows = (await t.server.store.readLog(id)).length;
    const seen = warnings.length;
    metaMap(writer.doc).set('commander', `Lee ${EMAIL}`);
    await waitFor(() => warnings.slice(seen).some((w) => w.includes('gate.private')), 'the change refused');
    const placeheld = /^Sam \[email-[0-9a-f]{6}\]$/;
    await waitFor(() => placeheld.test(String(metaMap(watcher.doc).get('commander'))), 'the value set back');
    await waitFor(() => placeheld.test(String(metaMap(writer.doc).get('commander'))), 'the writer shows it');
    await settle(t.server, id);
    const after = (await t.server.store.readLog(id))
      .slice(rows)
      .map((r) => Buffer.from(r.bytes).toString('utf8'));
    expect(after.join('\n')).toMatch(/\[email-[0-9a-f]{6}\]/);
    expect(after.join('\n')).not.toContain(EMAIL);
    // The stock provider keeps working.
    metaMap(writer.doc).set('commander', 'Lee');
    await waitFor(() => metaMap(watcher.doc).get('commander') === 'Lee', 'the next change');
  });

  it("keeps the server's views current once an allowance is withdrawn, quoting allowed data as placeholders", async () => {
    const id = (await t.api.createIncident({ title: 'allowed, then withdrawn' })).incident.id;
    await t.api.setAllowances(id, ['email']);
    const theory = makeEntry('theory', { title: `checkout double-charges ${EMAIL}` });
    await t.api.appendEntries(id, { entries: [theory] });
    const card = async () => (await t.api.view(id)).rules?.theories.find((c) => c.id === theory.id);
    await waitFor(
      async () => (await card())?.title.includes(EMAIL),
      'the theory card quotes the allowed address',
    );

    await t.api.setAllowances(id, []);
    // A finding that supports the theory rewrites its card, which quotes the address.
    const support = makeEntry('finding', { body: 'the retry path charges twice', refs: [theory.id] });
    await t.api.appendEntries(id, { entries: [support] });
    await waitFor(
      async () => (await card())?.support.includes(support.id),
      'the rules view takes the new finding after the withdrawal',
    );
    const now = { title: (await card())?.title ?? '' };
    expect(now.title).not.toContain(EMAIL);
    expect(now.title).toMatch(/checkout double-charges \[email-[0-9a-f]+\]/);
    // The entry itself is immutable: it keeps what was allowed when it was written.
    expect((await t.api.listEntries(id)).entries.find((e) => e.id === theory.id)?.title).toContain(EMAIL);
    const rejects = await t.api.listAudit({ incident: id, action: 'reject', limit: 100 });
    expect(rejects.records.map((r) => r.detail.code)).not.toContain('gate.private');
  });
});
