// No secret is stored, broadcast or answered back: HTTP appends and incident creation redact
// them, the websocket refuses what still holds one, and clients redact before they write.
// Near-misses pass untouched.
import { type Entry, entriesMap } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { runCli } from '../support/cli.js';
import { collectProviderWarnings, connectProvider, makeEntry, synced } from '../support/clients.js';
import { nearMisses, secretSamples } from '../support/secretCorpus.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

let t: Fixture;
let incident: string;
const providers: WebsocketProvider[] = [];
const warnings = collectProviderWarnings();
const SECRETS = secretSamples();

beforeAll(async () => {
  t = await startFixture('pglite');
  incident = (await t.api.createIncident({ title: 'secret corpus' })).incident.id;
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});
afterAll(async () => {
  await t.close();
});

/** The distinctive part of a sample: its longest word, which must appear nowhere stored. */
const needle = (text: string) => text.split(/[\s"'=:]+/).sort((a, b) => b.length - a.length)[0] ?? text;

async function everythingStored(): Promise<string> {
  const log = await t.server.store.readLog(incident);
  const rows = log.map((r) => Buffer.from(r.bytes).toString('latin1')).join('\n');
  const { entries } = await t.api.listEntries(incident, { limit: 5000 });
  return `${rows}\n${JSON.stringify(entries)}`;
}

describe('secrets', () => {
  it('redacts every secret in an HTTP append and stores none', async () => {
    const sent = SECRETS.flatMap(([, text]) => [
      makeEntry('finding', { body: text }),
      makeEntry('gap', { title: 'leak', body: 'see evidence', evidence: [{ label: 'q', query: text }] }),
    ]);
    await t.api.appendEntries(incident, { entries: sent });
    const stored = await everythingStored();
    for (const [name, text] of SECRETS) expect(stored, name).not.toContain(needle(text));
    const { entries } = await t.api.listEntries(incident, { limit: 5000 });
    const written = entries.filter((e) => sent.some((s) => s.id === e.id));
    expect(written).toHaveLength(sent.length);
    for (const e of written) expect(JSON.stringify(e), e.id).toContain('[REDACTED:');
  });

  it('redacts a secret in the title or commander of a new incident: they go to the summarizer', async () => {
    const [, secret] = SECRETS.find(([n]) => n === 'GitHub token') ?? ['', ''];
    const { incident: titled } = await t.api.createIncident({ title: `leaked ${secret}` });
    const { incident: commanded } = await t.api.createIncident({ title: 'fine', commander: secret });
    expect(titled.title).toMatch(/^leaked pushed with \[REDACTED:[^\]]+\] by mistake$/);
    expect(commanded.commander).toMatch(/^pushed with \[REDACTED:[^\]]+\] by mistake$/);
    for (const i of [titled, commanded]) expect(JSON.stringify(i)).not.toContain(needle(secret));
  });

  it('refuses every secret written by a stock provider, and never broadcasts it', async () => {
    const watcher = connectProvider(t.server.url, incident, t.token);
    providers.push(watcher);
    await synced(watcher);
    const leaked: Entry[] = [];
    for (const [, text] of SECRETS) {
      const writer = connectProvider(t.server.url, incident, t.token);
      providers.push(writer);
      await synced(writer);
      const seen = warnings.length;
      const e = makeEntry('finding', { body: text });
      leaked.push(e);
      entriesMap(writer.doc).set(e.id, e);
      await waitFor(() => warnings.slice(seen).some((w) => w.includes('gate.secret')), 'permission denied');
      writer.destroy();
    }
    // A valid write after them all proves the watcher is still live and saw none of them.
    const marker = makeEntry('note', { body: 'after the leaks' });
    await t.api.appendEntries(incident, { entries: [marker] });
    await waitFor(() => entriesMap(watcher.doc).has(marker.id), 'the marker');
    for (const e of leaked) expect(entriesMap(watcher.doc).has(e.id)).toBe(false);
    const stored = await everythingStored();
    for (const [name, text] of SECRETS) expect(stored.includes(needle(text)), name).toBe(false);
  });

  it('accepts every near-miss untouched', async () => {
    const entries = nearMisses().map(([, text]) => makeEntry('note', { body: text }));
    const res = await t.api.appendEntries(incident, { entries });
    expect(res.entries.every((e) => e.created)).toBe(true);
    const stored = await t.api.listEntries(incident, { limit: 5000 });
    for (const e of entries) expect(stored.entries.find((s) => s.id === e.id)?.body).toBe(e.body);
  });

  it('the CLI redacts before it sends and records how many it took out', async () => {
    const [, text] = SECRETS.find(([n]) => n === 'Postgres URL with password') ?? ['', ''];
    const res = await runCli(
      ['push', incident, '--kind', 'finding', '--body', `connection string in logs: ${text}`],
      {
        env: { SITREP_URL: t.server.url, SITREP_TOKEN: t.token },
      },
    );
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('redacted 1 secret');
    const { entries } = await t.api.listEntries(incident, { limit: 5000 });
    const stored = entries.find((e) => e.id === res.stdout.trim());
    expect(stored?.redactions).toEqual({ secret: 1 });
    expect(stored?.body).toContain('[REDACTED:');
    expect(stored?.body).not.toContain(needle(text));
  });

  it('relays no presence that holds a secret or is oversized, and relays a normal one', async () => {
    const watcher = connectProvider(t.server.url, incident, t.token);
    const speaker = connectProvider(t.server.url, incident, t.token);
    providers.push(watcher, speaker);
    await Promise.all([synced(watcher), synced(speaker)]);
    const [, secret] = SECRETS.find(([n]) => n === 'GitHub token') ?? ['', ''];
    const seen = warnings.length;
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: secret });
    await waitFor(
      () => warnings.slice(seen).some((w) => w.includes('gate.secret')),
      'the secret presence refused',
    );
    const refusals = (code: string) => warnings.slice(seen).filter((w) => w.includes(code)).length;
    speaker.awareness.setLocalStateField('user', { name: 'Sam', creds: { [secret]: 'admin' } });
    await waitFor(() => refusals('gate.secret') === 2, 'the presence with a secret key refused');
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: 'x'.repeat(9000) });
    await waitFor(
      () => warnings.slice(seen).some((w) => w.includes('gate.too_large')),
      'the oversized presence refused',
    );
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: '🔥'.repeat(2100) }); // 4,200 units, 8,400 bytes
    await waitFor(() => refusals('gate.too_large') === 2, 'the presence oversized in UTF-8 refused');
    speaker.awareness.setLocalStateField('user', { name: 'Sam', focus: 'theories' });
    await waitFor(
      () =>
        (
          watcher.awareness.getStates().get(speaker.awareness.clientID) as
            | { user?: { focus?: string } }
            | undefined
        )?.user?.focus === 'theories',
      'the normal presence',
    );
    const everything = JSON.stringify([...watcher.awareness.getStates().values()]);
    expect(everything).not.toContain(needle(secret));
    expect(everything).not.toContain('x'.repeat(9000));
    expect(everything).not.toContain('🔥'.repeat(2100));
  });
});
