import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeMapInserts, encodeTombstones } from './serverUpdates.js';

describe('server updates', () => {
  it('makes an update that Yjs applies as new map keys', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodeMapInserts(42, 0, 'entries', [['a', { n: 1 }], ['b', 'two']]));
    expect(doc.getMap('entries').toJSON()).toEqual({ a: { n: 1 }, b: 'two' });
    expect(Y.getState(doc.store, 42)).toBe(2);
  });

  it('continues the clock of the same client across updates', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodeMapInserts(7, 0, 'meta', [['title', 'x']]));
    Y.applyUpdate(doc, encodeMapInserts(7, 1, 'entries', [['c', 3]]));
    expect(doc.getMap('entries').get('c')).toBe(3);
    expect(doc.getMap('meta').get('title')).toBe('x');
    expect(Y.getState(doc.store, 7)).toBe(2);
  });

  it('is byte-identical to what Yjs encodes for the same change', () => {
    const made = new Y.Doc();
    made.clientID = 9;
    made.getMap('entries').set('k', { v: 1 });
    expect(encodeMapInserts(9, 0, 'entries', [['k', { v: 1 }]])).toEqual(Y.encodeStateAsUpdate(made));
  });

  it('encodes nothing as an empty update', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodeMapInserts(1, 0, 'entries', []));
    expect(doc.getMap('entries').size).toBe(0);
  });

  it('tombstones a refused range so the client’s later changes integrate', () => {
    const client = new Y.Doc();
    client.clientID = 5;
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getMap('entries').set('refused', 1);
    client.getMap('entries').set('accepted', 2);
    const server = new Y.Doc();
    Y.applyUpdate(server, updates[1] ?? new Uint8Array());
    expect(server.getMap('entries').has('accepted')).toBe(false); // held back: clock 0 is missing
    Y.applyUpdate(server, encodeTombstones([{ client: 5, clock: 0, length: 1 }]));
    expect(server.getMap('entries').toJSON()).toEqual({ accepted: 2 });
  });
});
