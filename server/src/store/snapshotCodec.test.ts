import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_PART_BYTES, packSnapshot, snapshotsToKeep, unpackSnapshot } from './snapshotCodec.js';

describe('snapshot codec', () => {
  it('round-trips a state through deflated parts of at most 1 MiB', async () => {
    const state = new Uint8Array(5 * SNAPSHOT_PART_BYTES);
    for (let i = 0; i < state.length; i++) state[i] = (i * 2654435761) >>> 24; // poorly compressible
    const parts = await packSnapshot(state);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= SNAPSHOT_PART_BYTES)).toBe(true);
    expect(Buffer.compare(await unpackSnapshot(parts), state)).toBe(0);
  });

  it('deflates each part on its own, so parts inflate side by side', async () => {
    const state = new TextEncoder().encode('finding: pool saturated on checkout-api. '.repeat(100_000));
    const parts = await packSnapshot(state);
    expect(parts.length).toBeGreaterThan(2);
    const pieces = parts.map((p) => inflateRawSync(p.subarray(1)));
    expect(pieces.slice(0, -1).every((p) => p.length === pieces[0]?.length)).toBe(true);
    expect(Buffer.compare(Buffer.concat(pieces), state)).toBe(0);
  });

  it('reads the older format, one deflate stream cut into parts, and an older reader refuses the new one', async () => {
    const state = new TextEncoder().encode('finding: replica lag on orders-db. '.repeat(200_000));
    const stream = deflateRawSync(state, { level: 1 });
    const older = [stream.subarray(0, 100_000), stream.subarray(100_000)];
    expect(Buffer.compare(await unpackSnapshot(older), state)).toBe(0);
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
