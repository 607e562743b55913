import { newEntryId } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PendingWrites } from './PendingWrites.js';
import { ServerUpdate } from './ServerUpdate.js';
import { inspectUpdate } from './WriteGate.js';
import type { DecodedUpdate, DeleteSet, Struct } from './updateStructs.js';

const SERVER = 9;

/** An item as the server builds one: under `root` and `key`, after `left` when it overwrites. */
const item = (clock: number, root: string, key: string, value: unknown, left: Y.ID | null = null) =>
  new Y.Item(
    Y.createID(SERVER, clock),
    null,
    left,
    null,
    null,
    root as never,
    key,
    new Y.ContentAny([value]),
  );

/** What the gate reads of a decoded update, as plain data. */
const shape = ({ structs, ds }: DecodedUpdate) => ({
  structs: structs.map((s: Struct) => ({
    type: s.constructor.name,
    id: s.id,
    length: s.length,
    ...(s instanceof Y.Item && {
      origin: s.origin,
      rightOrigin: s.rightOrigin,
      parent: s.parent,
      parentSub: s.parentSub,
      content: s.content instanceof Y.ContentAny ? s.content.arr : s.content.constructor.name,
    }),
  })),
  ds: [...ds.clients],
});

const encode = (structs: Struct[], ds?: DeleteSet) =>
  ServerUpdate.encode([{ client: SERVER, clock: 0, structs }], ds);

describe('server update', () => {
  it('gives the gate the structs and deletes that decoding its bytes gives', () => {
    const entry = {
      id: 'e1',
      body: 'p99 rose 🚀',
      refs: ['a', 'b'],
      n: 1.5,
      big: 2 ** 40,
      neg: -0,
      none: null,
    };
    const update = encode(
      [
        item(0, 'entries', 'e1', entry),
        item(1, 'view', 'rules', { n: 2 }, Y.createID(7, 3)),
        item(2, 'meta', 'title', 'checkout'),
      ],
      {
        clients: new Map([
          [3, [{ clock: 0, len: 2 }]],
          [7, [{ clock: 3, len: 1 }]],
          [8, []],
        ]),
      },
    );
    const kept = ServerUpdate.decodedOf(update);
    expect(kept).not.toBeNull();
    // The overwrite's parent and key are not in its bytes: Yjs finds them through its origin.
    expect(shape(kept as DecodedUpdate)).toEqual(shape(Y.decodeUpdate(update.bytes) as DecodedUpdate));
  });

  it('leaves the decoding to the gate when a value would not come back the same', () => {
    const cases: unknown[] = [
      'half a pair \ud800 here',
      { body: 'ok', nested: ['x', 'trailing \udc00'] },
      JSON.parse('{"__proto__": {"kind": "decision"}, "body": "x"}'),
      { at: new Date() },
      new Map([['a', 1]]),
      { n: 10n },
      new (class Finding {})(),
      { data: { 'half a pair \ud800 as a key': 1 } },
    ];
    for (const value of cases) {
      const update = encode([item(0, 'entries', 'e1', value)]);
      expect(ServerUpdate.decodedOf(update), String(value)).toBeNull();
    }
    // The same for the map key the item is set under.
    expect(ServerUpdate.decodedOf(encode([item(0, 'entries', 'e\udc00', 'x')]))).toBeNull();
  });

  it('freezes the values it keeps, so nothing changes them once the gate has read them', () => {
    const value = { body: 'x', refs: ['a'], author: { id: 'ana' } };
    encode([item(0, 'entries', 'e1', value)]);
    expect([value, value.refs, value.author].every((v) => Object.isFrozen(v))).toBe(true);
  });

  it('leaves the values of an update it does not keep unfrozen', () => {
    const plain = { body: 'x', refs: ['a'] };
    encode([item(0, 'entries', 'e1', plain), item(1, 'entries', 'e2', { at: new Date() })]);
    expect(Object.isFrozen(plain) || Object.isFrozen(plain.refs)).toBe(false);
  });

  it("leaves the decoding to the gate when a struct's id does not follow its group's clocks", () => {
    // The bytes carry the group's client and first clock once: the ids the gate would read are those.
    expect(ServerUpdate.decodedOf(encode([item(1, 'meta', 'title', 'x')]))).toBeNull();
    expect(
      ServerUpdate.decodedOf(encode([item(0, 'meta', 'title', 'x'), item(2, 'meta', 'status', 'y')])),
    ).toBeNull();
    const other = new Y.Item(
      Y.createID(4, 0),
      null,
      null,
      null,
      null,
      'meta' as never,
      'title',
      new Y.ContentAny(['x']),
    );
    expect(ServerUpdate.decodedOf(encode([other]))).toBeNull();
    expect(
      ServerUpdate.decodedOf(encode([item(0, 'meta', 'title', 'x'), item(1, 'meta', 'status', 'y')])),
    ).not.toBeNull();
  });

  it('is decoded by the gate when another module made a look-alike', () => {
    const real = encode([item(0, 'meta', 'title', 'x')]);
    const lookAlike = Object.assign(Object.create(ServerUpdate.prototype) as ServerUpdate, {
      bytes: real.bytes,
    });
    expect(ServerUpdate.decodedOf(lookAlike)).toBeNull();
    expect(ServerUpdate.decodedOf(real.bytes)).toBeNull();
  });

  it('is placed by the gate where Yjs will apply it: through its origin, not the root it was built under', () => {
    // The server's item names meta.title (a value the server may set there), but its origin is an
    // entry's item: applied, it would overwrite that entry, so the gate reads it as written in
    // `entries`, as it reads the same bytes decoded, and refuses it.
    const doc = new Y.Doc();
    const key = newEntryId();
    Y.applyUpdate(doc, encode([item(0, 'entries', key, 'held')]).bytes);
    const overwrite = ServerUpdate.encode([
      { client: SERVER, clock: 1, structs: [item(1, 'meta', 'title', 'x', Y.createID(SERVER, 0))] },
    ]);
    expect(ServerUpdate.decodedOf(overwrite)).not.toBeNull();
    const pending = new PendingWrites();
    expect(() => inspectUpdate(doc, pending, overwrite, 'server')).toThrow(`entries.${key}`);
    expect(() => inspectUpdate(doc, pending, overwrite.bytes, 'server')).toThrow(`entries.${key}`);
  });
});
