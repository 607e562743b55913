// The sockets attached to one room, and the fan-out of its changes: each document update and
// awareness change is encoded once and the same bytes are sent to every connection, and so is the
// full state that new clients ask for, once per version of the document. Each presence
// (awareness client id) belongs to the socket that set it first, until that socket leaves; one
// shown from another node (PresenceRelay) is that node's while it is shown.
import { SitrepError, encodeAwareness, encodeSyncStep2, encodeSyncUpdate } from '@sitrep/shared';
import { encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { PresenceChange } from '../gate/presence.js';
import * as Y from 'yjs';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';

/** Presences one socket may hold: a stock provider has one, a client with several docs a few. */
export const MAX_PRESENCES_PER_PEER = 8;

export interface Peer {
  send(frame: Uint8Array): void;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RoomChannel {
  readonly peers = new Set<Peer>();
  /** Whose each presence is; y-protocols itself lets anyone overwrite anyone's. */
  private readonly presences = new Map<number, Peer>();
  private readonly held = new Map<Peer, Set<number>>();
  /** The document's full state as a sync step 2 frame, once asked for; dropped on every update. */
  private fullState: Uint8Array | null = null;

  constructor(
    readonly room: IncidentRoom,
    private readonly metrics: Metrics,
  ) {
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
   * Takes the presences `peer`'s update would change, or throws gate.forbidden if one is another
   * socket's (here, or on another node while shown), or gate.too_large past its share. What
   * would change nothing is passed over: stock providers send every presence they hear of back
   * to the server.
   */
  claimPresences(peer: Peer, changes: readonly PresenceChange[]): void {
    const { awareness } = this.room;
    const changing = changes.filter(({ client, clock, state }) => {
      const known = awareness.meta.get(client)?.clock;
      if (known === undefined) return clock > 0;
      return clock > known || (clock === known && state === null && awareness.states.has(client));
    });
    const mine = this.held.get(peer) ?? new Set<number>();
    const fresh = new Set(changing.map((c) => c.client).filter((c) => !mine.has(c)));
    for (const c of fresh) {
      if (this.presences.has(c) || awareness.states.has(c) || c === awareness.clientID) {
        throw new SitrepError('gate.forbidden', `presence ${c} belongs to another connection`);
      }
    }
    if (mine.size + fresh.size > MAX_PRESENCES_PER_PEER) {
      throw new SitrepError('gate.too_large', `a connection may hold at most ${MAX_PRESENCES_PER_PEER} presences`);
    }
    for (const c of fresh) {
      mine.add(c);
      this.presences.set(c, peer);
    }
    this.held.set(peer, mine);
  }

  /**
   * Removes what `peer` held when it leaves, so nobody sees it any more. y-protocols keeps each
   * departed presence's clock, so another provider's late echo of it changes nothing.
   */
  leave(peer: Peer): void {
    this.peers.delete(peer);
    const mine = [...(this.held.get(peer) ?? [])];
    this.held.delete(peer);
    for (const c of mine) this.presences.delete(c);
    if (mine.length) removeAwarenessStates(this.room.awareness, mine, null);
  }

  private readonly onAwareness = ({ added, updated, removed }: AwarenessChange): void => {
    const frame = encodeAwareness(encodeAwarenessUpdate(this.room.awareness, [...added, ...updated, ...removed]));
    for (const p of this.peers) p.send(frame);
  };

  detach(): void {
    this.room.doc.off('update', this.onUpdate);
    this.room.awareness.off('update', this.onAwareness);
  }
}
