// Updates the server makes itself, encoded without applying them to any document: the server
// writes ahead, so what it writes is stored before the document sees it. They are built from
// Yjs's own struct and encoder classes.
import { type RootName, bySize } from '@sitrep/shared';
import type { ClockRange } from '../gate/PendingWrites.js';
import { ServerUpdate, type StructGroup, encodeUpdate } from '../gate/ServerUpdate.js';
import { MAX_ENTRIES_PER_UPDATE } from '../gate/WriteGate.js';
import type { DecodedUpdate, DeleteSet } from '../gate/updateStructs.js';
import * as Y from 'yjs';

/** The size a server-made update aims for; an HTTP batch larger than this is split. */
const UPDATE_TARGET_BYTES = 1024 * 1024;

/**
 * Splits values into parts that each fit one server-made update: about `limit` characters of
 * JSON (a single larger value alone), and no more than the gate takes in one update.
 */
export function updateParts<T>(values: readonly T[], limit = UPDATE_TARGET_BYTES): T[][] {
  return bySize(values, limit, MAX_ENTRIES_PER_UPDATE);
}

/** Adds each value as one item under `root`, keyed by its key; keys must be new to the document. */
export function encodeMapInserts(
  client: number,
  clock: number,
  root: RootName,
  values: readonly (readonly [string, unknown])[],
): ServerUpdate {
  return encodeMapSets(client, clock, root, values, null);
}

/**
 * Sets each key under `root` as Y.Map#set does: a key that `current` (the root in the live
 * document) already holds is overwritten by an item whose origin is the current one. The values
 * are frozen when the gate is to read them as given (ServerUpdate): the caller must not change them.
 */
export function encodeMapSets(
  client: number,
  clock: number,
  root: RootName,
  values: readonly (readonly [string, unknown])[],
  current: Y.Map<unknown> | null,
  deletes: readonly string[] = [],
): ServerUpdate {
  // A parent given as a root's name is how Yjs itself represents a decoded, unintegrated item.
  const structs = values.map(([key, value], i) => {
    const left = current?._map.get(key) ?? null;
    return new Y.Item(
      Y.createID(client, clock + i),
      left,
      left?.lastId ?? null,
      null,
      null,
      root as never,
      key,
      new Y.ContentAny([value]),
    );
  });
  // And removes each of `deletes` as Y.Map#delete does: its current item goes in the delete set.
  const ds: DeleteSet = { clients: new Map() };
  for (const key of deletes) {
    const item = current?._map.get(key);
    if (!item || item.deleted) continue;
    ds.clients.set(item.id.client, [
      ...(ds.clients.get(item.id.client) ?? []),
      { clock: item.id.clock, len: item.length },
    ]);
  }
  for (const ranges of ds.clients.values()) ranges.sort((a, b) => a.clock - b.clock);
  return ServerUpdate.encode([{ client, clock, structs }], ds);
}

/** An update that only deletes the given ranges. */
export function encodeDeletes(ranges: readonly ClockRange[]): Uint8Array {
  const clients = new Map<number, { clock: number; len: number }[]>();
  for (const r of ranges)
    clients.set(r.client, [...(clients.get(r.client) ?? []), { clock: r.clock, len: r.length }]);
  return encodeUpdate([], { clients });
}

/** Whether an item holds the clock `target`. */
export const holding =
  (target: { client: number; clock: number }) =>
  (item: Y.Item): boolean =>
    item.id.client === target.client &&
    item.id.clock <= target.clock &&
    target.clock < item.id.clock + item.length;

/**
 * Rewrites a stored update so each item `cut` picks keeps its place and clock but loses its
 * content, as Yjs itself stores deleted items. Null when the update holds no such item. The
 * admin's purge of leaked data uses this on every log row.
 */
export function withoutContent(update: Uint8Array, cut: (item: Y.Item) => boolean): Uint8Array | null {
  const { structs, ds } = Y.decodeUpdate(update) as DecodedUpdate;
  let hit = false;
  for (const s of structs) {
    if (s instanceof Y.Item && cut(s)) {
      s.content = new Y.ContentDeleted(s.length);
      hit = true;
    }
  }
  if (!hit) return null;
  const groups: StructGroup[] = [];
  for (const s of structs) {
    const last = groups.at(-1);
    if (last && last.client === s.id.client) last.structs.push(s);
    else groups.push({ client: s.id.client, clock: s.id.clock, structs: [s] });
  }
  return encodeUpdate(groups, ds);
}
