// The Yjs patch (patches/yjs@13.6.33.patch): a ContentAny read from an update keeps its values
// encoded until first read. What it must keep: every value reads back as written, encoding gives
// the same bytes read or unread, splits and merges still work, and bad bytes are still refused
// (structure and bounds when applied, invalid UTF-8 when first read).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

const VALUES: Record<string, unknown> = {
  null: null,
  int: -123456789,
  float: 0.1,
  big: 2 ** 40 + 0.5,
  bool: true,
  no: false,
  text: 'café 中文 🚨 \uFFFD',
  empty: '',
  object: { v: 1, id: 'e1', author: { id: 'r', kind: 'harness' }, tags: ['a', 'b'], n: null },
  list: [1, 'two', { three: 3 }, [4], false],
  bytes: new Uint8Array([0, 1, 254, 255]),
};

function source(): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap('entries');
  for (const [k, v] of Object.entries(VALUES)) map.set(k, v);
  doc.getArray('list').push([1, 2, 3, 'four', { five: 5 }]);
  return doc;
}

function copyOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

describe('yjs ContentAny (patched)', () => {
  it('is the patched class, in the ES module and the CommonJS build alike', () => {
    expect(String(Y.ContentAny)).toContain('_raw');
    const cjs = createRequire(import.meta.url)('yjs') as typeof Y;
    expect(String(cjs.ContentAny)).toContain('_raw');
  });

  it('reads every kind of value back as written', () => {
    const doc = copyOf(Y.encodeStateAsUpdate(source()));
    expect(doc.getMap('entries').toJSON()).toEqual(VALUES);
    expect(doc.getArray('list').toJSON()).toEqual([1, 2, 3, 'four', { five: 5 }]);
  });

  it('encodes the same bytes before and after its values are read, in both update formats', () => {
    const original = Y.encodeStateAsUpdate(source());
    const doc = copyOf(original);
    const unread = Y.encodeStateAsUpdate(doc);
    const unreadV2 = Y.encodeStateAsUpdateV2(doc);
    doc.getMap('entries').toJSON();
    doc.getArray('list').toJSON();
    expect(Buffer.compare(unread, original)).toBe(0);
    expect(Buffer.compare(Y.encodeStateAsUpdate(doc), original)).toBe(0);
    expect(Buffer.compare(unreadV2, Y.encodeStateAsUpdateV2(doc))).toBe(0);
    const viaV2 = new Y.Doc();
    Y.applyUpdateV2(viaV2, unreadV2);
    expect(viaV2.getMap('entries').toJSON()).toEqual(VALUES);
  });

  it('splits an unread run of values when something is inserted inside it or a diff starts inside it', () => {
    const a = source();
    const base = Y.encodeStateAsUpdate(a);
    const b = copyOf(base);
    b.getArray('list').insert(2, ['inserted']);
    expect(b.getArray('list').toJSON()).toEqual([1, 2, 'inserted', 3, 'four', { five: 5 }]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(a.getArray('list').toJSON()).toEqual(b.getArray('list').toJSON());
    // The list's five values are one struct at clocks 11-15 (after the 11 map values): a diff
    // from clock 13 writes only the last three, from a copy that never read them.
    const unread = copyOf(base);
    const tail = Y.diffUpdate(Y.encodeStateAsUpdate(unread), Y.encodeStateVector(new Map([[a.clientID, 13]])));
    const [first] = Y.decodeUpdate(tail).structs as Y.Item[];
    expect(first?.id.clock).toBe(13);
    expect((first?.content as Y.ContentAny).arr).toEqual([3, 'four', { five: 5 }]);
    const merged = Y.mergeUpdates([base, Y.encodeStateAsUpdate(b)]);
    expect(copyOf(merged).getArray('list').toJSON()).toEqual(b.getArray('list').toJSON());
  });

  it('refuses an update cut off inside a value when it is applied', () => {
    const update = Y.encodeStateAsUpdate(source());
    const at = Buffer.from(update).indexOf('café');
    expect(() => Y.applyUpdate(new Y.Doc(), update.subarray(0, at + 2))).toThrow();
  });

  it('refuses an unknown value type when it is applied', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 'AAAA');
    const update = Y.encodeStateAsUpdate(doc);
    const at = Buffer.from(update).indexOf('AAAA');
    const bad = Uint8Array.from(update);
    bad[at - 2] = 3; // the type byte before the string's length
    expect(() => Y.applyUpdate(new Y.Doc(), bad)).toThrow();
  });

  it('refuses invalid UTF-8 when the value is first read', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', { body: 'AAAA' });
    const bad = Uint8Array.from(Y.encodeStateAsUpdate(doc));
    bad.set([0x41, 0xff, 0xfe, 0x41], Buffer.from(bad).indexOf('AAAA'));
    const copy = copyOf(bad);
    expect(() => copy.getMap('m').get('k')).toThrow(TypeError);
  });
});
