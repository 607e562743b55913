// What the gate checks on a value's encoded bytes, before it decodes them. Patched Yjs
// (patches/yjs) passes a map value's bytes on exactly as a client sent them: to the log, to
// other clients, into snapshots. Decoding an object keeps the last of two equal keys and does not
// make a `__proto__` key an own property, so bytes holding either would carry content the gate
// never saw (a secret in the first of two `body` keys, say). Such values are refused.
import { SitrepError } from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** Patched Yjs's ContentAny: its values' encoded bytes until they are first read. */
interface LazyContentAny {
  _raw: Uint8Array | null;
  _arr: unknown[] | number;
}

// The gate depends on the patch: without it the bytes are not there to check, so say so at start.
if (!('_raw' in new Y.ContentAny([]))) throw new Error('yjs is not patched (patches/yjs@13.6.33.patch): run pnpm install');

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

/**
 * Checks the encoded values of a ContentAny read from a client's update, if they are still
 * unread, then decodes them; throws gate.malformed for bytes that decode to less than they hold.
 */
export function readCheckedValues(content: Y.ContentAny): unknown[] {
  const { _raw: raw, _arr: count } = content as unknown as LazyContentAny;
  if (raw !== null && typeof count === 'number') {
    const decoder = decoding.createDecoder(raw);
    for (let i = 0; i < count; i++) walk(decoder);
    if (decoding.hasContent(decoder)) refuse('a value has trailing bytes');
  }
  return content.arr;
}
