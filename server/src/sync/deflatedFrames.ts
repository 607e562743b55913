// A websocket message whose payload is stored deflate data, written as it is stored
// (permessage-deflate, RFC 7692): a large incident's snapshot goes to a new client as its parts
// sit in storage (one sync-flushed deflate stream, store/snapshotCodec.ts), about a quarter of
// the state's bytes, neither inflated nor deflated again on the way. Only sockets whose upgrade
// accepted the extension (DEFLATE_OPTIONS) with the server's context reset after each message
// and the full window (what the parts were deflated with) can read it; `ws` itself compresses
// nothing on them (its threshold is never reached), so every other frame goes out as before.
import type { Duplex } from 'node:stream';
import type { PerMessageDeflateOptions } from 'ws';

/**
 * permessage-deflate as sockets that may be sent stored state accept it: each side's context
 * reset after every message (the stored stream starts with none, and no socket keeps a window
 * between messages), and `ws` compressing nothing itself.
 */
export const DEFLATE_OPTIONS: PerMessageDeflateOptions = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  threshold: Number.POSITIVE_INFINITY,
};

/** Writes one message whose payload is already deflated; its bytes on the wire. */
export interface DeflatedSink {
  /**
   * `head` (a few bytes, stored uncompressed inside the stream) and then `deflated`, a deflate
   * stream without its end, as one binary message; `sent` once its last frame is written out.
   */
  write(head: Uint8Array, deflated: readonly Uint8Array[], sent?: () => void): number;
}

/**
 * The Sec-WebSocket-Extensions value a server answered an upgrade with (`ws` emits a server's
 * 'headers' before it writes them), or '' when it accepted none.
 */
export function acceptedExtensions(headers: readonly string[]): string {
  const line = headers.find((h) => /^sec-websocket-extensions:/i.test(h));
  return line ? line.slice(line.indexOf(':') + 1).trim() : '';
}

/**
 * Whether the extensions accepted on an upgrade (acceptedExtensions) let the socket read stored
 * deflate data: permessage-deflate with no server context kept and no window smaller than
 * deflate's default.
 */
export function readsDeflated(extensions: string): boolean {
  const [name, ...params] = extensions.split(';').map((p) => p.trim());
  if (name !== 'permessage-deflate') return false;
  return (
    params.includes('server_no_context_takeover') &&
    params.every((p) => !p.startsWith('server_max_window_bits') || p === 'server_max_window_bits=15')
  );
}

/** A websocket frame's head: binary (first) or continuation, unmasked as a server's are. */
function frameHead(first: boolean, fin: boolean, length: number): Buffer {
  const byte0 = (fin ? 0x80 : 0) | (first ? 0x40 | 0x02 : 0x00); // RSV1 marks the message deflated
  if (length < 126) return Buffer.of(byte0, length);
  if (length < 65_536) return Buffer.of(byte0, 126, length >> 8, length & 0xff);
  const head = Buffer.alloc(10);
  head[0] = byte0;
  head[1] = 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head;
}

/** `bytes` (under 64 KiB) as an uncompressed deflate block, not the last. */
function storedBlock(bytes: Uint8Array): Buffer {
  const n = bytes.byteLength;
  return Buffer.concat([Buffer.of(0x00, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff), bytes]);
}

/**
 * Writes stored deflate data to `socket`, the raw stream under a `ws` WebSocket whose upgrade
 * accepted DEFLATE_OPTIONS; null when it did not (`extensions`, as accepted, say so). Frames written
 * here go out in order with `ws`'s own, which it writes at once (it never compresses on them).
 */
export function deflatedSink(socket: Duplex, extensions: string): DeflatedSink | null {
  if (!readsDeflated(extensions)) return null;
  return {
    write(head, deflated, sent) {
      // One frame per piece (a part is at most 1 MiB), the head's block first.
      const frames = [storedBlock(head), ...deflated];
      let bytes = 0;
      socket.cork();
      for (const [i, body] of frames.entries()) {
        const fin = i === frames.length - 1;
        const frame = frameHead(i === 0, fin, body.byteLength);
        socket.write(frame);
        socket.write(body, fin ? () => sent?.() : undefined);
        bytes += frame.byteLength + body.byteLength;
      }
      socket.uncork();
      return bytes;
    },
  };
}
