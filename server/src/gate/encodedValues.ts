// How the gate decodes a client's update: as Yjs does, refusing a value whose bytes hold more
// than lib0 decodes from them. The room stores an update's bytes in the log as the client sent
// them, while the gate checks (and scans for secrets) the values decoded from them. Decoding an
// object keeps the last of two equal keys and keeps no `__proto__` key of its own (its value
// becomes the prototype, or is dropped), so bytes holding either would carry content the gate
// never saw (a secret in the first of two `body` keys, say) into storage. Such values are
// refused. What Yjs applies, broadcasts and encodes into snapshots it writes again from the
// decoded values; only the log keeps the client's bytes.
import { SitrepError } from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

const refuse = (message: string): never => {
  throw new SitrepError('gate.malformed', message);
};

function skip(decoder: decoding.Decoder, n: number): void {
  if (n > decoder.arr.length - decoder.pos) refuse('a value is cut off');
  decoder.pos += n;
}

/** Walks one value as lib0's `readAny` reads it, refusing an object with a repeated or `__proto__` key. */
function walk(decoder: decoding.Decoder): void {
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case 127: // undefined, null, false, true
    case 126:
    case 121:
    case 120:
      return;
    case 125:
      decoding.readVarInt(decoder);
      return;
    case 124:
      return skip(decoder, 4);
    case 123: // float64, bigint
    case 122:
      return skip(decoder, 8);
    case 119: // string, bytes
    case 116:
      return skip(decoder, decoding.readVarUint(decoder));
    case 118: {
      const n = decoding.readVarUint(decoder);
      const keys = new Set<string>();
      for (let i = 0; i < n; i++) {
        const key = decoding.readVarString(decoder);
        if (key === '__proto__') refuse('a value has a __proto__ key');
        if (keys.has(key)) refuse(`a value repeats the key ${JSON.stringify(key.slice(0, 40))}`);
        keys.add(key);
        walk(decoder);
      }
      return;
    }
    case 117: {
      const n = decoding.readVarUint(decoder);
      for (let i = 0; i < n; i++) walk(decoder);
      return;
    }
    default:
      refuse(`a value has an unknown type ${tag}`);
  }
}

/** Yjs's update decoder, walking each value's bytes before lib0 decodes them. */
class CheckedDecoder extends Y.UpdateDecoderV1 {
  override readAny(): unknown {
    walk(decoding.clone(this.restDecoder));
    return super.readAny();
  }
}

/**
 * Decodes an update as `Y.decodeUpdate` does, throwing gate.malformed for a value with a
 * repeated or `__proto__` key (and what `Y.decodeUpdate` throws for bytes it cannot decode).
 */
export function decodeCheckedUpdate(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
  return Y.decodeUpdateV2(update, CheckedDecoder);
}
