// How snapshots sit in storage: cut into parts that are each deflated on their own (fast level; a
// document is mostly JSON text), so packing and unpacking run on the whole thread pool at once,
// each ending on a byte boundary so that the parts joined are one deflate stream a websocket can
// carry as it is stored (sync/deflatedFrames.ts); and which old snapshots are worth keeping.
import { promisify } from 'node:util';
import { constants, deflateRaw, inflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** The largest stored part. */
export const SNAPSHOT_PART_BYTES = 1 << 20;
/**
 * State bytes per part: deflate may grow incompressible input by a few hundred bytes per MiB.
 * zlib's output buffer is a whole part, so each part crosses from the thread pool once: with the
 * default 16 KiB, the 100k state's inflate took 230 to 370 ms instead of 130 to 200.
 */
const STATE_BYTES_PER_PART = SNAPSHOT_PART_BYTES - 4096;
/**
 * The first byte of every part that is its own deflate stream, ended by a sync flush (an empty
 * stored block, no final block), so the parts joined in order are one deflate stream without an
 * end: what permessage-deflate (RFC 7692) carries, the receiver adding the empty block's bytes
 * itself. As the start of a deflate stream it is a block of the reserved type 3, which zlib
 * refuses: a node from before this format fails to load such a snapshot instead of misreading it.
 */
const FLUSHED_PARTS = 0x06;
/**
 * The first byte of parts of the format before (2026-12-02 to 2026-12-06): each its own deflate
 * stream ended by a final block, so they inflate side by side but cannot be joined. Parts with
 * neither byte first are the oldest format (one stream cut into parts).
 */
const INDEPENDENT_PARTS = 0x07;
/** The empty stored block a sync flush ends with; permessage-deflate leaves it off the wire. */
const SYNC_FLUSH_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** Cuts the state and deflates each piece off the event loop (zlib runs on the thread pool). */
export async function packSnapshot(state: Uint8Array): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < state.length || pieces.length === 0; at += STATE_BYTES_PER_PART) {
    pieces.push(state.subarray(at, at + STATE_BYTES_PER_PART));
  }
  const deflated = await Promise.all(
    pieces.map((piece) =>
      deflate(piece, { level: 1, chunkSize: SNAPSHOT_PART_BYTES, finishFlush: constants.Z_SYNC_FLUSH }),
    ),
  );
  return deflated.map((d) => Buffer.concat([Buffer.of(FLUSHED_PARTS), d]));
}

/**
 * The parts as one deflate stream (sync-flushed, the last flush's empty block left off, as
 * permessage-deflate sends a message), each piece a view of its part; null for the older formats.
 */
export function deflatedStream(parts: readonly Uint8Array[]): Uint8Array[] | null {
  if (parts.length === 0 || !parts.every((p) => p[0] === FLUSHED_PARTS)) return null;
  const pieces = parts.map((p) => p.subarray(1));
  const last = pieces.length - 1;
  const end = pieces[last] as Uint8Array;
  if (!Buffer.from(end.subarray(end.length - 4)).equals(SYNC_FLUSH_TAIL)) return null;
  pieces[last] = end.subarray(0, end.length - 4);
  return pieces;
}

/**
 * A snapshot's state as inflated: its pieces in part order, joined into one buffer only when
 * `bytes` is first read. Serving it to a client needs no join (the pieces go as fragments of one
 * message, or the parts as stored); building a document does, and pays the copy then (about
 * 0.2 s for 60 MB on this VM, on the event loop).
 */
export class SnapshotState {
  private held: readonly Uint8Array[];
  /** The state's length in bytes. */
  readonly byteLength: number;

  constructor(pieces: readonly Uint8Array[]) {
    this.held = pieces;
    this.byteLength = pieces.reduce((n, p) => n + p.byteLength, 0);
  }

  /** The state in pieces, in order (one piece once joined). */
  get pieces(): readonly Uint8Array[] {
    return this.held;
  }

  /** The state as one buffer: the pieces are joined the first time (and then dropped). */
  get bytes(): Uint8Array {
    const [only] = this.held;
    if (this.held.length === 1 && only) return only;
    const joined = Buffer.concat(this.held);
    this.held = [joined];
    return joined;
  }
}

/**
 * Unpacks a snapshot's parts as they are read: each part is inflated as soon as it is added, side
 * by side with the reads of the next ones, and `state` has them in part order.
 */
export class SnapshotUnpacker {
  private readonly parts: Uint8Array[] = [];
  private readonly pieces: Promise<Uint8Array>[] = [];

  add(parts: readonly Uint8Array[]): this {
    for (const part of parts) {
      this.parts.push(part);
      if (part[0] !== FLUSHED_PARTS && part[0] !== INDEPENDENT_PARTS) continue;
      const piece = inflate(part.subarray(1), {
        chunkSize: SNAPSHOT_PART_BYTES,
        finishFlush: constants.Z_SYNC_FLUSH, // a flushed part has no final block
      });
      piece.catch(() => {}); // a read given up meanwhile never asks for its state
      this.pieces.push(piece);
    }
    return this;
  }

  /** The document state of the parts added, not joined. */
  async state(): Promise<SnapshotState> {
    if (this.pieces.length !== this.parts.length)
      return new SnapshotState([await inflate(Buffer.concat(this.parts), { chunkSize: 4 << 20 })]); // the older format
    return new SnapshotState(await Promise.all(this.pieces));
  }
}

/** The document state from its parts, inflated side by side and joined in part order. */
export async function unpackSnapshot(parts: readonly Uint8Array[]): Promise<Uint8Array> {
  return (await new SnapshotUnpacker().add(parts).state()).bytes;
}

/**
 * Snapshots to keep when `seqs` exist: the newest, and the newest in each power-of-two band of
 * age behind it (1, 2–3, 4–7, … rows older). Loads need only the newest; the rest keep replay of
 * old points cheap, and storage grows with the log's length times its logarithm, not its square.
 */
export function snapshotsToKeep(seqs: readonly number[]): Set<number> {
  const newest = Math.max(...seqs);
  const bands = new Map<number, number>();
  for (const seq of seqs) {
    const band = seq === newest ? -1 : Math.floor(Math.log2(newest - seq));
    if ((bands.get(band) ?? -Infinity) < seq) bands.set(band, seq);
  }
  return new Set(bands.values());
}
