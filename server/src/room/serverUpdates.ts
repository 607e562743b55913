// Updates the server makes itself, encoded without applying them to any document: the server
// writes ahead, so what it writes is stored before the document sees it. They are built from
// Yjs's own struct and encoder classes.
import type { RootName } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import type { ClockRange } from '../gate/PendingWrites.js';
import * as Y from 'yjs';

/** Writes the struct section for one client's consecutive structs, then an empty delete set. */
function encodeUpdate(groups: { client: number; clock: number; structs: (Y.Item | Y.GC)[] }[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const nonEmpty = groups.filter((g) => g.structs.length > 0);
  encoding.writeVarUint(encoder.restEncoder, nonEmpty.length);
  for (const g of nonEmpty) {
    encoding.writeVarUint(encoder.restEncoder, g.structs.length);
    encoder.writeClient(g.client);
    encoding.writeVarUint(encoder.restEncoder, g.clock);
    for (const s of g.structs) s.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set
  return encoder.toUint8Array();
}

/** Adds each value as one item under `root`, keyed by its key; keys must be new to the document. */
export function encodeMapInserts(
  client: number,
  clock: number,
  root: RootName,
  values: readonly (readonly [string, unknown])[],
): Uint8Array {
  // A parent given as a root's name is how Yjs itself represents a decoded, unintegrated item.
  const structs = values.map(
    ([key, value], i) => new Y.Item(Y.createID(client, clock + i), null, null, null, null, root as never, key, new Y.ContentAny([value])),
  );
  return encodeUpdate([{ client, clock, structs }]);
}

/**
 * Fills clock ranges with garbage-collected structs. After the gate refuses a client's change,
 * the client's later changes build on clocks the server never got; a tombstone for the refused
 * range lets them integrate instead of waiting forever for content that will not come.
 */
export function encodeTombstones(ranges: readonly ClockRange[]): Uint8Array {
  return encodeUpdate(ranges.map((r) => ({ client: r.client, clock: r.clock, structs: [new Y.GC(Y.createID(r.client, r.clock), r.length)] })));
}
