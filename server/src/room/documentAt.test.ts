import { describe, expect, it } from 'vitest';
import { SnapshotState, packSnapshot } from '../store/snapshotCodec.js';
import type { LogRow, Snapshot } from '../store/UpdateLog.js';
import { logAt } from './documentAt.js';

const row = (seq: number): LogRow => ({ seq, bytes: Uint8Array.of(seq) });
const snapshotAt = (seq: number): Snapshot => ({ seq, state: new SnapshotState([]), parts: [] });

/** A log of rows 1..`last` whose snapshot read waits until the rows are asked for. */
function log(last: number, newestSeq: number, readSeq: number) {
  const reads: number[] = [];
  let rowsAsked!: () => void;
  const asked = new Promise<void>((resolve) => {
    rowsAsked = resolve;
  });
  return {
    reads,
    async latestSnapshotSeq() {
      return newestSeq;
    },
    async latestSnapshot() {
      await asked; // a read of the rows only after the snapshot would never come
      return snapshotAt(readSeq);
    },
    async readLog(_id: string, afterSeq = 0) {
      reads.push(afterSeq);
      rowsAsked();
      return Array.from({ length: last - afterSeq }, (_, i) => row(afterSeq + i + 1));
    },
  };
}

describe('the stored state of a point in the log', () => {
  it("reads the rows after the newest snapshot beside the snapshot's parts", async () => {
    const store = log(10, 6, 6);
    const slice = await logAt(store, 'inc');
    expect(store.reads).toEqual([6]);
    expect(slice.snapshot?.seq).toBe(6);
    expect(slice.rows.map((r) => r.seq)).toEqual([7, 8, 9, 10]);
    expect(slice.seq).toBe(10);
  });

  it('reads the rows again after the snapshot read when another took its place meanwhile', async () => {
    const store = log(10, 6, 8);
    const slice = await logAt(store, 'inc');
    expect(store.reads).toEqual([6, 8]);
    expect(slice.rows.map((r) => r.seq)).toEqual([9, 10]);
  });
});

describe('a snapshot read before', () => {
  const state = new TextEncoder().encode('the state as of row 6 '.repeat(1000));

  it('is unpacked instead of read while it is the newest: only the rows after it are read', async () => {
    const store = { ...log(10, 6, 6), latestSnapshot: () => Promise.reject(new Error('read again')) };
    const known = { seq: 6, parts: await packSnapshot(state) };
    const slice = await logAt(store, 'inc', undefined, known);
    expect(store.reads).toEqual([6]);
    expect(slice.snapshot?.seq).toBe(6);
    expect(slice.snapshot?.parts).toBe(known.parts);
    expect(Buffer.from(slice.snapshot?.state.bytes ?? [])).toEqual(Buffer.from(state));
    expect(slice.rows.map((r) => r.seq)).toEqual([7, 8, 9, 10]);
  });

  it('is not used once another snapshot is the newest', async () => {
    const store = log(10, 8, 8);
    const slice = await logAt(store, 'inc', undefined, { seq: 6, parts: await packSnapshot(state) });
    expect(store.reads).toEqual([8]);
    expect(slice.snapshot?.seq).toBe(8);
    expect(slice.snapshot?.state.byteLength).toBe(0); // the one read, not the one known
    expect(slice.rows.map((r) => r.seq)).toEqual([9, 10]);
  });
});
