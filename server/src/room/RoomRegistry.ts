// The loaded incident rooms of this node: each is loaded once, on first use, from the store.
import { SitrepError } from '@sitrep/shared';
import { DEFAULT_POLICY, type PrivacyPolicy } from '@sitrep/shared/sanitizer';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/Store.js';
import { IncidentRoom, type RoomStore } from './IncidentRoom.js';

/**
 * Told when a room enters and leaves memory (the views keep each loaded room's `view` root; the
 * presence relay carries its presence to and from the other nodes).
 */
export interface RoomObserver {
  attach(room: IncidentRoom): void;
  detach(room: IncidentRoom): void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<IncidentRoom>>();
  /** The rooms whose load has finished. */
  private readonly ready = new Map<string, IncidentRoom>();

  constructor(
    private readonly store: RoomStore & Pick<Store, 'getIncident'>,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly snapshotEvery: number,
    private readonly observers: readonly RoomObserver[] = [],
    /** The deployment's privacy policy: what each room's gate refuses (gate.private). */
    readonly policy: PrivacyPolicy = DEFAULT_POLICY,
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
    const stopTimer = this.metrics.documentLoadSeconds.startTimer();
    const room = await IncidentRoom.load(
      id,
      this.store,
      this.log,
      this.metrics,
      this.snapshotEvery,
      this.policy,
    ).catch((err: unknown) => {
      stopTimer({ outcome: 'failed' });
      throw err;
    });
    stopTimer({ outcome: 'ok' });
    this.ready.set(id, room);
    for (const o of this.observers) o.attach(room);
    return room;
  }

  /** The room of `id` if it is loaded and its load has finished. */
  loadedRoom(id: string): IncidentRoom | undefined {
    return this.ready.get(id);
  }

  /** The incidents whose rooms are loaded. */
  loadedIds(): string[] {
    return [...this.ready.keys()];
  }

  /** Unloads rooms nobody has used for `idleMs`; the document is rebuilt from storage on next use. */
  async sweep(idleMs: number): Promise<number> {
    const idle = [...this.ready.values()].filter((r) => r.idleFor(idleMs));
    for (const room of idle) {
      this.ready.delete(room.id);
      this.rooms.delete(room.id);
    }
    this.metrics.loadedDocuments.set(this.rooms.size);
    for (const room of idle) {
      for (const o of this.observers) o.detach(room);
      await room.settle();
      room.destroy();
    }
    return idle.length;
  }

  get loaded(): number {
    return this.rooms.size;
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    this.rooms.clear();
    this.ready.clear();
    for (const r of rooms) {
      if (r.status !== 'fulfilled') continue;
      for (const o of this.observers) o.detach(r.value);
      await r.value.settle();
      r.value.destroy();
    }
  }
}
