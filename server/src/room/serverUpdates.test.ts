import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_ENTRIES_PER_UPDATE } from '../gate/WriteGate.js';
import {
  encodeDeletes,
  encodeMapInserts,
  encodeMapSets,
  holding,
  updateParts,
  withoutContent,
} from './serverUpdates.js';

describe('server updates', () => {
  it('makes an update that Yjs applies as new map keys', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      encodeMapInserts(42, 0, 'entries', [
        ['a', { n: 1 }],
        ['b', 'two'],
      ]).bytes,
    );
    expect(doc.getMap('entries').toJSON()).toEqual({ a: { n: 1 }, b: 'two' });
    expect(Y.getState(doc.store, 42)).toBe(2);
  });

  it("splits values into parts by size and by the gate's count per update", () => {
    expect(updateParts(['aaaa', 'bbbb', 'cc'], 14).map((p) => p.length)).toEqual([2, 1]);
    const many = Array.from({ length: 2 * MAX_ENTRIES_PER_UPDATE + 1 }, (_, i) => i);
    expect(updateParts(many).map((p) => p.length)).toEqual([
      MAX_ENTRIES_PER_UPDATE,
      MAX_ENTRIES_PER_UPDATE,
      1,
    ]);
  });

  it('continues the clock of the same client across updates', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodeMapInserts(7, 0, 'meta', [['title', 'x']]).bytes);
    Y.applyUpdate(doc, encodeMapInserts(7, 1, 'entries', [['c', 3]]).bytes);
    expect(doc.getMap('entries').get('c')).toBe(3);
    expect(doc.getMap('meta').get('title')).toBe('x');
    expect(Y.getState(doc.store, 7)).toBe(2);
  });

  it('is byte-identical to what Yjs encodes for the same change', () => {
    const made = new Y.Doc();
    made.clientID = 9;
    made.getMap('entries').set('k', { v: 1 });
    expect(encodeMapInserts(9, 0, 'entries', [['k', { v: 1 }]]).bytes).toEqual(Y.encodeStateAsUpdate(made));
  });

  it('overwrites a key as Y.Map#set does: same structs, and every replica ends on the new value', () => {
    const first = new Y.Doc();
    first.clientID = 9;
    first.getMap('view').set('rules', { n: 1 });
    const base = Y.encodeStateAsUpdate(first);
    const before = Y.encodeStateVector(first);
    first.getMap('view').set('rules', { n: 2 });
    const live = new Y.Doc();
    Y.applyUpdate(live, base);
    const { bytes: update } = encodeMapSets(9, 1, 'view', [['rules', { n: 2 }]], live.getMap('view'));
    // Yjs's own update for the change carries the same struct; the old value's delete is implied.
    expect(Y.decodeUpdate(update).structs).toEqual(
      Y.decodeUpdate(Y.encodeStateAsUpdate(first, before)).structs,
    );
    const replica = new Y.Doc();
    Y.applyUpdate(replica, base);
    Y.applyUpdate(replica, update);
    Y.applyUpdate(live, update);
    expect(live.getMap('view').toJSON()).toEqual({ rules: { n: 2 } });
    expect(Y.encodeStateAsUpdate(replica)).toEqual(Y.encodeStateAsUpdate(live));
  });

  it('encodes nothing as an empty update', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodeMapInserts(1, 0, 'entries', []).bytes);
    expect(doc.getMap('entries').size).toBe(0);
  });

  it('rewrites an update so one item loses its content and keeps its clock', () => {
    const author = new Y.Doc();
    author.getMap('entries').set('keep', { body: 'fine' });
    author.getMap('entries').set('leak', { body: 'hunter2-password' });
    author.getMap('meta').set('title', 'x');
    author.getMap('meta').set('title', 'y'); // a delete set in the same update
    const update = Y.encodeStateAsUpdate(author);
    const item = (author.getMap('entries') as unknown as { _map: Map<string, Y.Item> })._map.get('leak');
    const rewritten = withoutContent(
      update,
      holding({ client: author.clientID, clock: item?.id.clock ?? -1 }),
    );
    expect(rewritten).not.toBeNull();
    expect(Buffer.from(rewritten ?? []).toString('latin1')).not.toContain('hunter2');
    const replay = new Y.Doc();
    Y.applyUpdate(replay, rewritten ?? new Uint8Array());
    expect(replay.getMap('entries').toJSON()).toEqual({ keep: { body: 'fine' } });
    expect(replay.getMap('meta').get('title')).toBe('y');
    expect(Y.encodeStateVector(replay)).toEqual(Y.encodeStateVector(author));
    expect(withoutContent(update, holding({ client: author.clientID + 1, clock: 0 }))).toBeNull();
  });

  it('rewrites an item of any root and leaves the rest of the update in place', () => {
    const author = new Y.Doc();
    author.getMap('entries').set('a', 1);
    author.getMap('meta').set('t', 1);
    author.getMap('meta').set('t', 2);
    const update = Y.encodeStateAsUpdate(author);
    const clock =
      (author.getMap('meta') as unknown as { _map: Map<string, Y.Item> })._map.get('t')?.id.clock ?? 0;
    const rewritten = withoutContent(update, holding({ client: author.clientID, clock }));
    const replay = new Y.Doc();
    Y.applyUpdate(replay, rewritten ?? new Uint8Array());
    expect(replay.getMap('entries').get('a')).toBe(1);
    expect(replay.getMap('meta').has('t')).toBe(false);
  });

  it('encodes a delete-only update that Yjs applies', () => {
    const author = new Y.Doc();
    author.getMap('entries').set('gone', 1);
    const replay = new Y.Doc();
    Y.applyUpdate(replay, Y.encodeStateAsUpdate(author));
    Y.applyUpdate(replay, encodeDeletes([{ client: author.clientID, clock: 0, length: 1 }]));
    expect(replay.getMap('entries').has('gone')).toBe(false);
  });
});
