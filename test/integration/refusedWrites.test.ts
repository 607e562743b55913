// A refused write changes nothing, and writes after it land (issue 24): under a policy that
// refuses a type, an HTTP append the sanitizer refuses, one the room refuses, and the server's
// own view write the gate refuses (a model's commander view quoting private data) are each
// followed by writes to the same incident that are stored and relayed to a stock provider.
import { ApiClient, type Curation, entriesMap, metaMap, readView } from '@sitrep/shared';
import type * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import {
  collectProviderWarnings,
  connectProvider,
  makeEntry,
  recordingSocket,
  synced,
} from '../support/clients.js';
import { type FakeAnthropic, carefulAnswer, startFakeAnthropic } from '../support/fakeAnthropic.js';
import { type Fixture, settle, startFixture, waitFor } from '../support/server.js';

const SSN = '078-05-1120';
const EMAIL = 'jane.doe@example.com';
const curationMap = (doc: Y.Doc) => doc.getMap<Curation>('curation');

describe('writes after a refused write (pglite, ssn=refuse)', () => {
  let fake: FakeAnthropic;
  let t: Fixture;
  let responder: ApiClient;
  const providers: WebsocketProvider[] = [];
  const warnings = collectProviderWarnings();

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    t = await startFixture('pglite', {
      SITREP_PRIVACY_POLICY: 'ssn=refuse',
      ANTHROPIC_API_KEY: 'test-key-not-a-secret',
      ANTHROPIC_BASE_URL: fake.url,
      SITREP_SUMMARY_MODEL: 'claude-test',
      SITREP_SUMMARY_DEBOUNCE_MS: '30',
      SITREP_SUMMARY_TIMEOUT_SECONDS: '2',
    });
    responder = new ApiClient(t.server.url, {
      token: (await t.api.createToken({ role: 'responder', label: 'responder' })).token,
    });
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
    fake.answerWith(carefulAnswer);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const newIncident = async (title: string) => (await t.api.createIncident({ title })).incident.id;
  const connect = async (id: string) => {
    const p = connectProvider(t.server.url, id, t.token);
    providers.push(p);
    await synced(p);
    return p;
  };
  /** A clean entry appended over HTTP, then read back from the API and seen by a stock provider. */
  const appendLands = async (id: string, watcher?: WebsocketProvider) => {
    const fine = makeEntry('finding', { body: 'p99 back to 180 ms' });
    const res = await responder.appendEntries(id, { entries: [fine] });
    expect(res.entries[0]).toMatchObject({ id: fine.id, created: true });
    expect((await t.api.listEntries(id)).entries.map((e) => e.id)).toContain(fine.id);
    if (watcher) await waitFor(() => entriesMap(watcher.doc).has(fine.id), 'the append in the provider');
    return fine;
  };

  it('lands an HTTP append after one the sanitizer refused (gate.private)', async () => {
    const id = await newIncident('after a refused append');
    await expect(
      responder.appendEntries(id, { entries: [makeEntry('finding', { body: `SSN ${SSN} in the export` })] }),
    ).rejects.toMatchObject({ code: 'gate.private' });
    await appendLands(id);
    await appendLands(id);
  });

  it('lands an HTTP append after one the room refused (an unknown ref, an id from the future)', async () => {
    const id = await newIncident('after a room refusal');
    await expect(
      responder.appendEntries(id, {
        entries: [makeEntry('finding', { refs: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] })],
      }),
    ).rejects.toMatchObject({ code: 'entry.unknown_ref' });
    const ahead = makeEntry('finding', { id: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ' });
    await expect(responder.appendEntries(id, { entries: [makeEntry('note'), ahead] })).rejects.toMatchObject({
      code: 'gate.schema',
    });
    await appendLands(id);
  });

  it("lands writes after a stock provider's refused entry, meta and curation changes, on the socket and over HTTP", async () => {
    const id = await newIncident('after refused socket writes');
    const [watcher, writer] = [await connect(id), await connect(id)];
    const first = makeEntry('finding', { body: 'errors on checkout' });
    await responder.appendEntries(id, { entries: [first] });
    await waitFor(() => entriesMap(writer.doc).has(first.id), 'the first entry in the writer');
    const seen = warnings.length;
    const refusals = () => warnings.slice(seen).filter((w) => w.includes('gate.private')).length;
    const leak = makeEntry('note', { body: `SSN ${SSN}` });
    entriesMap(writer.doc).set(leak.id, leak);
    await waitFor(() => refusals() === 1, 'the entry refused');
    metaMap(writer.doc).set('commander', `Sam ${EMAIL}`);
    await waitFor(() => refusals() === 2, 'the meta change refused');
    // The writer is sent the fill: it shows what everyone else sees again, not its refused value.
    await waitFor(
      () => metaMap(writer.doc).get('commander') === metaMap(watcher.doc).get('commander'),
      'the value before in the writer',
    );
    curationMap(writer.doc).set(first.id, { label: `ask ${EMAIL}` });
    await waitFor(() => refusals() === 3, 'the curation refused');
    // The same provider changes the same keys again, cleanly: each builds on its refused change.
    metaMap(writer.doc).set('commander', 'Sam');
    curationMap(writer.doc).set(first.id, { label: 'ask the customer', pinned: true });
    const fine = makeEntry('finding', { body: 'customer [email-3f9a2c] reports failures' });
    entriesMap(writer.doc).set(fine.id, fine);
    await waitFor(() => entriesMap(watcher.doc).has(fine.id), 'the entry after the refusals');
    await waitFor(() => metaMap(watcher.doc).get('commander') === 'Sam', 'the meta after the refusal');
    await waitFor(
      () => curationMap(watcher.doc).get(first.id)?.pinned === true,
      'the curation after the refusal',
    );
    expect(warnings.slice(seen).filter((w) => w.includes('gate.unresolved'))).toEqual([]);
    await appendLands(id, watcher);
    await settle(t.server, id);
    expect((await t.api.getIncident(id)).incident.commander).toBe('Sam');
  });

  // Each root alone: the writer's next change builds on its refused one at once (before the
  // fill reaches it), nobody else is ever sent the refused value, the writer ends where everyone
  // else is, and the fill is stored: a restart replays it.
  type Variant = {
    before(doc: Y.Doc, at: string): void;
    change(doc: Y.Doc, at: string, leak: boolean): void;
    shows(doc: Y.Doc, at: string): string | undefined;
  };
  const variants: Record<'entries' | 'meta' | 'curation', Variant> = {
    entries: {
      before: () => {},
      change: (doc, _at, leak) => {
        const e = makeEntry('note', { body: leak ? `customer ${EMAIL}` : 'customer asked to retry' });
        entriesMap(doc).set(e.id, e);
      },
      // The writer's own refused entry stays in its document until it syncs again (see below).
      shows: (doc) => [...entriesMap(doc).values()].find((e) => e.body === 'customer asked to retry')?.body,
    },
    meta: {
      before: (doc) => metaMap(doc).set('commander', 'Alice'),
      change: (doc, _at, leak) => metaMap(doc).set('commander', leak ? `Sam ${EMAIL}` : 'Sam'),
      shows: (doc) => metaMap(doc).get('commander') as string | undefined,
    },
    curation: {
      before: (doc, at) => curationMap(doc).set(at, { label: 'first look' }),
      change: (doc, at, leak) =>
        curationMap(doc).set(at, { label: leak ? `ask ${EMAIL}` : 'ask the customer' }),
      shows: (doc, at) => curationMap(doc).get(at)?.label,
    },
  };
  const after = { entries: 'customer asked to retry', meta: 'Sam', curation: 'ask the customer' };
  const restored = { entries: undefined, meta: 'Alice', curation: 'first look' };

  for (const [root, v] of Object.entries(variants) as [keyof typeof variants, Variant][]) {
    it(`a stock provider whose ${root} change was refused changes it again at once, and that lands, durably`, async () => {
      const id = await newIncident(`refused ${root} change`);
      const frames: Buffer[] = [];
      const watcher = connectProvider(
        t.server.url,
        id,
        t.token,
        undefined,
        'params',
        recordingSocket(frames),
      );
      providers.push(watcher);
      const writer = await connect(id);
      await synced(watcher);
      const first = await appendLands(id, writer);
      v.before(writer.doc, first.id);
      if (restored[root])
        await waitFor(() => v.shows(watcher.doc, first.id) === restored[root], 'the first value');
      const seen = warnings.length;
      v.change(writer.doc, first.id, true);
      await waitFor(() => warnings.slice(seen).some((w) => w.includes('gate.private')), 'the change refused');
      v.change(writer.doc, first.id, false);
      await waitFor(() => v.shows(watcher.doc, first.id) === after[root], 'the next change in the watcher');
      await waitFor(() => v.shows(writer.doc, first.id) === after[root], 'the next change in the writer');
      expect(warnings.slice(seen).filter((w) => w.includes('gate.'))).toHaveLength(1);
      if (root !== 'entries')
        expect(watcher.doc.getMap(root).toJSON()).toEqual(writer.doc.getMap(root).toJSON());
      expect(Buffer.concat(frames).toString('utf8')).not.toContain(EMAIL);
      await settle(t.server, id);
      const log = await t.server.store.readLog(id);
      expect(log.map((r) => Buffer.from(r.bytes).toString('utf8')).join('\n')).not.toContain(EMAIL);
      await t.restart();
      const fresh = await connect(id);
      expect(v.shows(fresh.doc, first.id)).toBe(after[root]);
      await waitFor(() => v.shows(writer.doc, first.id) === after[root] && writer.synced, 'the writer back');
      expect(fresh.doc.getMap(root).toJSON()).toEqual(writer.doc.getMap(root).toJSON());
    });
  }

  it("lands writes after the server's own view write the gate refused (a commander view quoting an SSN)", async () => {
    const id = await newIncident('after a refused view');
    const watcher = await connect(id);
    fake.answerWith((req) => {
      const answer = carefulAnswer(req);
      if (answer.kind !== 'tool') return answer;
      return {
        ...answer,
        input: {
          ...(answer.input as object),
          impact: { text: `customer SSN ${SSN}`, cites: [req.data.newEntries[0]?.id] },
        },
      };
    });
    const runs = fake.requests.length;
    const first = makeEntry('finding', { body: 'payroll export failing' });
    await responder.appendEntries(id, { entries: [first] });
    const rejects = async () =>
      (await t.api.listAudit({ incident: id, action: 'reject', limit: 10 })).records.map(
        (r) => r.detail.code,
      );
    await waitFor(async () => (await rejects()).includes('gate.private') || null, 'the view write refused');
    expect(fake.requests.length).toBeGreaterThan(runs);
    expect(readView(watcher.doc, 'commander')).toBeFalsy();
    fake.answerWith(carefulAnswer);
    const fine = await appendLands(id, watcher);
    await waitFor(
      () => readView(watcher.doc, 'commander')?.watermark === fine.id || null,
      'the next commander view',
    );
    await appendLands(id, watcher);
  });
});
