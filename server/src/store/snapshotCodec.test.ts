import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  SNAPSHOT_PART_BYTES,
  SnapshotUnpacker,
  deflatedStream,
  packSnapshot,
  snapshotsToKeep,
  unpackSnapshot,
} from './snapshotCodec.js';

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };

describe('snapshot codec', () => {
  it('round-trips a state through deflated parts of at most 1 MiB', async () => {
    const state = new Uint8Array(5 * SNAPSHOT_PART_BYTES);
    for (let i = 0; i < state.length; i++) state[i] = (i * 2654435761) >>> 24; // poorly compressible
    const parts = await packSnapshot(state);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= SNAPSHOT_PART_BYTES)).toBe(true);
    expect(Buffer.compare(await unpackSnapshot(parts), state)).toBe(0);
  });

  it('unpacks into pieces, one a part, joined only when the bytes are first read', async () => {
    const state = new TextEncoder().encode('finding: pool saturated on checkout-api. '.repeat(100_000));
    const parts = await packSnapshot(state);
    const unpacked = await new SnapshotUnpacker().add(parts).state();
    expect(unpacked.pieces.length).toBe(parts.length);
    expect(unpacked.byteLength).toBe(state.byteLength);
    expect(Buffer.compare(unpacked.bytes, state)).toBe(0);
    const [joined, ...more] = unpacked.pieces; // joined once, the pieces dropped
    expect(joined === unpacked.bytes && more.length === 0).toBe(true);
  });

  it('deflates each part on its own, so parts inflate side by side', async () => {
    const state = new TextEncoder().encode('finding: pool saturated on checkout-api. '.repeat(100_000));
    const parts = await packSnapshot(state);
    expect(parts.length).toBeGreaterThan(2);
    const pieces = parts.map((p) => inflateRawSync(p.subarray(1), SYNC));
    expect(pieces.slice(0, -1).every((p) => p.length === pieces[0]?.length)).toBe(true);
    expect(Buffer.compare(Buffer.concat(pieces), state)).toBe(0);
  });

  it('joins the parts into one deflate stream without its end, as permessage-deflate carries a message', async () => {
    const state = new TextEncoder().encode('finding: disk full on ingest-7. '.repeat(150_000));
    const parts = await packSnapshot(state);
    const stream = deflatedStream(parts);
    expect(stream).toHaveLength(parts.length);
    // The receiver adds the empty block's four bytes (RFC 7692 7.2.2) and inflates the message.
    const message = Buffer.concat([...(stream ?? []), Buffer.of(0x00, 0x00, 0xff, 0xff)]);
    expect(Buffer.compare(inflateRawSync(message, SYNC), state)).toBe(0);
    expect(message.length).toBeLessThan(state.length / 4);
  });

  it('reads the format before, parts each ended by a final block, and joins none of it', async () => {
    const state = new TextEncoder().encode('finding: cert expired on edge. '.repeat(100_000));
    const half = state.length >> 1;
    const before = [state.subarray(0, half), state.subarray(half)].map((piece) =>
      Buffer.concat([Buffer.of(0x07), deflateRawSync(piece, { level: 1 })]),
    );
    expect(Buffer.compare(await unpackSnapshot(before), state)).toBe(0);
    expect(deflatedStream(before)).toBeNull();
  });

  it('reads the older format, one deflate stream cut into parts, and an older reader refuses the new one', async () => {
    const state = new TextEncoder().encode('finding: replica lag on orders-db. '.repeat(200_000));
    const stream = deflateRawSync(state, { level: 1 });
    const older = [stream.subarray(0, 100_000), stream.subarray(100_000)];
    expect(Buffer.compare(await unpackSnapshot(older), state)).toBe(0);
    expect(deflatedStream(older)).toBeNull();
    // How a node from before this format unpacked: inflate the parts joined as one stream.
    const parts = await packSnapshot(state);
    expect(() => inflateRawSync(Buffer.concat(parts))).toThrow(/invalid block type/);
  });

  it('stores an empty state as one part', async () => {
    const parts = await packSnapshot(new Uint8Array(0));
    expect(parts).toHaveLength(1);
    expect((await unpackSnapshot(parts)).length).toBe(0);
  });

  it('keeps the newest snapshot and one per power-of-two band of age', () => {
    const seqs = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
    const kept = [...snapshotsToKeep(seqs)].sort((a, b) => b - a);
    expect(kept[0]).toBe(100_000);
    expect(kept).toEqual([100_000, 99_000, 98_000, 97_000, 95_000, 91_000, 83_000, 67_000, 34_000]);
    // Thinning again after more snapshots never keeps more than log2 of the span plus one.
    const later = snapshotsToKeep([...kept, 101_000, 102_000]);
    expect(later.size).toBeLessThanOrEqual(Math.ceil(Math.log2(102_000)) + 1);
    expect(later.has(102_000)).toBe(true);
  });
});
