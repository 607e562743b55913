// The sockets attached to one room, and the fan-out of its changes: each document update and
// awareness change is encoded once and the same bytes are sent to every connection.
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import { encodeAwareness, encodeSyncUpdate } from './protocol.js';

export interface Peer {
  send(frame: Uint8Array): void;
  /** Awareness client ids this peer set, removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RoomChannel {
  readonly peers = new Set<Peer>();

  constructor(readonly room: IncidentRoom) {
    room.doc.on('update', this.onUpdate);
    room.awareness.on('update', this.onAwareness);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(frame);
  };

  private readonly onAwareness = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    const changed = [...added, ...updated, ...removed];
    const peer = origin as Peer | null;
    if (peer && this.peers.has(peer)) {
      for (const id of added) peer.awarenessIds.add(id);
      for (const id of removed) peer.awarenessIds.delete(id);
    }
    const frame = encodeAwareness(encodeAwarenessUpdate(this.room.awareness, changed));
    for (const p of this.peers) p.send(frame);
  };

  detach(): void {
    this.room.doc.off('update', this.onUpdate);
    this.room.awareness.off('update', this.onAwareness);
  }
}
