// The close codes sitrep's websocket ends a socket with, and what each tells the client: the
// RFC 6455 ones a client can act on, and 4000 + an HTTP status for a socket refused its token.
// Stock y-websocket providers do not reconnect after a 44xx close.

/** The server is shutting down; reconnect (to this node when it is back, or another). */
export const CLOSE_GOING_AWAY = 1001;
/** A malformed frame: the client does not speak the protocol. */
export const CLOSE_PROTOCOL_ERROR = 1002;
/** A text frame: sitrep speaks binary y-websocket frames only. */
export const CLOSE_UNSUPPORTED = 1003;
/** A frame over the server's size limit (`ws` closes with it by itself). */
export const CLOSE_TOO_LARGE = 1009;
/** Try again: a write was not stored; reconnecting resyncs, which resends it. */
export const CLOSE_TRY_AGAIN = 1013;
/** No token, or one that is invalid, expired or revoked. */
export const CLOSE_UNAUTHORIZED = 4401;
/** A token that may not open this incident. */
export const CLOSE_FORBIDDEN = 4403;
/** The token holds as many sockets as it may. */
export const CLOSE_QUOTA = 4429;

export type CloseCode =
  | typeof CLOSE_GOING_AWAY
  | typeof CLOSE_PROTOCOL_ERROR
  | typeof CLOSE_UNSUPPORTED
  | typeof CLOSE_TOO_LARGE
  | typeof CLOSE_TRY_AGAIN
  | typeof CLOSE_UNAUTHORIZED
  | typeof CLOSE_FORBIDDEN
  | typeof CLOSE_QUOTA;

/** Whether a close means the token will not do here: a client should stop and say so. */
export function deniesAccess(code: number): boolean {
  return code === CLOSE_UNAUTHORIZED || code === CLOSE_FORBIDDEN;
}

/** A close frame's reason is at most 123 bytes of UTF-8 (RFC 6455). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** `text` cut to fit a close frame, at a character boundary. */
export function closeReason(text: string): string {
  const utf8 = new TextEncoder();
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += utf8.encode(ch).byteLength;
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    end += ch.length;
  }
  return text.slice(0, end);
}
