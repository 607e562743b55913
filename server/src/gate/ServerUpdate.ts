// An update the server encodes from structs it built (room/serverUpdates.ts), with those structs
// as decoding its bytes would give them to the gate: the gate reads every write, the server's
// too, but need not decode bytes the server has just encoded from structs it holds. Only
// `ServerUpdate.encode` makes one, and it keeps the structs only when decoding cannot differ
// from them: items under a root's name with plain JSON values (well-formed strings, no
// `__proto__` key, no class instances), which it freezes so nothing changes them after the gate
// has read them. Otherwise the gate decodes the bytes as it does a client's. Also the encoder of
// struct groups in Yjs's v1 format, which every update the server makes goes through.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DecodedUpdate, DeleteSet, Struct } from './updateStructs.js';

export interface StructGroup {
  client: number;
  clock: number;
  structs: Struct[];
}

/** The delete set's clients with ranges, as Yjs's own writeDeleteSet lays them out (highest first). */
const deleteClients = (ds: DeleteSet) =>
  [...ds.clients].filter(([, items]) => items.length > 0).sort((a, b) => b[0] - a[0]);

/** Encodes struct groups (one per client, consecutive clocks) and a delete set, in Yjs's v1 format. */
export function encodeUpdate(
  groups: readonly StructGroup[],
  ds: DeleteSet = { clients: new Map() },
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const nonEmpty = groups.filter((g) => g.structs.length > 0);
  encoding.writeVarUint(encoder.restEncoder, nonEmpty.length);
  for (const g of nonEmpty) {
    encoding.writeVarUint(encoder.restEncoder, g.structs.length);
    encoder.writeClient(g.client);
    encoding.writeVarUint(encoder.restEncoder, g.clock);
    for (const s of g.structs) s.write(encoder, 0);
  }
  const clients = deleteClients(ds);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, items] of clients) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, items.length);
    for (const { clock, len } of items) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
}

/** An unpaired UTF-16 surrogate, which lib0 writes as U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True if lib0's `writeAny` then `readAny` gives back an equal value: null, booleans, numbers,
 * well-formed strings (a lone surrogate is written as U+FFFD), arrays and plain objects with
 * well-formed keys and no `__proto__` key (decoding one sets the prototype). False for anything
 * else (a Date is written as {}, a Map as {}, a bigint may not fit).
 */
function roundTrips(value: unknown): boolean {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
      return true;
    case 'string':
      return !LONE_SURROGATE.test(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!roundTrips(value[i])) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record))
        if (key === '__proto__' || LONE_SURROGATE.test(key) || !roundTrips(record[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Freezes a value `roundTrips` accepted, all through, so nothing changes it after the gate read it. */
function freezeAll(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  for (const v of Object.values(value)) freezeAll(v);
  Object.freeze(value);
}

/**
 * The struct as the gate gets it from Yjs's `decodeUpdate`: an item with an origin is written
 * without its parent and key (Yjs finds them through the origin), so it is read without them.
 * Null for a struct whose decoding could differ.
 */
function asDecoded(s: Struct): Y.Item | null {
  if (!(s instanceof Y.Item) || typeof s.parent !== 'string') return null;
  if (s.parentSub !== null && LONE_SURROGATE.test(s.parentSub)) return null;
  if (!(s.content instanceof Y.ContentAny) || !s.content.arr.every(roundTrips)) return null;
  if (s.origin === null && s.rightOrigin === null) return s;
  return new Y.Item(s.id, null, s.origin, null, s.rightOrigin, null, null, s.content);
}

/**
 * The structs and deletes decoding the update would give, or null when they could differ: the
 * bytes carry a group's client and first clock once, so each struct's id must follow them. The
 * values of structs kept are frozen, and only then: a refused update leaves its values as they were.
 */
function structsOf(groups: readonly StructGroup[], ds: DeleteSet): DecodedUpdate | null {
  const structs: Struct[] = [];
  for (const g of groups) {
    let clock = g.clock;
    for (const s of g.structs) {
      if (s.id.client !== g.client || s.id.clock !== clock) return null;
      clock += s.length;
      const d = asDecoded(s);
      if (d === null) return null;
      structs.push(d);
    }
  }
  for (const s of structs) if (s instanceof Y.Item) s.content.getContent().forEach(freezeAll);
  return { structs, ds: { clients: new Map(deleteClients(ds)) } };
}

export class ServerUpdate {
  readonly #decoded: DecodedUpdate | null;

  private constructor(
    readonly bytes: Uint8Array,
    decoded: DecodedUpdate | null,
  ) {
    this.#decoded = decoded;
  }

  /** Encodes struct groups and a delete set (`encodeUpdate`), keeping the structs when decoding cannot differ. */
  static encode(groups: StructGroup[], ds: DeleteSet = { clients: new Map() }): ServerUpdate {
    return new ServerUpdate(encodeUpdate(groups, ds), structsOf(groups, ds));
  }

  /** What decoding `update` gives, when this module made it and kept its structs; else null. */
  static decodedOf(update: Uint8Array | ServerUpdate): DecodedUpdate | null {
    return update instanceof Uint8Array || !(#decoded in update) ? null : update.#decoded;
  }
}

/** An update's bytes, whoever made it. */
export const bytesOf = (update: Uint8Array | ServerUpdate): Uint8Array =>
  update instanceof Uint8Array ? update : update.bytes;
