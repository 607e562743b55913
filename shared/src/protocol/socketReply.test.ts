import { describe, expect, it } from 'vitest';
import { SitrepError } from '../error.js';
import {
  CLOSE_FORBIDDEN,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_QUOTA,
  CLOSE_TRY_AGAIN,
  CLOSE_UNAUTHORIZED,
  MAX_CLOSE_REASON_BYTES,
  closeReason,
  deniesAccess,
} from './closeCodes.js';
import { socketReply } from './socketReply.js';

const closeOf = (r: ReturnType<typeof socketReply>) => r.close?.code ?? null;

describe('the websocket reply to an error', () => {
  it('refuses a socket with 4401, 4403 or 4429 after saying why', () => {
    for (const [code, close] of [
      ['auth.missing', CLOSE_UNAUTHORIZED],
      ['auth.invalid', CLOSE_UNAUTHORIZED],
      ['auth.forbidden', CLOSE_FORBIDDEN],
      ['quota.exceeded', CLOSE_QUOTA],
    ] as const) {
      const reply = socketReply('socket', new SitrepError(code, 'no'));
      expect(reply).toEqual({
        nack: null,
        denied: `${code}: no`,
        close: { code: close, reason: `${code}: no` },
      });
    }
  });

  it('leaves a socket usable after a gate refusal: a write is nacked and denied, a presence denied', () => {
    const refusal = new SitrepError('gate.overwrite', 'entries are append-only');
    const said = 'gate.overwrite: entries are append-only';
    expect(socketReply('write', refusal)).toEqual({ nack: said, denied: said, close: null });
    const presence = socketReply('presence', new SitrepError('gate.too_large', 'too big'));
    expect(presence).toEqual({ nack: null, denied: 'gate.too_large: too big', close: null });
  });

  it("closes with 1013 after a write under another writer's client id or one the server failed to store", () => {
    const errors = [
      new SitrepError('gate.client', 'not yours'),
      new SitrepError('storage.unavailable', 'down'),
      new SitrepError('internal', 'x'),
      new Error('a bug'),
    ];
    for (const err of errors) {
      const reply = socketReply('write', err);
      expect([closeOf(reply), reply.nack]).toEqual([CLOSE_TRY_AGAIN, reply.denied]);
    }
    expect(socketReply('write', new Error('a bug')).denied).toBe('internal: the write failed');
  });

  it('only denies a presence the server failed to check: a resync would bring nothing back', () => {
    const reply = socketReply('presence', new Error('scanner crashed'));
    expect(reply).toEqual({ nack: null, denied: 'internal: the presence failed', close: null });
  });

  it('closes a malformed frame with 1002 and its reason, without a reply in the protocol', () => {
    for (const refused of ['socket', 'write', 'presence'] as const) {
      expect(socketReply(refused, new SitrepError('protocol.malformed', 'unknown message type 9'))).toEqual({
        nack: null,
        denied: null,
        close: { code: CLOSE_PROTOCOL_ERROR, reason: 'unknown message type 9' },
      });
    }
  });

  it('keeps close reasons within a close frame', () => {
    const reply = socketReply('socket', new SitrepError('auth.forbidden', 'é'.repeat(200)));
    expect(new TextEncoder().encode(reply.close.reason).byteLength).toBeLessThanOrEqual(
      MAX_CLOSE_REASON_BYTES,
    );
    expect(reply.denied).toBe(`auth.forbidden: ${'é'.repeat(200)}`);
  });
});

describe('close codes', () => {
  it('say a token will not do with 4401 and 4403 only', () => {
    expect([4401, 4403, 4429, 1013, 1002, 1000].filter(deniesAccess)).toEqual([4401, 4403]);
  });

  it('cut a reason at a character boundary, never inside one', () => {
    expect(closeReason('short')).toBe('short');
    const cut = closeReason(`${'a'.repeat(122)}é`);
    expect(cut).toBe('a'.repeat(122));
    expect(closeReason('😀'.repeat(40))).toBe('😀'.repeat(30));
  });
});
