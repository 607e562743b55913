// The lib0 patch (patches/lib0@0.2.120.patch): strings are read with Buffer's utf8Slice on Node,
// and read exactly as lib0's own fatal TextDecoder reads them, refusals included.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';

const encoded = (...strings: string[]) => {
  const e = encoding.createEncoder();
  for (const s of strings) encoding.writeVarString(e, s);
  return encoding.toUint8Array(e);
};
const readAll = (bytes: Uint8Array, n: number) => {
  const d = decoding.createDecoder(bytes);
  return Array.from({ length: n }, () => decoding.readVarString(d));
};

describe('lib0 string reading (patched)', () => {
  it('is the patched reader', () => {
    expect(String(decoding.readVarString)).toContain('utf8Slice');
  });

  it('reads ASCII, multi-byte text, a real U+FFFD, a BOM and the empty string', () => {
    const strings = ['finding 42: p99 rose', 'café 中文 🚨', 'bad byte was \uFFFD', '\uFEFFbom', ''];
    expect(readAll(encoded(...strings), strings.length)).toEqual(strings);
  });

  it('reads from a view that starts inside a larger buffer', () => {
    const bytes = encoded('first', 'second');
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    expect(readAll(padded.subarray(5, 5 + bytes.length), 2)).toEqual(['first', 'second']);
  });

  it('refuses invalid UTF-8, as the fatal TextDecoder does', () => {
    const bytes = new Uint8Array([4, 0x41, 0xff, 0xfe, 0x41]);
    expect(() => readAll(bytes, 1)).toThrow(TypeError);
  });

  it('refuses a length past the end', () => {
    expect(() => readAll(new Uint8Array([9, 0x41, 0x42]), 1)).toThrow('Unexpected end of array');
  });
});
