// The sockets attached to one room, and the fan-out of its changes: each document update and
// awareness change is encoded once and the same bytes are sent to every connection. A new client
// is sent the document as stored (the room's last snapshot and the updates since), or, when that
// is not known, the full state encoded once per version of the document. Which presences each
// socket may set is the gate's (PresenceOwners).
import {
  encodeAwareness,
  encodeSyncStep2,
  encodeSyncStep2Empty,
  encodeSyncUpdate,
  encodeSyncUpdateHead,
} from '@sitrep/shared';
import { encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PresenceOwners } from '../gate/PresenceOwners.js';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom, WriteOrigin } from '../room/IncidentRoom.js';
import type { DeflatedSink } from './deflatedFrames.js';

export interface Peer {
  send(frame: Uint8Array): void;
}

/**
 * A snapshot's state as one sync update: its bytes in pieces, and the same as the stored deflate
 * stream (null: a snapshot of an older format), sent as it is stored where the socket reads it
 * (sync/deflatedFrames.ts), else the pieces after a head of their own as fragments of one
 * message, not copied into one buffer.
 */
export interface StoredStateMessage {
  state: readonly Uint8Array[];
  deflated: readonly Uint8Array[] | null;
}

/**
 * A reply as messages to send in order, each one frame; a message of several buffers is sent as
 * fragments of one.
 */
export type Reply = readonly (readonly Uint8Array[] | StoredStateMessage)[];

/** What sends a reply: a `ws` WebSocket, or a Connection's Socket. */
export interface ReplySocket {
  send(frame: Uint8Array, options?: { fin?: boolean }, sent?: (err?: Error) => void): void;
}

/**
 * Sends `reply` in order, a stored state as it is stored where `deflated` (the socket's, when it
 * reads stored deflate data) takes it; `sent` once its last frame is written out. Returns its bytes.
 */
export function sendReply(
  ws: ReplySocket,
  reply: Reply,
  sent?: () => void,
  deflated?: DeflatedSink | null,
): number {
  let bytes = 0;
  for (const [m, message] of reply.entries()) {
    const last = m === reply.length - 1 ? sent : undefined;
    if ('state' in message) {
      const length = message.state.reduce((n, p) => n + p.byteLength, 0);
      const head = encodeSyncUpdateHead(length);
      if (deflated && message.deflated) {
        bytes += deflated.write(head, message.deflated, last);
        continue;
      }
      ws.send(head, { fin: false });
      for (const [i, piece] of message.state.entries()) {
        const fin = i === message.state.length - 1;
        ws.send(piece, { fin }, fin ? last : undefined);
      }
      bytes += head.byteLength + length;
      continue;
    }
    for (const [i, part] of message.entries()) {
      const fin = i === message.length - 1;
      ws.send(part, { fin }, fin ? last : undefined);
      bytes += part.byteLength;
    }
  }
  return bytes;
}

/**
 * The document as stored, as a sync reply: the snapshot's state in pieces (`deflated`: the same
 * as its stored deflate stream, null if it has none) and each update after it as sync updates, then an
 * empty step 2, so a stock provider is synced once it has applied them all (a step 2 of the
 * snapshot would make it synced before the updates after it).
 */
export function storedReply(
  state: readonly Uint8Array[],
  deflated: readonly Uint8Array[] | null,
  tail: readonly Uint8Array[],
): Reply {
  return [{ state, deflated }, ...tail.map((u) => [encodeSyncUpdate(u)]), [encodeSyncStep2Empty()]];
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RoomChannel {
  readonly peers = new Set<Peer>();
  /** Whose each presence is: a socket's presence update is claimed here before it applies. */
  readonly presences: PresenceOwners<Peer>;
  /** The document's full state as a sync step 2 frame, once asked for; dropped on every update. */
  private fullState: Uint8Array | null = null;
  private readonly stopRelaying: () => void;

  constructor(
    readonly room: IncidentRoom,
    private readonly metrics: Metrics,
  ) {
    this.presences = new PresenceOwners(room.awareness);
    this.stopRelaying = room.onApplied(this.onUpdate);
    room.awareness.on('update', this.onAwareness);
  }

  /**
   * The reply to a client's sync step 1 (`stateVector` as sent, `clocks` decoded from it). A client
   * that lacks at least half of the document (a new one lacks all of it) gets the whole of it: as
   * stored (the room's last snapshot, then the updates since; storedReply), so the document is
   * not encoded on the event loop for each new client (about 0.8 s at 100k entries); else the
   * full state, encoded once per version of the document and sent as the same bytes to every such
   * client. A diff would be at least half as large and cost an encoding each time. One that lacks
   * less gets what it lacks, encoded for it.
   */
  async syncReply(stateVector: Uint8Array, clocks: ReadonlyMap<number, number>): Promise<Reply> {
    const { doc } = this.room;
    let total = 0;
    let covered = 0;
    for (const client of doc.store.clients.keys()) {
      const clock = Y.getState(doc.store, client);
      total += clock;
      covered += Math.min(clocks.get(client) ?? 0, clock);
    }
    if (covered * 2 > total) {
      this.metrics.syncReplies.inc({ answer: 'diff' });
      return [[encodeSyncStep2(doc, stateVector)]];
    }
    // Sent as soon as it resolves: the updates after it go to this client as to every peer.
    const stored = await this.room.storedState();
    if (stored) {
      this.metrics.syncReplies.inc({ answer: 'stored' });
      return storedReply([stored.state], stored.deflated, stored.tail);
    }
    if (this.fullState) {
      this.metrics.syncReplies.inc({ answer: 'cached' });
      return [[this.fullState]];
    }
    this.metrics.syncReplies.inc({ answer: 'full' });
    return [[(this.fullState = encodeSyncStep2(doc))]];
  }

  private readonly onUpdate = (update: Uint8Array, origin: WriteOrigin): void => {
    this.fullState = null;
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(frame);
  };

  /**
   * Removes what `peer` held when it leaves, so nobody sees it any more. y-protocols keeps each
   * departed presence's clock, so another provider's late echo of it changes nothing.
   */
  leave(peer: Peer): void {
    this.peers.delete(peer);
    const mine = this.presences.leave(peer);
    if (mine.length) removeAwarenessStates(this.room.awareness, mine, null);
  }

  private readonly onAwareness = ({ added, updated, removed }: AwarenessChange): void => {
    const frame = encodeAwareness(
      encodeAwarenessUpdate(this.room.awareness, [...added, ...updated, ...removed]),
    );
    for (const p of this.peers) p.send(frame);
  };

  detach(): void {
    this.stopRelaying();
    this.room.awareness.off('update', this.onAwareness);
  }
}
