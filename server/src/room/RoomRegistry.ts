// The loaded incident rooms of this node: each is loaded once, on first use, from the store.
import { SitrepError } from '@sitrep/shared';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/Store.js';
import { IncidentRoom } from './IncidentRoom.js';

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<IncidentRoom>>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly snapshotEvery: number,
  ) {}

  /** The room of an existing incident; throws incident.not_found otherwise. */
  open(id: string): Promise<IncidentRoom> {
    let room = this.rooms.get(id);
    if (!room) {
      room = this.load(id);
      this.rooms.set(id, room);
      this.metrics.loadedDocuments.set(this.rooms.size);
      room.catch(() => {
        this.rooms.delete(id);
        this.metrics.loadedDocuments.set(this.rooms.size);
      });
    }
    return room;
  }

  private async load(id: string): Promise<IncidentRoom> {
    if (!(await this.store.getIncident(id))) throw new SitrepError('incident.not_found', `no incident ${id}`);
    return IncidentRoom.load(id, this.store, this.log, this.metrics, this.snapshotEvery);
  }

  get loaded(): number {
    return this.rooms.size;
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    this.rooms.clear();
    for (const r of rooms) {
      if (r.status !== 'fulfilled') continue;
      await r.value.settle();
      r.value.destroy();
    }
  }
}
