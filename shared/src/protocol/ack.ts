// sitrep's ack frame: for the n-th update a client sent on its socket, an ack with the sequence
// number that made it durable (0 when it held nothing new), or a nack with the reason. Sent only
// to clients that asked for it (`?acks=1`), so a stock client never receives it. The layout is
// the README's: `[100, 0, n, seq]` or `[100, 1, n, reason]`, lib0 varuints and a varstring.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SitrepError } from '../error.js';
import { MESSAGE_SITREP_ACK } from './messages.js';

export const ACK = 0;
export const NACK = 1;

const malformed = (why: string) => new SitrepError('protocol.malformed', why);

export type AckMessage = { ref: number } & ({ ok: true; seq: number } | { ok: false; reason: string });

export function encodeAck(ref: number, seq: number): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SITREP_ACK);
    encoding.writeVarUint(e, ACK);
    encoding.writeVarUint(e, ref);
    encoding.writeVarUint(e, seq);
  });
}

export function encodeNack(ref: number, reason: string): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SITREP_ACK);
    encoding.writeVarUint(e, NACK);
    encoding.writeVarUint(e, ref);
    encoding.writeVarString(e, reason);
  });
}

/** Decodes an ack frame, for clients; refuses any other frame. */
export function decodeAck(bytes: Uint8Array): AckMessage {
  const d = decoding.createDecoder(bytes);
  try {
    if (decoding.readVarUint(d) !== MESSAGE_SITREP_ACK) throw malformed('not an ack');
    const kind = decoding.readVarUint(d);
    const ref = decoding.readVarUint(d);
    let ack: AckMessage;
    if (kind === ACK) ack = { ref, ok: true, seq: decoding.readVarUint(d) };
    else if (kind === NACK) ack = { ref, ok: false, reason: decoding.readVarString(d) };
    else throw malformed(`unknown ack kind ${kind}`);
    if (decoding.hasContent(d)) throw malformed('trailing bytes after the ack');
    return ack;
  } catch (err) {
    throw err instanceof SitrepError ? err : malformed('truncated or malformed ack');
  }
}
