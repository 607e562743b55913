// The one mapping from an error to what a websocket is told, as `server/src/http/errors.ts` is
// for HTTP: a nack (for a refused write), the y-protocols permission-denied message that stock
// clients log, and the close code, if the socket is closed after.
import { type ErrorCode, SitrepError } from '../error.js';
import {
  CLOSE_FORBIDDEN,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_QUOTA,
  CLOSE_TRY_AGAIN,
  CLOSE_UNAUTHORIZED,
  type CloseCode,
  closeReason,
} from './closeCodes.js';

/**
 * What was refused: the socket itself (its token, its quota), an update it sent (a write), or
 * a presence (awareness) update it sent.
 */
export type Refused = 'socket' | 'write' | 'presence';

/** Each part is sent when set, in this order. */
export interface SocketReply {
  /** `code: message`, in the nack of a refused write (to a client that asked for acks). */
  nack: string | null;
  /** `code: message`, in a permission-denied message. */
  denied: string | null;
  /** The socket is then closed, or (null) stays usable. */
  close: { code: CloseCode; reason: string } | null;
}

/**
 * The close each error leads to, or null where the socket stays usable: the gate's refusals
 * leave it open (the client may go on writing what is allowed); a malformed frame closes it;
 * so does a write under another writer's client id, which may be a resend this node has not
 * caught up with yet, and a write the server failed to store: reconnecting resyncs the client,
 * which resends it. Codes a socket never meets are placed as what they would be.
 */
const CLOSE_AFTER: Record<ErrorCode, CloseCode | null> = {
  'request.malformed_json': CLOSE_PROTOCOL_ERROR,
  'request.invalid': null,
  'request.too_large': null,
  'request.media_type': null,
  'request.host': CLOSE_FORBIDDEN,
  'request.origin': CLOSE_FORBIDDEN,
  'route.not_found': null,
  'auth.missing': CLOSE_UNAUTHORIZED,
  'auth.invalid': CLOSE_UNAUTHORIZED,
  'auth.forbidden': CLOSE_FORBIDDEN,
  'quota.exceeded': CLOSE_QUOTA,
  'token.not_found': null,
  'incident.not_found': null,
  'incident.exists': null,
  'entry.not_found': null,
  'entry.unknown_ref': null,
  'gate.unknown_root': null,
  'gate.forbidden': null,
  'gate.client': CLOSE_TRY_AGAIN,
  'gate.overwrite': null,
  'gate.delete': null,
  'gate.schema': null,
  'gate.nested': null,
  'gate.content': null,
  'gate.secret': null,
  'gate.private': null,
  'gate.too_large': null,
  'gate.unresolved': null,
  'gate.malformed': null,
  'protocol.malformed': CLOSE_PROTOCOL_ERROR,
  'storage.unavailable': CLOSE_TRY_AGAIN,
  'storage.conflict': CLOSE_TRY_AGAIN,
  'summarizer.bad_output': CLOSE_TRY_AGAIN,
  'summarizer.failed': CLOSE_TRY_AGAIN,
  'import.invalid': null,
  'config.invalid': CLOSE_TRY_AGAIN,
  'cli.usage': null,
  'remote.error': CLOSE_TRY_AGAIN,
  'internal': CLOSE_TRY_AGAIN,
};

/** How a socket is answered when `refused` fails with `err` (anything not a SitrepError is internal). */
export function socketReply(
  refused: 'socket',
  err: unknown,
): SocketReply & { close: NonNullable<SocketReply['close']> };
export function socketReply(refused: Refused, err: unknown): SocketReply;
export function socketReply(refused: Refused, err: unknown): SocketReply {
  const e = err instanceof SitrepError ? err : new SitrepError('internal', `the ${refused} failed`);
  const said = `${e.code}: ${e.message}`;
  let code = CLOSE_AFTER[e.code];
  // A client that sends malformed frames does not speak the protocol: it is closed, not told.
  if (code === CLOSE_PROTOCOL_ERROR)
    return { nack: null, denied: null, close: { code, reason: closeReason(e.message) } };
  // A presence is resent by the client anyway: there is nothing a resync would bring back.
  if (refused === 'presence' && code === CLOSE_TRY_AGAIN) code = null;
  // A refused socket is closed whatever the reason; a refusal that would leave it open is a 4403.
  if (refused === 'socket') code ??= CLOSE_FORBIDDEN;
  return {
    nack: refused === 'write' ? said : null,
    denied: said,
    close: code === null ? null : { code, reason: closeReason(said) },
  };
}
