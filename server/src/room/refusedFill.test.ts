import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PendingWrites } from '../gate/PendingWrites.js';
import { inspectUpdate, refusedRanges } from '../gate/WriteGate.js';
import { BatchValues, encodeFill, planFill } from './refusedFill.js';
import { encodeMapSets } from './serverUpdates.js';

const SERVER = 1_000_000;
const RESTORE = 7;
const WRITER = 3_000_000_000; // a stock client's id: a random 32-bit number

/** A server document whose meta.commander is Alice, and a writer's document synced to it. */
function setUp() {
  const server = new Y.Doc();
  Y.applyUpdate(server, encodeMapSets(SERVER, 0, 'meta', [['commander', 'Alice']], null).bytes);
  const writer = new Y.Doc();
  writer.clientID = WRITER;
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
  const sent: Uint8Array[] = [];
  writer.on('update', (u: Uint8Array, origin: unknown) => origin !== 'server' && sent.push(u));
  const broadcast: Uint8Array[] = [];
  server.on('update', (u: Uint8Array) => broadcast.push(u));
  /** The server refuses `update` and applies its fill, as the room commits it. */
  const refuse = (update: Uint8Array) => {
    const pending = new PendingWrites();
    const fill = planFill(server, pending, update, refusedRanges(server, pending, update));
    const { update: filled } = encodeFill(fill, {
      client: RESTORE,
      clock: Y.getState(server.store, RESTORE),
      valueBefore: new BatchValues(server).before,
    });
    inspectUpdate(server, pending, filled, 'server');
    Y.applyUpdate(server, filled);
    return filled;
  };
  const toWriter = () => {
    for (const u of broadcast.splice(0)) Y.applyUpdate(writer, u, 'server');
  };
  /** The writer's update, checked by the gate as a commander's and applied by the server. */
  const accept = (update: Uint8Array) => {
    inspectUpdate(server, new PendingWrites(), update, 'commander');
    Y.applyUpdate(server, update);
  };
  return { server, writer, sent, refuse, toWriter, accept };
}

describe('the fill of a refused update', () => {
  it("fills a refused meta change with a deleted item and sets the value back; the writer's next change lands", () => {
    const { server, writer, sent, refuse, toWriter, accept } = setUp();
    writer.getMap('meta').set('commander', 'Sam jane.doe@example.com');
    const filled = refuse(sent.splice(0)[0] as Uint8Array);
    expect(Buffer.from(filled).toString('latin1')).not.toContain('jane.doe');
    expect(server.getMap('meta').get('commander')).toBe('Alice');
    toWriter();
    expect(writer.getMap('meta').get('commander')).toBe('Alice');
    writer.getMap('meta').set('commander', 'Sam');
    accept(sent.splice(0)[0] as Uint8Array);
    expect(server.getMap('meta').get('commander')).toBe('Sam');
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(writer));
  });

  it("keeps the writer's next change when it was made before the fill reached it", () => {
    const { server, writer, sent, refuse, toWriter, accept } = setUp();
    writer.getMap('meta').set('commander', 'Sam jane.doe@example.com');
    refuse(sent.splice(0)[0] as Uint8Array);
    writer.getMap('meta').set('commander', 'Sam'); // builds on its refused change
    accept(sent.splice(0)[0] as Uint8Array);
    toWriter();
    expect(server.getMap('meta').get('commander')).toBe('Sam');
    expect(writer.getMap('meta').get('commander')).toBe('Sam');
  });

  it('leaves a new key deleted (nothing to set back) and its next change lands', () => {
    const { server, writer, sent, refuse, toWriter, accept } = setUp();
    const key = '01JABCDEFGHJKMNPQRSTVWXYZ0';
    writer.getMap('curation').set(key, { label: 'ask jane.doe@example.com' });
    refuse(sent.splice(0)[0] as Uint8Array);
    toWriter();
    expect(server.getMap('curation').has(key)).toBe(false);
    expect(writer.getMap('curation').has(key)).toBe(false);
    writer.getMap('curation').set(key, { pinned: true });
    accept(sent.splice(0)[0] as Uint8Array);
    expect(server.getMap('curation').get(key)).toEqual({ pinned: true });
  });

  it('fills a refused entry with a GC struct, so the id stays free and later entries integrate', () => {
    const { server, writer, sent, refuse } = setUp();
    const [refused, later] = ['01JABCDEFGHJKMNPQRSTVWXYZ1', '01JABCDEFGHJKMNPQRSTVWXYZ2'];
    writer.getMap('entries').set(refused, 1);
    refuse(sent.splice(0)[0] as Uint8Array);
    const gc = server.store.clients.get(WRITER)?.[0];
    expect(gc).toBeInstanceOf(Y.GC);
    writer.getMap('entries').set(later, 2);
    Y.applyUpdate(server, sent.splice(0)[0] as Uint8Array);
    expect(server.getMap('entries').toJSON()).toEqual({ [later]: 2 });
  });

  it('sets back the value a write ahead of it in the same commit left', () => {
    const { server, writer, sent } = setUp();
    writer.getMap('meta').set('commander', 'Bob');
    const accepted = sent.splice(0)[0] as Uint8Array;
    const pending = new PendingWrites();
    const inspection = inspectUpdate(server, pending, accepted, 'commander');
    pending.add(inspection.structs);
    writer.getMap('meta').set('commander', 'Sam jane.doe@example.com');
    const refused = sent.splice(0)[0] as Uint8Array;
    const fill = planFill(server, pending, refused, refusedRanges(server, pending, refused));
    const values = new BatchValues(server);
    values.wrote(accepted, inspection.structs);
    const { update } = encodeFill(fill, { client: RESTORE, clock: 0, valueBefore: values.before });
    Y.applyUpdate(server, accepted);
    Y.applyUpdate(server, update);
    expect(server.getMap('meta').get('commander')).toBe('Bob');
  });

  it('leaves a key deleted when a write ahead of it in the same commit deleted it', () => {
    const { server, writer, sent } = setUp();
    writer.getMap('meta').delete('commander');
    const accepted = sent.splice(0)[0] as Uint8Array;
    const pending = new PendingWrites();
    const inspection = inspectUpdate(server, pending, accepted, 'commander');
    pending.add(inspection.structs);
    writer.getMap('meta').set('commander', 'Sam jane.doe@example.com');
    const refused = sent.splice(0)[0] as Uint8Array;
    const fill = planFill(server, pending, refused, refusedRanges(server, pending, refused));
    const values = new BatchValues(server);
    values.wrote(accepted, inspection.structs);
    const { update, used } = encodeFill(fill, { client: RESTORE, clock: 0, valueBefore: values.before });
    Y.applyUpdate(server, accepted);
    Y.applyUpdate(server, update);
    expect(used).toBe(0);
    expect(server.getMap('meta').has('commander')).toBe(false);
  });

  it('sets back a value set ahead in the commit and deleted by a later write ahead of it: none', () => {
    const { server, writer, sent } = setUp();
    const pending = new PendingWrites();
    const values = new BatchValues(server);
    const ahead: Uint8Array[] = [];
    for (const change of [
      () => writer.getMap('meta').set('commander', 'Bob'),
      () => writer.getMap('meta').delete('commander'),
    ]) {
      change();
      const update = sent.splice(0)[0] as Uint8Array;
      const inspection = inspectUpdate(server, pending, update, 'commander');
      pending.add(inspection.structs);
      values.wrote(update, inspection.structs);
      ahead.push(update);
    }
    writer.getMap('meta').set('commander', 'Sam jane.doe@example.com');
    const refused = sent.splice(0)[0] as Uint8Array;
    const fill = planFill(server, pending, refused, refusedRanges(server, pending, refused));
    const { used } = encodeFill(fill, { client: RESTORE, clock: 0, valueBefore: values.before });
    expect(used).toBe(0);
    expect(values.before('meta', 'commander')).toBeUndefined();
  });
});
