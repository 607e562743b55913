import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeMapInserts } from './mapInserts.js';

describe('map inserts encoder', () => {
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
});
