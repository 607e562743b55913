// The first steps of the write gate, which read an update's structs before asking where they
// live: decode it (as Yjs would), group its structs by client (as Yjs keeps them), find a struct
// by id, and check that Yjs can integrate them in order. Also the one declaration of Yjs's
// decoded struct and delete-set shapes, which Yjs does not export.
import { SitrepError } from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { decodeCheckedUpdate } from './encodedValues.js';

export type Struct = Y.Item | Y.GC | Y.Skip;
export type DeleteSet = { clients: Map<number, { clock: number; len: number }[]> };
export interface DecodedUpdate {
  structs: Struct[];
  ds: DeleteSet;
}

/** The largest update the gate accepts: a websocket frame's limit. */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;

const fail = (code: ConstructorParameters<typeof SitrepError>[0], message: string): never => {
  throw new SitrepError(code, message);
};

/**
 * The update's structs and deletes; gate.too_large, or gate.malformed for bytes Yjs would not read
 * as they are. `known`: what decoding gives, known already (an update the server encoded, whose
 * structs it holds: ServerUpdate); the size is checked all the same.
 */
export function decodeUpdate(update: Uint8Array, known: DecodedUpdate | null = null): DecodedUpdate {
  if (update.byteLength > MAX_UPDATE_BYTES)
    fail('gate.too_large', `the update exceeds ${MAX_UPDATE_BYTES} bytes`);
  if (known) return known;
  try {
    // Every value is decoded here: one that is not UTF-8, say, is malformed before anything applies it.
    return decodeCheckedUpdate(update) as DecodedUpdate;
  } catch (err) {
    if (err instanceof SitrepError) throw err;
    return fail('gate.malformed', 'the update could not be decoded');
  }
}

/**
 * The structs of each client, in clock order. Yjs keeps one group of changes per client and
 * drops the others (it would apply less than the gate read, and the log and the projection would
 * hold what the document does not): a client listed twice, or a group without changes, is
 * gate.malformed.
 */
export function groupByClient(update: Uint8Array, structs: readonly Struct[]): Map<number, Struct[]> {
  const byClient = new Map<number, Struct[]>();
  let list: Struct[] = [];
  for (const s of structs) {
    if (list[0]?.id.client !== s.id.client) {
      if (byClient.has(s.id.client)) fail('gate.malformed', `the update lists client ${s.id.client} twice`);
      byClient.set(s.id.client, (list = []));
    }
    list.push(s);
  }
  if (byClient.size !== decoding.readVarUint(decoding.createDecoder(update)))
    fail('gate.malformed', 'the update lists a client without changes');
  return byClient;
}

/** The struct of the update holding `id`, by binary search of its client's structs. */
export function findInUpdate(byClient: ReadonlyMap<number, readonly Struct[]>, id: Y.ID): Struct | undefined {
  const list = byClient.get(id.client) ?? [];
  for (let lo = 0, hi = list.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    const s = list[mid] as Struct;
    if (id.clock < s.id.clock) hi = mid - 1;
    else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/**
 * Refuses an update Yjs could not apply whole. Yjs integrates a client's changes in clock order,
 * each after the content its origins name; an origin that is neither held already (`known`: the
 * first clock of each client not held) nor earlier in that order (one naming its own item or a
 * later clock of its own client, or a cycle through several clients) would make Yjs fail (taking
 * down the commit that logged it) or hold the update back for ever, acknowledged and never applied.
 */
export function checkOrder(
  byClient: ReadonlyMap<number, readonly Struct[]>,
  known: (client: number) => number,
): void {
  const find = (id: Y.ID) => findInUpdate(byClient, id);
  const deps = (s: Struct): Struct[] => {
    const out: Struct[] = [];
    const before = s.id.clock - 1;
    if (before >= known(s.id.client)) {
      const prev = find(Y.createID(s.id.client, before));
      if (prev) out.push(prev);
    }
    if (s instanceof Y.Item) {
      for (const ref of [s.origin, s.rightOrigin]) {
        if (!ref || ref.clock < known(ref.client)) continue;
        const target = find(ref);
        if (!target)
          fail('gate.unresolved', `the update refers to unknown content ${ref.client}:${ref.clock}`);
        out.push(target as Struct);
      }
    }
    return out;
  };
  const state = new Map<Struct, 'open' | 'done'>();
  for (const start of [...byClient.values()].flat()) {
    if (state.has(start) || start.id.clock + start.length <= known(start.id.client)) continue;
    const stack: [Struct, Struct[]][] = [[start, deps(start)]];
    state.set(start, 'open');
    while (stack.length > 0) {
      const [s, next] = stack.at(-1) as [Struct, Struct[]];
      const dep = next.pop();
      if (!dep) {
        state.set(s, 'done');
        stack.pop();
      } else if (state.get(dep) === 'open') {
        fail('gate.malformed', "the update's changes refer to each other in a cycle");
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push([dep, deps(dep)]);
      }
    }
  }
}
