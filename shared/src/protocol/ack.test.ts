import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { SitrepError } from '../error.js';
import { decodeAck, encodeAck, encodeNack } from './ack.js';
import { encodeSyncUpdate } from './messages.js';

describe('the ack frame', () => {
  it('carries an ack or a nack that decodes to what was encoded', () => {
    expect(decodeAck(encodeAck(3, 1_234_567))).toEqual({ ref: 3, ok: true, seq: 1_234_567 });
    expect(decodeAck(encodeNack(0, 'gate.secret: redact it'))).toEqual({
      ref: 0,
      ok: false,
      reason: 'gate.secret: redact it',
    });
  });

  it('is laid out as the README says: [100, 0, n, seq] and [100, 1, n, reason]', () => {
    expect([...encodeAck(2, 7)]).toEqual([100, 0, 2, 7]);
    expect([...encodeNack(2, 'no')]).toEqual([100, 1, 2, 2, ...new TextEncoder().encode('no')]);
  });

  it('refuses what is not a whole ack', () => {
    const kind9 = encoding.encode((e) => {
      for (const n of [100, 9, 0, 0]) encoding.writeVarUint(e, n);
    });
    const truncated = encodeAck(1, 2).subarray(0, 3);
    const trailing = new Uint8Array([...encodeAck(1, 2), 0]);
    for (const bytes of [encodeSyncUpdate(new Uint8Array([0, 0])), truncated, trailing, kind9]) {
      expect(() => decodeAck(bytes)).toThrow(SitrepError);
    }
  });
});
