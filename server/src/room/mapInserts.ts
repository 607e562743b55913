// Encodes a Yjs update that adds new keys to a root map, without applying it to any document.
// The server writes ahead: an update it makes (an HTTP append, incident creation) is stored
// before the document sees it, so it is encoded here from the structs themselves, with the
// room's own client id and next clock, using Yjs's own item and encoder classes.
import type { RootName } from '@sitrep/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Each value becomes one item under `root`, keyed by its key; keys must be new to the document. */
export function encodeMapInserts(
  client: number,
  clock: number,
  root: RootName,
  values: readonly (readonly [string, unknown])[],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, values.length === 0 ? 0 : 1);
  if (values.length > 0) {
    encoding.writeVarUint(encoder.restEncoder, values.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    values.forEach(([key, value], i) => {
      // A parent given as a root's name is how Yjs itself encodes a decoded, unintegrated item.
      const item = new Y.Item(Y.createID(client, clock + i), null, null, null, null, root as never, key, new Y.ContentAny([value]));
      item.write(encoder, 0);
    });
  }
  encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set
  return encoder.toUint8Array();
}
