// Following the commits of the other nodes on one Postgres. Every commit is announced with its
// incident and last sequence number (the store's NOTIFY); a room this node holds that is behind
// then catches up from the log. Announcements sent while the listener was away are lost, so on
// every (re)connect, and whenever asked (the node's housekeeping timer), each loaded room is
// compared with the end of its log.
import type { Logger } from 'pino';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { Store } from '../store/Store.js';

/** The rooms this node holds (RoomRegistry), as the follower needs them. */
export interface FollowedRooms {
  loadedRoom(id: string): Pick<IncidentRoom, 'seq' | 'catchUp'> | undefined;
  loadedIds(): string[];
}

export class CommitFollower {
  constructor(
    private readonly rooms: FollowedRooms,
    private readonly store: Pick<Store, 'listenForCommits' | 'lastSeqs'>,
    private readonly log: Logger,
  ) {}

  /** Starts following; resolves once the listener is up. */
  listen(): Promise<void> {
    return this.store.listenForCommits(
      (incidentId, seq) => this.follow(incidentId, seq),
      () => void this.checkAll().catch((err: unknown) => this.log.warn({ err }, 'catch-up check failed')),
    );
  }

  /** A node committed up to `seq`: a room held here that is behind catches up. */
  follow(id: string, seq: number): void {
    const room = this.rooms.loadedRoom(id);
    if (room && seq > room.seq)
      room.catchUp(seq).catch((err: unknown) => this.log.warn({ err, incident: id }, 'catch-up failed'));
  }

  /** Catches up every loaded room that is behind the log: for announcements that were lost. */
  async checkAll(): Promise<void> {
    const seqs = await this.store.lastSeqs(this.rooms.loadedIds());
    for (const [id, seq] of seqs) this.follow(id, seq);
  }
}
