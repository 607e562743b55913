// What the views cost the log: presence never writes it (nothing presence-derived is in the
// document), and the server writes its views as diffs, so one new finding on a 2,000-theory
// incident logs a few hundred bytes where the whole rules view (a 339 KB value) used to be logged.
import { type Entry, readView } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

const THEORIES = 2_000;

describe.each(BACKENDS)('view writes and the log (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  let theories: Entry[];
  const providers: WebsocketProvider[] = [];
  const logBytesAfter = async (seq: number) =>
    (await f.server.store.readLog(incident, seq)).reduce((n, r) => n + r.bytes.byteLength, 0);

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'two thousand theories' })).incident.id;
    theories = Array.from({ length: THEORIES }, (_, i) =>
      makeEntry('theory', { title: `theory ${i}: the pool is exhausted on shard ${i}` }),
    );
    for (let i = 0; i < THEORIES; i += 500)
      await f.api.appendEntries(incident, { entries: theories.slice(i, i + 500) });
    // One leading theory, so a finding on it changes no other card's state.
    await f.api.appendEntries(incident, {
      entries: [makeEntry('finding', { refs: [theories[0]?.id ?? ''] })],
    });
    await settle(f.server, incident);
  }, 120_000);
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await f.close();
  });

  it('writes nothing to the log while viewers change their presence', async () => {
    const viewer = (await f.api.createToken({ role: 'viewer', label: 'watching' })).token;
    const [a, b] = [
      connectProvider(f.server.url, incident, viewer),
      connectProvider(f.server.url, incident, viewer),
    ];
    providers.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const before = (await f.api.getIncident(incident)).incident.lastSeq;
    const room = await f.server.rooms.open(incident);
    const last = theories[19]?.id;
    for (const [i, t] of theories.slice(0, 20).entries()) {
      a.awareness.setLocalState({ name: 'Ana', kind: 'human', focus: t.id });
      b.awareness.setLocalState({ name: 'Bo', kind: 'human', focus: t.id }); // two on one theory
      await new Promise((r) => setTimeout(r, i === 19 ? 0 : 25));
    }
    // The node has seen the last presence of both, and any view work it caused is done.
    await waitFor(
      () =>
        [...room.awareness.getStates().values()].filter((s) => (s as { focus?: string }).focus === last)
          .length === 2,
      'the last presence',
    );
    await settle(f.server, incident);
    expect((await f.api.getIncident(incident)).incident.lastSeq).toBe(before);
    expect(await logBytesAfter(before)).toBe(0);
    expect((await f.api.view(incident)).rules?.warnings.filter((w) => w.code === 'duplicate_work')).toEqual(
      [],
    );
  }, 60_000);

  it('logs a new finding and the view parts it changed, not the whole view', async () => {
    const before = (await f.api.getIncident(incident)).incident.lastSeq;
    const finding = makeEntry('finding', { refs: [theories[0]?.id ?? ''], body: 'one more pool graph' });
    await f.api.appendEntries(incident, { entries: [finding] });
    await settle(f.server, incident);
    const view = await f.api.view(incident);
    expect(view.rules?.theories.find((t) => t.id === theories[0]?.id)?.support).toContain(finding.id);
    expect(view.rules?.theories).toHaveLength(THEORIES);
    // The finding's row plus the view's diff: a few hundred bytes, where the rules view alone is
    // hundreds of kilobytes.
    expect(JSON.stringify(view.rules).length).toBeGreaterThan(250_000);
    expect(await logBytesAfter(before)).toBeLessThan(4_000);
    // A stock provider reads the same view from the document as the API serves.
    const reader = connectProvider(f.server.url, incident, f.token);
    providers.push(reader);
    await synced(reader);
    await waitFor(() => readView(reader.doc, 'rules')?.watermark === finding.id, 'the view in the document');
    expect(readView(reader.doc, 'rules')).toEqual(view.rules);
  }, 60_000);
});
