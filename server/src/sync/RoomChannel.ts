// The sockets attached to one room, and the fan-out of its changes: each document update and
// awareness change is encoded once and the same bytes are sent to every connection, and so is the
// full state that new clients ask for, once per version of the document. Which presences each
// socket may set is the gate's (PresenceOwners).
import { encodeAwareness, encodeSyncStep2, encodeSyncUpdate } from '@sitrep/shared';
import { encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PresenceOwners } from '../gate/PresenceOwners.js';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';

export interface Peer {
  send(frame: Uint8Array): void;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RoomChannel {
  readonly peers = new Set<Peer>();
  /** Whose each presence is: a socket's presence update is claimed here before it applies. */
  readonly presences: PresenceOwners<Peer>;
  /** The document's full state as a sync step 2 frame, once asked for; dropped on every update. */
  private fullState: Uint8Array | null = null;

  constructor(
    readonly room: IncidentRoom,
    private readonly metrics: Metrics,
  ) {
    this.presences = new PresenceOwners(room.awareness);
    room.doc.on('update', this.onUpdate);
    room.awareness.on('update', this.onAwareness);
  }

  /**
   * The reply to a client's sync step 1 (`stateVector` as sent, `clocks` decoded from it). A client
   * that lacks at least half of the document (a new one lacks all of it) gets the full state, which
   * is encoded once per version of the document and sent as the same bytes to every such client:
   * a diff would be at least half as large and cost an encoding each time. One that lacks less
   * gets what it lacks, encoded for it.
   */
  syncReply(stateVector: Uint8Array, clocks: ReadonlyMap<number, number>): Uint8Array {
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
      return encodeSyncStep2(doc, stateVector);
    }
    if (this.fullState) {
      this.metrics.syncReplies.inc({ answer: 'cached' });
      return this.fullState;
    }
    this.metrics.syncReplies.inc({ answer: 'full' });
    return (this.fullState = encodeSyncStep2(doc));
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
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
    this.room.doc.off('update', this.onUpdate);
    this.room.awareness.off('update', this.onAwareness);
  }
}
