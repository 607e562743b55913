import { entriesMap, metaMap } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import { ClientOwners } from '../gate/ClientOwners.js';
import { planPurge } from '../room/purge.js';
import { ForeignCommits } from './ForeignCommits.js';
import { makeEntry } from '../../../test/support/clients.js';

const ID = 'inc-foreign';
/** A finding by a harness (test/support), its body given. */
const entry = (body: string) => makeEntry('finding', { body });

/** Another node's document, each change appended to the shared log as one row. */
async function otherNode(log: MemoryLog) {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => rows.push(u));
  const commit = async () =>
    log.appendUpdates(
      ID,
      rows.splice(0).map((bytes) => ({ bytes, entries: [] })),
    );
  return { doc, commit };
}

describe('foreign commits', () => {
  it("applies another node's rows in log order, from where this node is, up to a point", async () => {
    const log = new MemoryLog().create(ID);
    const there = await otherNode(log);
    const [a, b, c] = [entry('one'), entry('two'), entry('three')];
    for (const e of [a, b, c]) {
      entriesMap(there.doc).set(e.id, e);
      await there.commit();
    }
    const here = new Y.Doc();
    const origins: unknown[] = [];
    here.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const foreign = new ForeignCommits(here, ID, log, new ClientOwners(log, ID));
    const seen: number[] = [];
    expect(await foreign.apply(1, 2, (row) => seen.push(row.seq))).toMatchObject({ purged: false });
    expect(seen).toEqual([2]);
    await foreign.apply(0, undefined, (row) => seen.push(row.seq));
    expect(seen).toEqual([2, 1, 2, 3]);
    expect([...entriesMap(here).keys()].sort()).toEqual([a.id, b.id, c.id].sort());
    // Not a connection's origin, nor the room's: the sync layer sends them to every socket.
    expect(origins.every((o) => typeof o === 'symbol')).toBe(true);
  });

  it("reports another node's purge once", async () => {
    const log = new MemoryLog().create(ID);
    const there = await otherNode(log);
    const leaked = entry('leaked');
    entriesMap(there.doc).set(leaked.id, leaked);
    await there.commit();
    const here = new Y.Doc();
    const foreign = new ForeignCommits(here, ID, log, new ClientOwners(log, ID));
    expect(await foreign.apply(0, undefined, () => {})).toMatchObject({ purged: false });
    const { removal, rewrite } = planPurge(there.doc, ID, leaked.id);
    await log.purgeEntry(ID, leaked.id, rewrite, removal, { tokenId: 'admin', reason: 'leak' });
    expect(await foreign.apply(1, undefined, () => {})).toMatchObject({ purged: true });
    expect(entriesMap(here).has(leaked.id)).toBe(false);
    expect(await foreign.apply(2, undefined, () => {})).toMatchObject({ purged: false });
  });

  it("reports another node's change of the meta once, and no change for rows that leave it alone", async () => {
    const log = new MemoryLog().create(ID);
    const there = await otherNode(log);
    metaMap(there.doc).set('status', 'investigating');
    await there.commit();
    const finding = entry('one');
    entriesMap(there.doc).set(finding.id, finding);
    await there.commit();
    metaMap(there.doc).set('status', 'investigating'); // written again: a change, if of the same value
    await there.commit();
    const here = new Y.Doc();
    const foreign = new ForeignCommits(here, ID, log, new ClientOwners(log, ID));
    expect(await foreign.apply(0, 1, () => {})).toMatchObject({ metaChanged: true });
    expect(await foreign.apply(1, 2, () => {})).toMatchObject({ metaChanged: false });
    // A row held already changes nothing; a change of this node's own is not another node's.
    expect(await foreign.apply(0, 2, () => {})).toMatchObject({ metaChanged: false });
    metaMap(here).set('status', 'identified');
    expect(await foreign.apply(2, 2, () => {})).toMatchObject({ metaChanged: false });
    expect(await foreign.apply(2, 3, () => {})).toMatchObject({ metaChanged: true });
  });
});
