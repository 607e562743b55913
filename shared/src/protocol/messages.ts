// The y-websocket wire format as sitrep speaks it: the message numbers as named constants, a
// strict decoder for the frames a client sends, and pure encoders for the frames the server
// sends. No I/O; the server's sync/ and any client import it from here.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { SitrepError } from '../error.js';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** sitrep's own message, the ack of a client's update (see `ack.ts`); y-websocket's types are 0-3. */
export const MESSAGE_SITREP_ACK = 100;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

const AUTH_PERMISSION_DENIED = 0;

export type IncomingMessage =
  /** `clocks` is `stateVector` decoded: the clock the client has of each writer's client id. */
  | { type: 'sync-step1'; stateVector: Uint8Array; clocks: Map<number, number> }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

const malformed = (why: string) => new SitrepError('protocol.malformed', why);

/** Decodes one client frame; anything else than one well-formed message is refused. */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
  const decoder = decoding.createDecoder(frame);
  let message: IncomingMessage;
  try {
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP1)
        message = { type: 'sync-step1', stateVector: payload, clocks: decodeStateVector(payload) };
      else if (step === SYNC_STEP2) message = { type: 'sync-step2', update: payload };
      else if (step === SYNC_UPDATE) message = { type: 'sync-update', update: payload };
      else throw malformed(`unknown sync step ${step}`);
    } else if (type === MESSAGE_AWARENESS) {
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      message = { type: 'query-awareness' };
    } else {
      throw malformed(`unknown message type ${type}`);
    }
  } catch (err) {
    throw err instanceof SitrepError ? err : malformed('truncated or malformed frame');
  }
  if (decoding.hasContent(decoder)) throw malformed('trailing bytes after the message');
  return message;
}

/** A state vector's clocks by client id; refuses one that is not a whole state vector. */
function decodeStateVector(payload: Uint8Array): Map<number, number> {
  const d = decoding.createDecoder(payload);
  const clocks = new Map<number, number>();
  for (let n = decoding.readVarUint(d); n > 0; n--)
    clocks.set(decoding.readVarUint(d), decoding.readVarUint(d));
  if (decoding.hasContent(d)) throw malformed('trailing bytes after the state vector');
  return clocks;
}

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return syncFrame(SYNC_STEP1, Y.encodeStateVector(doc));
}

/**
 * The reply to a client's step 1: what the client lacks (all of the document without a state
 * vector). Throws on a malformed state vector.
 */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  let update: Uint8Array;
  try {
    update = Y.encodeStateAsUpdate(doc, stateVector);
  } catch {
    throw malformed('malformed state vector');
  }
  return syncFrame(SYNC_STEP2, update);
}

/**
 * The first bytes of a sync update frame that carries `updateBytes` bytes of update: sent as a
 * fragment before the update itself (a room's snapshot, served as stored), so a 58 MB snapshot is
 * not copied into a frame of its own.
 */
export function encodeSyncUpdateHead(updateBytes: number): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint(e, updateBytes);
  });
}

/**
 * A step 2 that adds nothing: sent after the updates that make up the document as stored, it
 * tells a client it is synced (a stock provider's `synced`) once it has applied all of them.
 */
export function encodeSyncStep2Empty(): Uint8Array {
  return syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(new Y.Doc()));
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return syncFrame(SYNC_UPDATE, update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}

/** The y-protocols auth message that stock clients understand as "permission denied". */
export function encodePermissionDenied(reason: string): Uint8Array {
  return encoding.encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, AUTH_PERMISSION_DENIED);
    encoding.writeVarString(e, reason);
  });
}
