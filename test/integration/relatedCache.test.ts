// "Seen before" keeps its answers (IncidentMemory, per incident, query and reader's visibility
// class) while nothing they are made from changes: over real HTTP, on PGlite and Postgres, every
// change is seen by the very next answer, through the related route and through the brief (whose
// source is the room's entries): a purge, a privacy change, an allowance, a new entry in another
// incident or in the incident asked about, and readers of different visibility asking in turn.
// The related route reads the incident asked about from its room when the node holds it loaded.
import { ApiClient, type Entry, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const ERROR = '`zorblax: quantum flux capacitor refused`';
const SERVICE = 'fluxgate-api';

describe.each(BACKENDS)('kept answers of seen before on %s', (backend) => {
  let t: Fixture;
  let scoped: ApiClient;
  let here = '';
  const theory = (title: string, body: string): Entry =>
    makeEntry('theory', { id: newEntryId(), title, body });
  const incident = async (title: string, entries: Entry[]) => {
    const id = (await t.api.createIncident({ title })).incident.id;
    if (entries.length > 0) await t.api.appendEntries(id, { entries });
    return id;
  };
  /** A past incident like `here`: the same error string and service, in a theory. */
  const past = async (title: string) => {
    const e = theory(`${SERVICE} refuses the flux capacitor`, `${SERVICE} logs ${ERROR} on every call.`);
    return { id: await incident(title, [e]), entry: e };
  };
  const relatedTo = async (api: ApiClient, id = here) =>
    (await api.related(id)).related.map((r) => r.incident.id);
  const seenBefore = async (api: ApiClient, id = here) =>
    (await api.brief(id)).brief.seenBefore.map((item) => item.id);

  beforeAll(async () => {
    t = await startFixture(backend);
    here = await incident('Checkout down', [
      theory(`The flux capacitor on ${SERVICE}`, `Since 09:00 ${SERVICE} answers ${ERROR}.`),
    ]);
    const { token } = await t.api.createToken({ role: 'viewer', label: 'scoped', incidentId: here });
    scoped = new ApiClient(t.server.url, { token });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a purge takes the past entry out of the next answer', async () => {
    const { id, entry } = await past('Flux outage last month');
    expect(await relatedTo(t.api)).toContain(id);
    expect(await seenBefore(t.api)).toContain(id);
    await t.api.purgeEntry(id, entry.id, 'test: leaked');
    expect(await relatedTo(t.api)).not.toContain(id);
    expect(await seenBefore(t.api)).not.toContain(id);
  });

  it('an incident made private is gone at once for those who may no longer read it, and only for them', async () => {
    const { id } = await past('Flux outage, the security side');
    expect(await relatedTo(scoped)).toContain(id);
    expect(await seenBefore(scoped)).toContain(id);
    await t.api.setPrivate(id, true);
    expect(await relatedTo(scoped)).not.toContain(id);
    expect(await seenBefore(scoped)).not.toContain(id);
    // An admin reads private incidents: its class of readers has its own answers.
    expect(await relatedTo(t.api)).toContain(id);
    expect(await relatedTo(scoped)).not.toContain(id);
    await t.api.setPrivate(id, false);
    expect(await relatedTo(scoped)).toContain(id);
    await t.api.setPrivate(id, true); // out of the way of the tests after this one
  });

  it('an incident given an allowance is gone at once, and back when it is taken away', async () => {
    const { id } = await past('Flux outage with customer e-mails');
    expect(await seenBefore(t.api)).toContain(id);
    await t.api.setAllowances(id, ['email']);
    expect(await seenBefore(t.api)).not.toContain(id);
    expect(await relatedTo(t.api)).not.toContain(id);
    await t.api.setAllowances(id, []);
    expect(await seenBefore(t.api)).toContain(id);
  });

  it('a new entry in another incident is seen by the next answer', async () => {
    const id = await incident('Quiet incident', [makeEntry('finding', { body: 'nothing in common' })]);
    expect(await relatedTo(t.api)).not.toContain(id);
    expect(await seenBefore(t.api)).not.toContain(id);
    await t.api.appendEntries(id, {
      entries: [theory(`${SERVICE} again`, `${SERVICE} said ${ERROR} here too.`)],
    });
    expect(await relatedTo(t.api)).toContain(id);
    expect(await seenBefore(t.api)).toContain(id);
  });

  it('reads the incident asked about from its loaded room, and from the store only when it is not loaded', async () => {
    const { id } = await past('Flux outage in the other region');
    const read = vi.spyOn(t.server.store.memory, 'sourceOf');
    try {
      await t.server.rooms.open(here);
      const fromRoom = await relatedTo(scoped);
      expect(fromRoom).toContain(id);
      expect(read).not.toHaveBeenCalled();
      await t.server.rooms.sweep(0); // every room unloaded: the store is read, and says the same
      expect(t.server.rooms.loadedRoom(here)).toBeUndefined();
      expect(await relatedTo(scoped)).toEqual(fromRoom);
      expect(read).toHaveBeenCalledWith(here, expect.any(Number));
    } finally {
      read.mockRestore();
    }
  });

  it('a new entry in the incident asked about is seen by the next answer', async () => {
    const kraken = '`krakenmq: tentacle backlog exceeded`';
    const other = await incident('Queue backlog', [
      theory('krakenmq-broker fell behind', `krakenmq-broker logs ${kraken} at peak.`),
    ]);
    expect(await relatedTo(t.api)).not.toContain(other);
    expect(await seenBefore(t.api)).not.toContain(other);
    await t.api.appendEntries(here, {
      entries: [theory('krakenmq-broker backlog', `Also krakenmq-broker: ${kraken}.`)],
    });
    expect(await seenBefore(t.api)).toContain(other);
    expect(await relatedTo(t.api)).toContain(other);
  });
});
