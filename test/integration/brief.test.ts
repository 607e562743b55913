// The brief's "new since your last brief" goes by log position: an entry delivered late with an
// older id (an offline queue, a clock behind) is new, and one id far in the future blinds no
// later brief, because such ids are refused where they arrive (more than 24 h ahead). Older
// clients' `since=ENTRY_ID` still works: it stands for the position where that entry landed.
import { type Entry, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, makeEntry, sendForAck, synced } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';
import * as Y from 'yjs';

const HOUR = 3_600_000;

/** An entry id made at `ms` by a writer whose clock says so (not the test's monotonic ids). */
function idAt(ms: number): string {
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = (crockford[t % 32] ?? '0') + time;
  return time + Array.from({ length: 16 }, () => crockford[Math.floor(Math.random() * 32)]).join('');
}

describe.each(BACKENDS)('the brief across writers and clocks (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  const providers: WebsocketProvider[] = [];
  const brief = (since?: number | string) => f.api.brief(incident, { since, maxTokens: 20_000 });
  const changed = async (since?: number | string) => (await brief(since)).brief.changes.map((c) => c.id);

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'clocks' })).incident.id;
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await f.close();
  });

  it('reports what landed after the last brief, whatever its id says', async () => {
    const first = makeEntry('finding', { body: 'before the brief' });
    await f.api.appendEntries(incident, { entries: [first] });
    const { brief: b1 } = await brief();
    expect(b1.changes).toEqual([]);
    expect(b1.seq).toBeGreaterThan(0);

    // From an offline queue, an hour late: its id sorts before everything written since.
    const late: Entry = {
      ...makeEntry('finding', { body: 'queued offline for an hour' }),
      id: idAt(Date.now() - HOUR),
    };
    const writer = connectProvider(f.server.url, incident, f.token);
    providers.push(writer);
    await synced(writer);
    entriesMap(writer.doc).set(late.id, late);
    const fresh = makeEntry('finding', { body: 'written just now' });
    await waitFor(
      async () => (await f.api.listEntries(incident, { limit: 100 })).entries.some((e) => e.id === late.id),
      'the late entry to land',
    );
    await f.api.appendEntries(incident, { entries: [fresh] });

    const { brief: b2 } = await brief(b1.seq);
    expect(late.id < first.id).toBe(true);
    expect(b2.changes.map((c) => c.id)).toEqual([fresh.id, late.id]); // newest landing first
    expect(await changed(b2.seq)).toEqual([]);
    // An older client passes the last brief's newest entry id: the position where it landed.
    expect(await changed(first.id)).toEqual([fresh.id, late.id]);
    expect(await changed(fresh.id)).toEqual([]);
  });

  it('refuses entry ids more than 24 h ahead, over HTTP and on a socket, so none blinds a later brief', async () => {
    const { brief: before } = await brief();
    const farAhead = {
      ...makeEntry('note', { body: 'from the year 10889' }),
      id: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ',
    };
    const dayAhead = {
      ...makeEntry('note', { body: 'from a clock 25 h ahead' }),
      id: idAt(Date.now() + 25 * HOUR),
    };
    for (const e of [farAhead, dayAhead]) {
      await expect(f.api.appendEntries(incident, { entries: [makeEntry('note'), e] })).rejects.toMatchObject({
        code: 'gate.schema',
        message: expect.stringContaining('24 h ahead'),
      });
      const doc = new Y.Doc();
      const update = (() => {
        entriesMap(doc).set(e.id, e);
        return Y.encodeStateAsUpdate(doc);
      })();
      expect(await sendForAck(f.server.url, incident, f.token, update)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('24 h ahead'),
      });
    }
    // A clock an hour ahead is within the bound.
    const hourAhead = {
      ...makeEntry('note', { body: 'from a clock an hour ahead' }),
      id: idAt(Date.now() + HOUR),
    };
    await f.api.appendEntries(incident, { entries: [hourAhead] });
    const stored = (await f.api.listEntries(incident, { limit: 100 })).entries.map((e) => e.id);
    expect(stored).not.toContain(farAhead.id);
    expect(stored).not.toContain(dayAhead.id);
    // Nothing of the refused batches was written, and what comes after is new to the next brief.
    const after = makeEntry('finding', { body: 'after the clock trouble' });
    await f.api.appendEntries(incident, { entries: [after] });
    expect(await changed(before.seq)).toEqual([after.id, hourAhead.id]); // by landing, though hourAhead's id sorts last
  });

  it('answers a since that is neither a position nor an entry id with 400, and an unknown entry id with no changes', async () => {
    await expect(f.api.brief(incident, { since: 'yesterday' })).rejects.toMatchObject({
      code: 'request.invalid',
    });
    const { brief: b } = await brief('01AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(b.changes).toEqual([]);
  });
});
