// How snapshots sit in storage: deflated (fast level; a document is mostly JSON text) and cut
// into parts of at most 1 MiB, and which old snapshots are worth keeping.
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export const SNAPSHOT_PART_BYTES = 1 << 20;

/** Deflates off the event loop (zlib runs on the thread pool) and cuts the result into parts. */
export async function packSnapshot(state: Uint8Array): Promise<Uint8Array[]> {
  const packed = await deflate(state, { level: 1 });
  const parts: Uint8Array[] = [];
  for (let at = 0; at < packed.length || parts.length === 0; at += SNAPSHOT_PART_BYTES) {
    parts.push(packed.subarray(at, at + SNAPSHOT_PART_BYTES));
  }
  return parts;
}

/** zlib's output chunk when inflating: large chunks cut the copying of a big state by a third. */
const INFLATE_CHUNK_BYTES = 4 << 20;

/** The document state from its parts, in part order. */
export async function unpackSnapshot(parts: readonly Uint8Array[]): Promise<Uint8Array> {
  return inflate(Buffer.concat(parts), { chunkSize: INFLATE_CHUNK_BYTES });
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
