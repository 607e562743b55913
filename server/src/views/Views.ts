// The views of a node: it gives every loaded room a ViewKeeper (rules view, timeline, the view
// lease, one of the node's Leases, and the write queue) and starts the other writers of the
// `view` root on it. Those writers (the LLM summarizer) depend on this folder; nothing here knows
// of them but this interface, so the rules view stands alone when there is no model.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Leases } from '../cluster/Leases.js';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { RoomObserver } from '../room/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import { ViewKeeper, type ViewWriter } from './ViewKeeper.js';

/** Another writer of the `view` root, told as each loaded room's views start and stop. */
export interface ViewAuthor {
  attach(writer: ViewWriter): void;
  detach(incidentId: string): void;
  /** Resolves once none of its work for the incident is scheduled or running. */
  settled(incidentId: string): Promise<void>;
}

export interface ViewsDeps {
  store: Store;
  log: Logger;
  metrics: Metrics;
}

export class Views implements RoomObserver {
  private readonly keepers = new Map<string, ViewKeeper>();
  private readonly leases: Leases;

  constructor(
    private readonly deps: ViewsDeps,
    private readonly authors: readonly ViewAuthor[] = [],
  ) {
    const { store, log } = deps;
    this.leases = new Leases(
      randomUUID(),
      (names, holder, ttlMs) => store.summaries.acquireLeases(names, holder, ttlMs),
      log.child({ part: 'leases' }),
    );
  }

  /** Starts keeping a loaded room's views; called as the room loads. */
  attach(room: IncidentRoom): void {
    const keeper = new ViewKeeper(room, { ...this.deps, leases: this.leases });
    this.keepers.set(room.id, keeper);
    keeper.start();
    for (const author of this.authors) author.attach(keeper);
  }

  /** Stops keeping a room's views; its pending work is dropped (another load starts afresh). */
  detach(room: IncidentRoom): void {
    for (const author of this.authors) author.detach(room.id);
    this.keepers.get(room.id)?.stop();
    this.keepers.delete(room.id);
  }

  /** Resolves once the room's views are written and no view work is pending (for tests and shutdown). */
  async settled(incidentId: string): Promise<void> {
    // An author's settling waits for the writes it queued on the keeper.
    for (const author of this.authors) await author.settled(incidentId);
    await this.keepers.get(incidentId)?.settled();
  }
}
