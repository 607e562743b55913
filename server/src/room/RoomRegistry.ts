// The loaded incident rooms of this node: each is loaded once, on first use, from the store,
// with the incident's privacy policy, which is read again when its allowances change.
import { SitrepError } from '@sitrep/shared';
import { DEFAULT_POLICY, type PrivacyPolicy } from '@sitrep/shared/sanitizer';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/Store.js';
import { IncidentRoom, type RoomStore } from './IncidentRoom.js';
import { RecentSnapshots } from './RecentSnapshots.js';
import { RoomLoading } from './RoomLoading.js';
import { RoomPolicy, type RoomSanitizer } from './RoomPolicy.js';

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
  /** The rooms being loaded: their stored state once read, served to new clients meanwhile. */
  private readonly loadings = new Map<string, RoomLoading>();
  /** The newest snapshots of the rooms unloaded last, until they load again: a reopen reads only the rows after. */
  readonly recentSnapshots = new RecentSnapshots();
  /** The rooms between leaving the registry and keeping their snapshot: true once a purge of one is heard. */
  private readonly unloading = new Map<string, boolean>();

  constructor(
    private readonly store: RoomStore & Pick<Store, 'getIncident'>,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly snapshotEvery: number,
    private readonly observers: readonly RoomObserver[] = [],
    /**
     * The incident's privacy policy, its allowances applied, and its sanitizer key
     * (IncidentPrivacy#settings): what its room's gate refuses (gate.private) and its own view
     * writes are redacted under.
     */
    private readonly settingsOf: (incidentId: string) => Promise<RoomSanitizer> = async () => ({
      policy: DEFAULT_POLICY,
      key: null,
    }),
    /** The deployment's policy: what a room refuses under while its own cannot be read. */
    private readonly deploymentPolicy: PrivacyPolicy = DEFAULT_POLICY,
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
    const loading = new RoomLoading();
    this.loadings.set(id, loading);
    const known = this.recentSnapshots.take(id);
    let stopTimer: ((labels: { outcome: string }) => void) | undefined;
    let room: IncidentRoom;
    try {
      if (!(await this.store.getIncident(id)))
        throw new SitrepError('incident.not_found', `no incident ${id}`);
      stopTimer = this.metrics.documentLoadSeconds.startTimer();
      room = await IncidentRoom.load(
        id,
        this.store,
        this.log,
        this.metrics,
        this.snapshotEvery,
        new RoomPolicy(() => this.settingsOf(id), this.deploymentPolicy),
        (stored) => loading.read(stored),
        known,
      );
    } catch (err) {
      stopTimer?.({ outcome: 'failed' });
      loading.failed(err);
      throw err;
    } finally {
      this.loadings.delete(id);
    }
    stopTimer?.({ outcome: 'ok' });
    loading.built(room);
    this.ready.set(id, room);
    for (const o of this.observers) o.attach(room);
    return room;
  }

  /**
   * The incident's allowances changed: its room, if this node holds it (or is loading it),
   * reads its policy again. Resolves once the room's gate refuses under the new policy.
   */
  async refreshPolicy(id: string): Promise<void> {
    const loading = this.rooms.get(id);
    // A load that fails has nothing to refresh; one that succeeds read the policy, maybe too early.
    const room = loading && (await loading.catch(() => null));
    if (room && this.ready.get(id) === room) await room.refreshPolicy();
  }

  /**
   * Reads every loaded room's policy again (`onlyStale`: those whose last read failed), for
   * changes this node may not have heard of; a failure is logged, the room keeps refusing
   * under the deployment's policy.
   */
  async refreshPolicies(onlyStale = false): Promise<void> {
    const rooms = [...this.ready.values()].filter((r) => !onlyStale || r.policyStale);
    await Promise.all(
      rooms.map((r) =>
        r
          .refreshPolicy()
          .catch((err: unknown) =>
            this.log.warn({ err, incident: r.id }, 'privacy policy could not be read'),
          ),
      ),
    );
  }

  /** The load of `id`'s room while it is under way (see RoomLoading). */
  loading(id: string): RoomLoading | undefined {
    return this.loadings.get(id);
  }

  /**
   * An entry of `id` was purged, here or on another node (Store#listenForPurges): nothing kept of
   * the incident may hold its text, stale or not.
   */
  purged(id: string): void {
    this.recentSnapshots.take(id);
    if (this.unloading.has(id)) this.unloading.set(id, true);
  }

  /** Purges may have been missed (the listener reconnected): nothing kept may outlive one. */
  purgesMissed(): void {
    this.recentSnapshots.clear();
    for (const id of this.unloading.keys()) this.unloading.set(id, true);
  }

  /** The room of `id` if it is loaded and its load has finished. */
  loadedRoom(id: string): IncidentRoom | undefined {
    return this.ready.get(id);
  }

  /** The incidents whose rooms are loaded. */
  loadedIds(): string[] {
    return [...this.ready.keys()];
  }

  /**
   * Unloads rooms nobody has used for `idleMs`, each keeping its newest snapshot (RecentSnapshots);
   * the document is rebuilt from it and storage on next use.
   */
  async sweep(idleMs: number): Promise<number> {
    const idle = [...this.ready.values()].filter((r) => r.idleFor(idleMs));
    for (const room of idle) {
      this.ready.delete(room.id);
      this.rooms.delete(room.id);
      this.unloading.set(room.id, false);
    }
    this.metrics.loadedDocuments.set(this.rooms.size);
    for (const room of idle) {
      for (const o of this.observers) o.detach(room);
      try {
        await room.settle();
        await this.keepNewest(room);
      } finally {
        this.unloading.delete(room.id);
      }
      room.destroy();
    }
    return idle.length;
  }

  /**
   * Keeps an unloaded room's newest snapshot for its reopen, unless a new load of it has begun or
   * a purge of it was heard (or may have been missed) while it unloaded: the room may not know of
   * that purge, so its snapshot may hold the purged text.
   */
  private async keepNewest(room: IncidentRoom): Promise<void> {
    const newest = await room.newestSnapshot();
    if (newest && !this.rooms.has(room.id) && this.unloading.get(room.id) === false)
      this.recentSnapshots.keep(room.id, newest);
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
