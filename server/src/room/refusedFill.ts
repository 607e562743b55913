// What the room writes in place of a socket's refused update, so that its writer keeps working.
// A stock provider has applied its refused change and builds its next changes on it. So the
// refused clocks are filled: a change of a meta, curation or view key by a deleted item in the
// same place (the writer's next change of that key names it as its origin, and Yjs drops a change
// whose origin is collected), anything else (an entry, what cannot be placed) by a GC struct. The
// deleted item replaces the key's value, so the server sets the value it replaced again, in the
// same update, as an item after it: the writer's document, which shows its own change, then
// shows what everyone else sees. Nothing of the refused content is kept or sent.
import type { RootName } from '@sitrep/shared';
import * as Y from 'yjs';
import type { ClockRange, PendingWrites, PlacedStruct } from '../gate/PendingWrites.js';
import { Placements } from '../gate/WriteGate.js';
import {
  type DecodedUpdate,
  type DeleteSet,
  type Struct,
  findInUpdate,
  groupByClient,
} from '../gate/updateStructs.js';
import { encodeUpdate } from '../gate/ServerUpdate.js';

/** A key a filled item took the value of, and the last such item (a restore goes after it). */
export interface Restore {
  root: RootName;
  key: string;
  after: Y.ID;
}

/** The structs that fill a refused update's clocks, and the keys whose value to set again. */
export interface Fill {
  /** Deleted items and GC structs, by client in clock order. */
  structs: Struct[];
  restores: Restore[];
}

/** A key's value before the fill; `undefined` for a key that held none (nothing to set again). */
export type ValueBefore = (root: RootName, key: string) => { value: unknown } | undefined;

/** Where an item of the refused update lives, when it is a key of a root other than entries. */
function keyOf(places: Placements | null, item: Y.Item): { root: RootName; key: string } | null {
  if (!places || item.content instanceof Y.ContentType) return null;
  try {
    const { root, key } = places.item(item);
    return root !== null && root !== 'entries' && key !== null ? { root, key } : null;
  } catch {
    return null; // an origin the server cannot place (collected, unknown, nested): a GC struct
  }
}

/** Ranges with each run of a client's adjacent ones made one. */
function merged(ranges: readonly ClockRange[]): ClockRange[] {
  const out: ClockRange[] = [];
  for (const r of ranges) {
    const prev = out.at(-1);
    if (prev && prev.client === r.client && prev.clock + prev.length === r.clock) prev.length += r.length;
    else out.push({ ...r });
  }
  return out;
}

/**
 * Plans the fill of `ranges` (the refused update's clocks the writer may fill) from the refused
 * update itself, placed against the document and the pending writes.
 */
export function planFill(
  doc: Y.Doc,
  pending: PendingWrites,
  update: Uint8Array,
  ranges: readonly ClockRange[],
): Fill {
  let structs: Struct[] = [];
  let places: Placements | null = null;
  try {
    structs = (Y.decodeUpdate(update) as DecodedUpdate).structs;
    places = new Placements(doc, pending, groupByClient(update, structs), new Map());
  } catch {
    // Bytes the gate could not read: every range is a GC struct.
  }
  const fill: Fill = { structs: [], restores: [] };
  const last = new Map<string, Restore>();
  for (const r of merged(ranges)) {
    const end = r.clock + r.length;
    let at = r.clock;
    for (const s of structs) {
      if (s.id.client !== r.client || s.id.clock + s.length <= at || s.id.clock >= end) continue;
      const place =
        s instanceof Y.Item && s.id.clock === at && s.id.clock + s.length <= end ? keyOf(places, s) : null;
      if (place && s instanceof Y.Item) {
        s.content = new Y.ContentDeleted(s.length);
        fill.structs.push(s);
        const after = Y.createID(s.id.client, s.id.clock + s.length - 1);
        last.set(`${place.root}\u0000${place.key}`, { ...place, after });
      } else {
        const stop = Math.min(end, s.id.clock + s.length);
        fill.structs.push(new Y.GC(Y.createID(r.client, at), stop - at));
      }
      at = Math.min(end, s.id.clock + s.length);
    }
    if (at < end) fill.structs.push(new Y.GC(Y.createID(r.client, at), end - at));
  }
  fill.restores = [...last.values()];
  return fill;
}

/**
 * Encodes a fill: its structs, the deleted items in the delete set (as Yjs writes deleted
 * content), and with `restore`, each key's value before it set again by the server under
 * `restore.client` from `restore.clock` (what `valueBefore` says it held; a key that held none
 * stays deleted). Returns the update and how many clocks of `restore.client` it used.
 */
export function encodeFill(
  fill: Fill,
  restore?: { client: number; clock: number; valueBefore: ValueBefore },
): { update: Uint8Array; used: number } {
  const groups: { client: number; clock: number; structs: Struct[] }[] = [];
  const ds: DeleteSet = { clients: new Map() };
  for (const s of fill.structs) {
    const group = groups.at(-1);
    if (group && group.client === s.id.client) group.structs.push(s);
    else groups.push({ client: s.id.client, clock: s.id.clock, structs: [s] });
    if (s instanceof Y.Item) {
      const ranges = ds.clients.get(s.id.client) ?? [];
      ds.clients.set(s.id.client, [...ranges, { clock: s.id.clock, len: s.length }]);
    }
  }
  const restores: Struct[] = [];
  for (const r of restore ? fill.restores : []) {
    const before = restore?.valueBefore(r.root, r.key);
    if (!restore || !before) continue;
    const id = Y.createID(restore.client, restore.clock + restores.length);
    restores.push(
      new Y.Item(id, null, r.after, null, null, r.root as never, r.key, new Y.ContentAny([before.value])),
    );
  }
  if (restore && restores.length > 0)
    groups.push({ client: restore.client, clock: restore.clock, structs: restores });
  return { update: encodeUpdate(groups, ds), used: restores.length };
}

/** What a key of `root` holds in the document: its value, or undefined when it has none. */
function documentValue(doc: Y.Doc, root: RootName, key: string): { value: unknown } | undefined {
  const item = doc.getMap(root)._map.get(key);
  if (!item || item.deleted || !(item.content instanceof Y.ContentAny)) return undefined;
  return { value: item.content.arr.at(-1) };
}

/**
 * The value of each meta, curation or view key as the writes of one commit leave it, before the
 * document has them: a fill in the commit sets again what the writes ahead of it left, a key
 * one of them deleted (`Y.Map#delete`) included.
 */
export class BatchValues {
  /** By key: the value a write ahead set and the item holding it, or undefined once deleted. */
  private readonly values = new Map<string, { value: unknown; id: Y.ID | null } | undefined>();

  constructor(private readonly doc: Y.Doc) {}

  /** Records what an accepted write sets and deletes: `structs` are its new structs as the gate placed them. */
  wrote(update: Uint8Array, structs: readonly PlacedStruct[]): void {
    const keyed = structs.filter((s) => s.root !== null && s.root !== 'entries' && s.key !== null);
    const decoded = Y.decodeUpdate(update) as DecodedUpdate;
    if (keyed.length > 0) {
      const byClient = groupByClient(update, decoded.structs);
      for (const s of keyed) {
        const item = findInUpdate(byClient, Y.createID(s.client, s.clock));
        if (!(item instanceof Y.Item)) continue;
        const value =
          item.content instanceof Y.ContentAny ? { value: item.content.arr.at(-1), id: item.id } : undefined;
        this.values.set(`${s.root}\u0000${s.key}`, value);
      }
    }
    if (decoded.ds.clients.size > 0) this.deleted(decoded.ds);
  }

  /** Marks as holding none each key whose value (set ahead in the commit, or the document's) `ds` deletes. */
  private deleted(ds: DeleteSet): void {
    const deletes = (id: Y.ID) =>
      (ds.clients.get(id.client) ?? []).some((r) => id.clock >= r.clock && id.clock < r.clock + r.len);
    for (const [slot, v] of this.values) if (v?.id && deletes(v.id)) this.values.set(slot, undefined);
    for (const [root, type] of this.doc.share) {
      if (root === 'entries') continue;
      for (const [key, item] of type._map) {
        const slot = `${root}\u0000${key}`;
        if (!this.values.has(slot) && !item.deleted && deletes(item.id)) this.values.set(slot, undefined);
      }
    }
  }

  readonly before: ValueBefore = (root, key) => {
    const slot = `${root}\u0000${key}`;
    if (!this.values.has(slot)) return documentValue(this.doc, root, key);
    const v = this.values.get(slot);
    return v && { value: v.value };
  };
}
