// The derived views ride the commit of their entries when a run of them is due (CommitViews): a
// quiet incident's entry and the view parts it changes are one transaction, and the views are
// current once the append is acknowledged; what they quote is redacted under the policy as in a
// write of their own; a busy incident's views keep their pacing (at most one run a second).
import { readView } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture } from '../support/server.js';

const EMAIL = 'dana.ops@example.com';
/** Longer than the views' interval (one run a second): the next entry finds a run due. */
const QUIET_MS = 1_100;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('views with the commit of their entries (%s)', (backend) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture(backend);
  });
  afterAll(async () => {
    await f.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Rows of each log append from now on. */
  const appends = () => {
    const rows: number[] = [];
    const append = f.server.store.appendUpdates.bind(f.server.store);
    vi.spyOn(f.server.store, 'appendUpdates').mockImplementation((id, items) => {
      rows.push(items.length);
      return append(id, items);
    });
    return rows;
  };

  const quietIncident = async (title: string) => {
    const id = (await f.api.createIncident({ title })).incident.id;
    const room = await f.server.rooms.open(id);
    await f.api.appendEntries(id, { entries: [makeEntry('theory', { title: 'the pool is exhausted' })] });
    await settle(f.server, id);
    await pause(QUIET_MS);
    return { id, room };
  };

  it("writes a quiet incident's entry and its view changes in one commit, current once acknowledged", async () => {
    const { id, room } = await quietIncident('one commit per entry');
    const rows = appends();
    const finding = makeEntry('finding', { body: 'p99 doubled at 14:02' });
    await f.api.appendEntries(id, { entries: [finding] });
    // Applied with the entry, before the append was acknowledged.
    expect(readView(room.doc, 'rules')?.watermark).toBe(finding.id);
    expect(readView(room.doc, 'rules')?.counts.finding).toBe(1);
    await settle(f.server, id);
    expect(rows).toEqual([2]); // the entry's row and the view's, nothing after
  });

  it('redacts what those view changes quote that the policy no longer allows', async () => {
    const id = (await f.api.createIncident({ title: 'allowed, then withdrawn' })).incident.id;
    const room = await f.server.rooms.open(id);
    await f.api.setAllowances(id, ['email']);
    const theory = makeEntry('theory', { title: `checkout double-charges ${EMAIL}` });
    await f.api.appendEntries(id, { entries: [theory] });
    await settle(f.server, id);
    await f.api.setAllowances(id, []);
    await pause(QUIET_MS);
    const rows = appends();
    const support = makeEntry('finding', { body: 'the retry path charges twice', refs: [theory.id] });
    await f.api.appendEntries(id, { entries: [support] });
    const card = readView(room.doc, 'rules')?.theories.find((c) => c.id === theory.id);
    expect(card?.support).toContain(support.id);
    expect(card?.title).toMatch(/checkout double-charges \[email-[0-9a-f]+\]/);
    expect(rows).toEqual([2]);
    const rejects = await f.api.listAudit({ incident: id, action: 'reject', limit: 100 });
    expect(rejects.records.map((r) => r.detail.code)).not.toContain('gate.private');
  });

  it("leaves a busy incident's views to their pacing: at most one run a second", async () => {
    const { id, room } = await quietIncident('busy');
    const rows = appends();
    const first = makeEntry('finding', { body: 'first' });
    await f.api.appendEntries(id, { entries: [first] });
    const second = makeEntry('finding', { body: 'second' });
    await f.api.appendEntries(id, { entries: [second] });
    // The first carried a run of the views; the second came within the second after it.
    expect(rows).toEqual([2, 1]);
    expect(readView(room.doc, 'rules')?.watermark).toBe(first.id);
    await settle(f.server, id);
    expect(readView(room.doc, 'rules')?.watermark).toBe(second.id);
    expect(rows).toEqual([2, 1, 1]); // the paced run, a second after the first
  });
});
