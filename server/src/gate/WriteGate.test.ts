import { type Entry, type Writer, newEntryId } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PendingWrites } from './PendingWrites.js';
import {
  MAX_ENTRIES_PER_UPDATE,
  Placements,
  checkDeletes,
  inspectUpdate,
  newPart,
  placeStructs,
  refusedRanges,
} from './WriteGate.js';
import { MAX_UPDATE_BYTES, checkOrder, decodeUpdate, findInUpdate, groupByClient } from './updateStructs.js';

const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;
const entry = (extra: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: newEntryId(),
  kind: 'finding',
  body: 'error rate 4% on checkout',
  author,
  at: new Date().toISOString(),
  ...extra,
});

/** A server document; `change` makes a change on a fresh client synced to it and returns its update. */
function setup() {
  const server = new Y.Doc();
  const pending = new PendingWrites();
  const change = (fn: (d: Y.Doc) => void): Uint8Array => {
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(server);
    fn(client);
    return Y.encodeStateAsUpdate(client, sv);
  };
  const accept = (u: Uint8Array) => Y.applyUpdate(server, u);
  return { server, pending, change, accept };
}

type Ref = [client: number, clock: number];
interface RawItem {
  origin?: Ref;
  rightOrigin?: Ref;
  /** Root and key, for an item without origins. */
  at?: [root: string, key: string];
  value: string;
}
/** A V1 update written byte by byte: `groups` as given (counted by `count`), no deletes. */
const raw = (
  groups: { client: number; clock: number; items: RawItem[] }[],
  count = groups.length,
): Uint8Array => {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, count);
  for (const g of groups) {
    encoding.writeVarUint(enc, g.items.length);
    encoding.writeVarUint(enc, g.client);
    encoding.writeVarUint(enc, g.clock);
    for (const item of g.items) {
      encoding.writeUint8(
        enc,
        (item.origin ? 0x80 : 0) | (item.rightOrigin ? 0x40 : 0) | (item.at ? 0x20 : 0) | 8,
      );
      for (const ref of [item.origin, item.rightOrigin]) {
        if (!ref) continue;
        encoding.writeVarUint(enc, ref[0]);
        encoding.writeVarUint(enc, ref[1]);
      }
      if (item.at) {
        encoding.writeVarUint(enc, 1); // the parent is a root, by name
        encoding.writeVarString(enc, item.at[0]);
        encoding.writeVarString(enc, item.at[1]);
      }
      encoding.writeVarUint(enc, 1); // ContentAny with one value, a string
      encoding.writeUint8(enc, 119);
      encoding.writeVarString(enc, item.value);
    }
  }
  encoding.writeVarUint(enc, 0);
  return encoding.toUint8Array(enc);
};
const title = (value: string): RawItem => ({ at: ['meta', 'title'], value });

describe('write gate', () => {
  it('accepts a responder adding a valid entry and reports it', () => {
    const { server, pending, change } = setup();
    const e = entry();
    const result = inspectUpdate(
      server,
      pending,
      change((d) => d.getMap('entries').set(e.id, e)),
      'responder',
    );
    expect(result.entries).toEqual([e]);
    expect([...result.roots]).toEqual(['entries']);
  });

  it('rejects a responder overwriting an entry', () => {
    const { server, pending, change, accept } = setup();
    const e = entry();
    accept(change((d) => d.getMap('entries').set(e.id, e)));
    const u = change((d) => d.getMap('entries').set(e.id, { ...e, body: 'edited' }));
    expect(() => inspectUpdate(server, pending, u, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.overwrite' }),
    );
  });

  it('rejects a concurrent writer reusing an existing entry id', () => {
    const { server, pending, accept } = setup();
    const e = entry();
    const a = new Y.Doc();
    a.getMap('entries').set(e.id, e);
    accept(Y.encodeStateAsUpdate(a));
    const b = new Y.Doc();
    b.getMap('entries').set(e.id, { ...e, body: 'other' });
    expect(() => inspectUpdate(server, pending, Y.encodeStateAsUpdate(b), 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.overwrite' }),
    );
  });

  it('rejects deleting an entry, even for an admin', () => {
    const { server, pending, change, accept } = setup();
    const e = entry();
    accept(change((d) => d.getMap('entries').set(e.id, e)));
    const u = change((d) => d.getMap('entries').delete(e.id));
    expect(() => inspectUpdate(server, pending, u, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.delete' }),
    );
  });

  it('rejects an unknown root, a nested shared type and a list insert', () => {
    const { server, pending, change } = setup();
    expect(() =>
      inspectUpdate(
        server,
        pending,
        change((d) => d.getText('notes').insert(0, 'hi')),
        'admin',
      ),
    ).toThrow(expect.objectContaining({ code: 'gate.unknown_root' }));
    const nested = change((d) => d.getMap('entries').set(newEntryId(), new Y.Map()));
    expect(() => inspectUpdate(server, pending, nested, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.nested' }),
    );
    const listy = change((d) => d.getArray('entries').insert(0, [entry()]));
    expect(() => inspectUpdate(server, pending, listy, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.content' }),
    );
  });

  it('rejects an entry that fails its schema or whose id differs from its key', () => {
    const { server, pending, change } = setup();
    const bad = change((d) => d.getMap('entries').set(newEntryId(), { ...entry(), kind: 'rumour' }));
    expect(() => inspectUpdate(server, pending, bad, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
    const moved = change((d) => d.getMap('entries').set(newEntryId(), entry()));
    expect(() => inspectUpdate(server, pending, moved, 'responder')).toThrow(/differs from its key/);
  });

  it('rejects an entry under a key that is not a ULID', () => {
    const { server, pending, change } = setup();
    const u = change((d) => d.getMap('entries').set('not-a-ulid', { ...entry(), id: 'not-a-ulid' }));
    expect(() => inspectUpdate(server, pending, u, 'responder')).toThrow(
      /entries key not-a-ulid is not a ULID/,
    );
  });

  it('takes at most MAX_ENTRIES_PER_UPDATE entries in one update', () => {
    const { server, pending } = setup();
    const many = (n: number) => {
      const d = new Y.Doc();
      const at = new Date().toISOString();
      d.transact(() => {
        for (let i = 0; i < n; i++) {
          const e = entry({ at, id: newEntryId() });
          d.getMap('entries').set(e.id, e);
        }
      });
      return Y.encodeStateAsUpdate(d);
    };
    expect(inspectUpdate(server, pending, many(MAX_ENTRIES_PER_UPDATE), 'responder').entries).toHaveLength(
      MAX_ENTRIES_PER_UPDATE,
    );
    expect(() => inspectUpdate(server, pending, many(MAX_ENTRIES_PER_UPDATE + 1), 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.too_large' }),
    );
  });

  it('checks meta keys and curation marks', () => {
    const { server, pending, change } = setup();
    const unknown = change((d) => d.getMap('meta').set('mood', 'calm'));
    expect(() => inspectUpdate(server, pending, unknown, 'commander')).toThrow(/meta has no key "mood"/);
    const e = entry();
    expect(
      inspectUpdate(
        server,
        pending,
        change((d) => d.getMap('curation').set(e.id, { pinned: true, label: 'turning point' })),
        'commander',
      ).roots.has('curation'),
    ).toBe(true);
    const badMark = change((d) => d.getMap('curation').set(e.id, { pinned: 'yes' }));
    expect(() => inspectUpdate(server, pending, badMark, 'commander')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
    const badKey = change((d) => d.getMap('curation').set('timeline', { pinned: true }));
    expect(() => inspectUpdate(server, pending, badKey, 'commander')).toThrow(
      /curation key timeline is not an entry id/,
    );
  });

  it('lets a commander but not a responder set meta, and checks the value', () => {
    const { server, pending, change, accept } = setup();
    const u = change((d) => d.getMap('meta').set('status', 'mitigating'));
    expect(() => inspectUpdate(server, pending, u, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    expect(inspectUpdate(server, pending, u, 'commander').roots.has('meta')).toBe(true);
    accept(u);
    const again = change((d) => d.getMap('meta').set('status', 'resolved'));
    expect(inspectUpdate(server, pending, again, 'commander').deletes).toBe(true);
    const wrong = change((d) => d.getMap('meta').set('status', 'panicking'));
    expect(() => inspectUpdate(server, pending, wrong, 'commander')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
  });

  it("keeps a drill's scenario for the server: no commander or admin sets, replaces or deletes it", () => {
    const { server, pending, change, accept } = setup();
    const scenario = { title: 'Replica lag', body: 'It lagged.', fingerprint: 'id:lag-1' };
    const set = change((d) => d.getMap('meta').set('scenario', scenario));
    for (const writer of ['commander', 'admin'] as const)
      expect(() => inspectUpdate(server, pending, set, writer)).toThrow(
        expect.objectContaining({
          code: 'gate.forbidden',
          message: 'meta.scenario is written by the server only',
        }),
      );
    expect(inspectUpdate(server, pending, set, 'server').roots.has('meta')).toBe(true);
    accept(set);
    const replace = change((d) => d.getMap('meta').set('scenario', { ...scenario, title: 'Other' }));
    expect(() => inspectUpdate(server, pending, replace, 'commander')).toThrow(/written by the server only/);
    const drop = change((d) => d.getMap('meta').delete('scenario'));
    expect(() => inspectUpdate(server, pending, drop, 'admin')).toThrow(/written by the server only/);
    // The other meta keys stay the commander's.
    const status = change((d) => d.getMap('meta').set('status', 'mitigating'));
    expect(inspectUpdate(server, pending, status, 'commander').roots.has('meta')).toBe(true);
    const bad = change((d) => d.getMap('meta').set('scenario', { title: 'no body' }));
    expect(() => inspectUpdate(server, pending, bad, 'server')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
  });

  it('says what an update changes in meta, for the audit trail', () => {
    const { server, pending, change, accept } = setup();
    const set = change((d) => {
      d.getMap('meta').set('status', 'identified');
      d.getMap('meta').set('status', 'resolved');
      d.getMap('meta').set('severity', 'SEV1');
    });
    expect(inspectUpdate(server, pending, set, 'commander').meta).toEqual({
      set: { status: 'resolved', severity: 'SEV1' },
      unset: [],
    });
    accept(set);
    const drop = change((d) => d.getMap('meta').delete('severity'));
    expect(inspectUpdate(server, pending, drop, 'commander').meta).toEqual({ set: {}, unset: ['severity'] });
    const e = entry();
    const entryOnly = change((d) => d.getMap('entries').set(e.id, e));
    expect(inspectUpdate(server, pending, entryOnly, 'responder').meta).toBeNull();
  });

  it("keeps a reopening's count and time for the server", () => {
    const { server, pending, change, accept } = setup();
    const count = change((d) => d.getMap('meta').set('reopens', 1));
    for (const writer of ['commander', 'admin'] as const)
      expect(() => inspectUpdate(server, pending, count, writer)).toThrow(
        expect.objectContaining({
          code: 'gate.forbidden',
          message: 'meta.reopens is written by the server only',
        }),
      );
    expect(inspectUpdate(server, pending, count, 'server').meta?.set).toEqual({ reopens: 1 });
    accept(count);
    const drop = change((d) => d.getMap('meta').delete('reopens'));
    expect(() => inspectUpdate(server, pending, drop, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
  });

  it('keeps the view root for the server, and checks even the server against the view schemas', () => {
    const { server, pending, change } = setup();
    const status = {
      state: 'off',
      model: null,
      lastRunAt: null,
      lastError: null,
      tokensThisHour: 0,
      tokenBudgetPerHour: 0,
      runs: 0,
    };
    const u = change((d) => d.getMap('view').set('summarizer', status));
    expect(() => inspectUpdate(server, pending, u, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    expect(inspectUpdate(server, pending, u, 'server').roots.has('view')).toBe(true);
    const bad = change((d) => d.getMap('view').set('commander', { headline: 'x' }));
    expect(() => inspectUpdate(server, pending, bad, 'server')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
    const unknown = change((d) => d.getMap('view').set('gossip', 'x'));
    expect(() => inspectUpdate(server, pending, unknown, 'server')).toThrow(
      expect.objectContaining({ code: 'gate.schema' }),
    );
  });

  it('sees writes that are accepted but not yet applied', () => {
    const { server, pending } = setup();
    const e = entry();
    const a = new Y.Doc();
    a.getMap('entries').set(e.id, e);
    const first = inspectUpdate(server, pending, Y.encodeStateAsUpdate(a), 'responder');
    pending.add(first.structs);
    const b = new Y.Doc();
    b.getMap('entries').set(e.id, e);
    expect(() => inspectUpdate(server, pending, Y.encodeStateAsUpdate(b), 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.overwrite' }),
    );
    pending.release(first.structs);
    expect(pending.size).toBe(0);
  });

  it('treats a resend of held content as a no-op', () => {
    const { server, pending, change, accept } = setup();
    const e = entry();
    const u = change((d) => d.getMap('entries').set(e.id, e));
    accept(u);
    const again = inspectUpdate(server, pending, u, 'responder');
    expect(again.structs).toEqual([]);
    expect(again.deletes).toBe(false);
  });

  it('rejects garbage and deletes of content the server does not hold', () => {
    const { server, pending } = setup();
    expect(() => inspectUpdate(server, pending, new Uint8Array([1, 2, 3, 250, 250]), 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.malformed' }),
    );
    const ghost = new Y.Doc();
    ghost.getMap('meta').set('title', 'x');
    ghost.getMap('meta').delete('title');
    const ds = Y.encodeStateAsUpdate(ghost);
    // Keep only the delete set: an update with no structs that deletes unknown content.
    const onlyDeletes = Y.diffUpdate(ds, Y.encodeStateVectorFromUpdate(ds));
    expect(() => inspectUpdate(server, pending, onlyDeletes, 'admin')).toThrow(
      expect.objectContaining({ code: 'gate.unresolved' }),
    );
  });

  it('refuses a value whose bytes hold more than they decode to (a repeated or __proto__ key) or do not decode', () => {
    const { server, pending, change } = setup();
    const e = entry();
    // The room logs a value's bytes as sent, so the gate must see all of them.
    const any = (value: unknown) => {
      const enc = encoding.createEncoder();
      encoding.writeAny(enc, value as encoding.AnyEncodable);
      return encoding.toUint8Array(enc);
    };
    /** An object as lib0 encodes one, from keys and their encoded values, as given. */
    const object = (pairs: [string, Uint8Array][]) => {
      const enc = encoding.createEncoder();
      encoding.writeUint8(enc, 118);
      encoding.writeVarUint(enc, pairs.length);
      for (const [key, value] of pairs) {
        encoding.writeVarString(enc, key);
        encoding.writeUint8Array(enc, value);
      }
      return encoding.toUint8Array(enc);
    };
    /** The update adding `e`, with its value's bytes swapped for `value`. */
    const withValue = (value: Uint8Array) => {
      const update = Buffer.from(change((d) => d.getMap('entries').set(e.id, e)));
      const at = update.indexOf(any(e));
      expect(at).toBeGreaterThan(0);
      return Buffer.concat([update.subarray(0, at), value, update.subarray(at + any(e).length)]);
    };
    const fields = Object.entries(e).map(([key, value]): [string, Uint8Array] => [key, any(value)]);
    expect(inspectUpdate(server, pending, withValue(object(fields)), 'responder').entries).toEqual([e]);

    const secret = 'password=hunter2hunter2';
    const repeated = withValue(object([['body', any(secret)], ...fields]));
    expect(repeated.includes(secret)).toBe(true);
    expect(() => inspectUpdate(server, pending, repeated, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.malformed', message: 'a value repeats the key "body"' }),
    );
    expect(() =>
      inspectUpdate(server, pending, withValue(object([['__proto__', any(secret)], ...fields])), 'responder'),
    ).toThrow(expect.objectContaining({ code: 'gate.malformed', message: 'a value has a __proto__ key' }));
    const withBody = (body: Uint8Array) =>
      withValue(object(fields.map(([key, value]) => [key, key === 'body' ? body : value])));
    const notUtf8 = new Uint8Array([119, 2, 0xff, 0xfe]); // a string of two bytes that are not UTF-8
    const unknownType = new Uint8Array([3, 0x41]);
    for (const bad of [withBody(notUtf8), withBody(unknownType), withValue(any(e)).subarray(0, -8)]) {
      expect(() => inspectUpdate(server, pending, bad, 'responder')).toThrow(
        expect.objectContaining({ code: 'gate.malformed' }),
      );
    }
  });

  it('refuses an update that skips earlier changes of its client, and names the refused range', () => {
    const { server, pending } = setup();
    const client = new Y.Doc();
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    const [a, b] = [entry(), entry()];
    client.getMap('entries').set(a.id, a);
    client.getMap('entries').set(b.id, b);
    const second = updates[1] ?? new Uint8Array();
    expect(() => inspectUpdate(server, pending, second, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.unresolved' }),
    );
    expect(refusedRanges(server, pending, updates[0] ?? new Uint8Array())).toEqual([
      { client: client.clientID, clock: 0, length: 1 },
    ]);
    expect(refusedRanges(server, pending, second)).toEqual([]);
  });

  describe('updates Yjs could not apply whole', () => {
    const refused = (update: Uint8Array, code: string) => {
      const { server, pending } = setup();
      expect(() => inspectUpdate(server, pending, update, 'commander')).toThrow(
        expect.objectContaining({ code }),
      );
    };

    it('accepts a chain of overwrites in clock order, which applies with nothing held back', () => {
      const { server, pending } = setup();
      const update = raw([{ client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] }]);
      expect(inspectUpdate(server, pending, update, 'commander').structs).toHaveLength(2);
      Y.applyUpdate(server, update);
      expect([server.getMap('meta').get('title'), server.store.pendingStructs]).toEqual(['b', null]);
    });

    it('refuses an item that is its own origin, for any role, before anything else', () => {
      const update = raw([{ client: 5, clock: 0, items: [{ origin: [5, 0], value: 'x' }] }]);
      const { server, pending } = setup();
      expect(() => inspectUpdate(server, pending, update, 'viewer')).toThrow(
        expect.objectContaining({ code: 'gate.malformed' }),
      );
    });

    it('refuses an origin at a later clock of the same client (Yjs throws applying it)', () => {
      const update = raw([{ client: 5, clock: 0, items: [{ origin: [5, 1], value: 'a' }, title('b')] }]);
      expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow();
      refused(update, 'gate.malformed');
    });

    it('refuses origins that form a cycle through two clients (Yjs would hold it back for ever)', () => {
      const update = raw([
        { client: 6, clock: 0, items: [{ origin: [5, 0], value: 'a' }] },
        { client: 5, clock: 0, items: [{ origin: [6, 0], value: 'b' }] },
      ]);
      refused(update, 'gate.malformed');
    });

    it('refuses a right origin nobody holds, even when the origin is known', () => {
      refused(
        raw([
          { client: 5, clock: 0, items: [title('a'), { origin: [5, 0], rightOrigin: [9, 3], value: 'b' }] },
        ]),
        'gate.unresolved',
      );
    });

    it('refuses a client listed twice, or a group without changes (Yjs would keep one group only)', () => {
      const twice = raw([
        { client: 5, clock: 0, items: [title('a')] },
        { client: 5, clock: 1, items: [{ origin: [5, 0], value: 'b' }] },
      ]);
      refused(twice, 'gate.malformed');
      const apart = raw([
        { client: 5, clock: 0, items: [title('a')] },
        { client: 6, clock: 0, items: [{ origin: [5, 0], value: 'b' }] },
        { client: 5, clock: 1, items: [{ origin: [6, 0], value: 'c' }] },
      ]);
      refused(apart, 'gate.malformed');
      refused(
        raw([
          { client: 5, clock: 0, items: [title('a')] },
          { client: 6, clock: 0, items: [] },
        ]),
        'gate.malformed',
      );
    });

    it('logs only the new part of an update that resends held clocks with other content', () => {
      const { server, pending } = setup();
      Y.applyUpdate(server, raw([{ client: 5, clock: 0, items: [title('a')] }]));
      const resend = raw([
        {
          client: 5,
          clock: 0,
          items: [title('ghp_held_clock_with_other_content'), { origin: [5, 0], value: 'b' }],
        },
      ]);
      const inspection = inspectUpdate(server, pending, resend, 'commander');
      expect([inspection.held, inspection.structs.map((s) => s.clock)]).toEqual([new Map([[5, 1]]), [1]]);
      const part = newPart(resend, inspection.held ?? new Map());
      expect(Buffer.from(part).includes('ghp_held')).toBe(false);
      expect(Y.decodeUpdate(part).structs.map((s) => s.id.clock)).toEqual([1]);
      Y.applyUpdate(server, part);
      expect(server.getMap('meta').get('title')).toBe('b');
    });
  });
});

describe('write gate steps', () => {
  /** The update's structs by client, and a Placements over an empty server document. */
  const stepsOf = (update: Uint8Array, server = new Y.Doc(), pending = new PendingWrites()) => {
    const decoded = decodeUpdate(update);
    const byClient = groupByClient(update, decoded.structs);
    return { decoded, byClient, places: new Placements(server, pending, byClient, new Map()) };
  };

  it('decode: the structs and deletes Yjs reads, or gate.too_large / gate.malformed', () => {
    const update = raw([{ client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] }]);
    expect(decodeUpdate(update).structs.map((s) => s.id.clock)).toEqual([0, 1]);
    expect(() => decodeUpdate(new Uint8Array(MAX_UPDATE_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'gate.too_large' }),
    );
    expect(() => decodeUpdate(new Uint8Array([1, 1, 5]))).toThrow(
      expect.objectContaining({ code: 'gate.malformed' }),
    );
  });

  it('group by client: one list per client in clock order, a client listed twice or without changes refused', () => {
    const update = raw([
      { client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] },
      { client: 6, clock: 0, items: [{ origin: [5, 1], value: 'c' }] },
    ]);
    const byClient = groupByClient(update, decodeUpdate(update).structs);
    expect([...byClient].map(([c, list]) => [c, list.map((s) => s.id.clock)])).toEqual([
      [5, [0, 1]],
      [6, [0]],
    ]);
    const twice = raw([
      { client: 5, clock: 0, items: [title('a')] },
      { client: 5, clock: 1, items: [title('b')] },
    ]);
    expect(() => groupByClient(twice, decodeUpdate(twice).structs)).toThrow(
      expect.objectContaining({ code: 'gate.malformed' }),
    );
    const empty = raw([
      { client: 5, clock: 0, items: [title('a')] },
      { client: 6, clock: 0, items: [] },
    ]);
    expect(() => groupByClient(empty, decodeUpdate(empty).structs)).toThrow(
      expect.objectContaining({ code: 'gate.malformed' }),
    );
  });

  it('find in update: the struct holding a clock, or none', () => {
    const { byClient } = stepsOf(raw([{ client: 5, clock: 3, items: [title('a'), title('b'), title('c')] }]));
    expect([2, 3, 4, 5, 6].map((clock) => findInUpdate(byClient, Y.createID(5, clock))?.id.clock)).toEqual([
      undefined,
      3,
      4,
      5,
      undefined,
    ]);
    expect(findInUpdate(byClient, Y.createID(6, 3))).toBeUndefined();
  });

  it('order check: origins held or earlier in clock order pass; a later clock, a cycle or an unknown origin fail', () => {
    const order =
      (update: Uint8Array, known = () => 0) =>
      () =>
        checkOrder(stepsOf(update).byClient, known);
    expect(
      order(raw([{ client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] }])),
    ).not.toThrow();
    expect(
      order(raw([{ client: 5, clock: 0, items: [{ origin: [5, 1], value: 'a' }, title('b')] }])),
    ).toThrow(expect.objectContaining({ code: 'gate.malformed' }));
    const cycle = raw([
      { client: 6, clock: 0, items: [{ origin: [5, 0], value: 'a' }] },
      { client: 5, clock: 0, items: [{ origin: [6, 0], value: 'b' }] },
    ]);
    expect(order(cycle)).toThrow(expect.objectContaining({ code: 'gate.malformed' }));
    // An origin the server holds (clock 0 of client 9, known up to 1) is no dependency.
    const onHeld = raw([{ client: 5, clock: 0, items: [{ origin: [9, 0], value: 'a' }] }]);
    expect(order(onHeld, () => 1)).not.toThrow();
    expect(order(onHeld)).toThrow(expect.objectContaining({ code: 'gate.unresolved' }));
  });

  it('place structs: each new struct with its root and key, checked for the writer and the schema', () => {
    const update = raw([{ client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] }]);
    const { decoded, places } = stepsOf(update);
    const added = placeStructs(places, decoded.structs, 'commander');
    expect(added.structs.map((s) => [s.clock, s.root, s.key])).toEqual([
      [0, 'meta', 'title'],
      [1, 'meta', 'title'],
    ]);
    expect([added.values, [...added.roots], added.resends]).toEqual([['a', 'b'], ['meta'], false]);
    expect(() => placeStructs(stepsOf(update).places, decoded.structs, 'responder')).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    const skips = raw([{ client: 5, clock: 1, items: [title('a')] }]);
    expect(() => placeStructs(stepsOf(skips).places, decodeUpdate(skips).structs, 'commander')).toThrow(
      expect.objectContaining({ code: 'gate.unresolved' }),
    );
  });

  it('place structs: passes over what the server holds, and says the update resends it', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, raw([{ client: 5, clock: 0, items: [title('a')] }]));
    const update = raw([{ client: 5, clock: 0, items: [title('a'), { origin: [5, 0], value: 'b' }] }]);
    const { decoded, places } = stepsOf(update, server);
    const added = placeStructs(places, decoded.structs, 'commander');
    expect([added.structs.map((s) => s.clock), added.resends]).toEqual([[1], true]);
  });

  it('check deletes: the roots of live content deleted, never an entry, only where the writer may write', () => {
    const { server, change, accept } = setup();
    const e = entry();
    accept(
      change((d) => {
        d.getMap('entries').set(e.id, e);
        d.getMap('meta').set('title', 'a');
      }),
    );
    const deletesOf = (update: Uint8Array, writer: Writer) => {
      const { decoded, places } = stepsOf(update, server);
      return () => checkDeletes(places, decoded.ds, writer);
    };
    const dropTitle = change((d) => d.getMap('meta').delete('title'));
    expect(deletesOf(dropTitle, 'commander')()).toEqual({ roots: new Set(['meta']), meta: ['title'] });
    expect(deletesOf(dropTitle, 'responder')).toThrow(expect.objectContaining({ code: 'gate.forbidden' }));
    expect(
      deletesOf(
        change((d) => d.getMap('entries').delete(e.id)),
        'admin',
      ),
    ).toThrow(expect.objectContaining({ code: 'gate.delete' }));
    const addOnly = change((d) => d.getMap('meta').set('severity', 'SEV1'));
    expect(deletesOf(addOnly, 'commander')()).toEqual({ roots: new Set(), meta: [] });
  });
});
