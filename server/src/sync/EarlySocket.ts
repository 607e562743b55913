// A socket of a room still being loaded (room/RoomLoading), whose stored state has been read and
// has a snapshot. A new client, one whose first frame is a sync step 1 with an empty state vector,
// is answered from the stored state before the document is built: the newest snapshot and the log
// rows after it, in order (RoomChannel's storedReply: synced once it has applied them all). Every
// other frame is held, in order, for the Connection that takes the socket over once the document
// is built.
import { CLOSE_TRY_AGAIN, decodeMessage } from '@sitrep/shared';
import type { WebSocket } from 'ws';
import type { Metrics } from '../metrics.js';
import type { LogSlice } from '../room/documentAt.js';
import type { Snapshot } from '../store/UpdateLog.js';
import { deflatedStream } from '../store/snapshotCodec.js';
import { type EarlyHandOver, type HeldFrame, MAX_QUEUED_BYTES } from './Connection.js';
import type { DeflatedSink } from './deflatedFrames.js';
import { sendReply, storedReply } from './RoomChannel.js';

/** Bytes of rows after the snapshot sent besides it at most, past its own size. */
const EARLY_ROWS_BYTES = 4 * 1024 * 1024;

/** Stored state that has a snapshot: what an EarlySocket serves. */
export type ServedState = LogSlice & { snapshot: Snapshot };

/**
 * Whether the stored state is served to new clients before the document is built: when it has a
 * snapshot, and the rows after it (each sent as a frame of its own) are not much larger than it.
 */
export function servesEarly(stored: LogSlice): stored is ServedState {
  const { snapshot, rows } = stored;
  if (!snapshot) return false;
  return rows.reduce((n, r) => n + r.bytes.byteLength, 0) <= snapshot.state.byteLength + EARLY_ROWS_BYTES;
}

function size(data: HeldFrame['data']): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
}

/** Whether a frame is a sync step 1 with an empty state vector (a client that has nothing). */
function isNewClientStep1({ data, isBinary }: HeldFrame): boolean {
  if (!isBinary || Array.isArray(data)) return false;
  try {
    const msg = decodeMessage(Buffer.isBuffer(data) ? data : new Uint8Array(data));
    return msg.type === 'sync-step1' && msg.clocks.size === 0;
  } catch {
    return false; // the Connection answers a malformed frame
  }
}

export class EarlySocket {
  private held: HeldFrame[] = [];
  private heldBytes = 0;
  private sentBytes = 0;
  /** Settles once the first frame is answered from storage and sent, or needs no such answer. */
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly stored: ServedState,
    private readonly metrics: Metrics,
    /** Where the snapshot goes as it is stored, when the socket reads that. */
    private readonly deflated: DeflatedSink | null,
  ) {
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
    ws.on('message', this.onMessage);
    ws.once('close', () => this.finish());
  }

  private readonly onMessage = (data: HeldFrame['data'], isBinary: boolean): void => {
    const frame = { data, isBinary };
    const first = this.held.length === 0 && this.sentBytes === 0;
    if (first && isNewClientStep1(frame)) return this.serve();
    this.finish();
    this.heldBytes += size(data);
    if (this.heldBytes > MAX_QUEUED_BYTES)
      return this.ws.close(CLOSE_TRY_AGAIN, 'the incident is loading: too much was sent meanwhile');
    this.held.push(frame);
  };

  /** Answers a new client's step 1 from the stored state. */
  private serve(): void {
    const { snapshot, rows } = this.stored;
    const reply = storedReply(
      snapshot.state.pieces,
      deflatedStream(snapshot.parts),
      rows.map((r) => r.bytes),
    );
    this.sentBytes += sendReply(this.ws, reply, () => this.finish(), this.deflated);
    this.metrics.syncReplies.inc({ answer: 'stored' });
  }

  /** Stops holding: the frames held and the bytes sent go to the Connection that takes over. */
  handOver(): EarlyHandOver {
    this.ws.off('message', this.onMessage);
    this.finish();
    return { frames: this.held, sentBytes: this.sentBytes };
  }
}
