// A refused write changes nothing, and writes after it land (issue 24): under a policy that
// refuses a type, an HTTP append the sanitizer refuses, one the room refuses, and the server's
// own view write the gate refuses (a model's commander view quoting private data) are each
// followed by writes to the same incident that are stored and relayed to a stock provider.
import { ApiClient, entriesMap, readView } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type FakeAnthropic, carefulAnswer, startFakeAnthropic } from '../support/fakeAnthropic.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

const SSN = '078-05-1120';

describe('writes after a refused write (pglite, ssn=refuse)', () => {
  let fake: FakeAnthropic;
  let t: Fixture;
  let responder: ApiClient;
  const providers: WebsocketProvider[] = [];

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
