import { EventEmitter } from 'node:events';
import { encodeSyncUpdateHead } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Metrics } from '../metrics.js';
import { SnapshotState, SnapshotUnpacker, deflatedStream, packSnapshot } from '../store/snapshotCodec.js';
import type { DeflatedSink } from './deflatedFrames.js';
import { EarlySocket, type ServedState } from './EarlySocket.js';

/** Sync step 1 with an empty state vector: a client that has nothing. */
const STEP1_EMPTY = Buffer.from([0, 0, 1, 0]);

/** A snapshot's state that refuses to be joined: serving it must not need the 60 MB copy. */
class UnjoinedState extends SnapshotState {
  override get bytes(): Uint8Array {
    throw new Error('the state was joined into one buffer');
  }
}

/** A `ws` socket that keeps what is sent on it, each frame with its fin flag. */
class FakeSocket extends EventEmitter {
  readonly sent: { data: Uint8Array; fin: boolean }[] = [];
  send(data: Uint8Array, options?: { fin?: boolean }, sent?: () => void): void {
    this.sent.push({ data, fin: options?.fin ?? true });
    sent?.();
  }
}

async function servedState(): Promise<{ stored: ServedState; state: Buffer; parts: Uint8Array[] }> {
  const state = Buffer.from('finding: pool saturated on checkout-api. '.repeat(60_000)); // 2.4 MB, 3 parts
  const parts = await packSnapshot(state);
  const inflated = await new SnapshotUnpacker().add(parts).state();
  const snapshot = { seq: 7, parts, state: new UnjoinedState([...inflated.pieces]) };
  return { stored: { seq: 8, snapshot, rows: [{ seq: 8, bytes: Buffer.of(0, 0) }] }, state, parts };
}

describe('a new client of a room being loaded', () => {
  it("is sent the snapshot's inflated pieces as fragments of one message, never joined", async () => {
    const { stored, state } = await servedState();
    expect(stored.snapshot.state.pieces.length).toBeGreaterThan(1);
    const ws = new FakeSocket();
    const early = new EarlySocket(ws as unknown as WebSocket, stored, new Metrics(), null);
    ws.emit('message', STEP1_EMPTY, true);
    await early.done;
    const pieces = stored.snapshot.state.pieces.length;
    const message = ws.sent.slice(0, 1 + pieces); // the head, then each piece
    expect(message.map((f) => f.fin)).toEqual([...message.slice(1).map(() => false), true]);
    const sent = Buffer.concat(message.map((f) => f.data));
    expect(sent.equals(Buffer.concat([encodeSyncUpdateHead(state.byteLength), state]))).toBe(true);
    expect(ws.sent.length).toBe(1 + pieces + 2); // then the row after the snapshot, and an empty step 2
  });

  it('is sent the parts as stored where its socket reads deflate data, the head giving the whole length', async () => {
    const { stored, state, parts } = await servedState();
    const writes: { head: Uint8Array; deflated: readonly Uint8Array[] }[] = [];
    const sink: DeflatedSink = {
      write(head, deflated, sent) {
        writes.push({ head, deflated });
        sent?.();
        return head.byteLength + deflated.reduce((n, d) => n + d.byteLength, 0);
      },
    };
    const ws = new FakeSocket();
    const early = new EarlySocket(ws as unknown as WebSocket, stored, new Metrics(), sink);
    ws.emit('message', STEP1_EMPTY, true);
    await early.done;
    expect(writes.length).toBe(1);
    expect(writes[0]?.head).toEqual(encodeSyncUpdateHead(state.byteLength));
    const want = deflatedStream(parts) ?? [];
    expect(writes[0]?.deflated.map((d, i) => Buffer.compare(d, want[i] ?? Buffer.of()))).toEqual(
      want.map(() => 0),
    );
  });
});
