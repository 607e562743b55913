// The rows other nodes committed to an incident's log, brought into this node's copy of the
// document. Several nodes append to one log; a room learns that it is behind from a notification
// (CommitFollower) or from a gap before the sequence numbers its own commit got, and reads the
// rows it missed here, in log order. They are applied under the FOREIGN origin, and the room hands
// each to the sync layer, which sends it to every local connection. A purge made on another node shows here as an entry
// leaving the document, which only a purge does; a change of the meta is reported too (the node
// then writes the incident row's copy of it). The owners of the client ids the rows bring are
// learnt before the rows apply: from the moment a socket can see a row, the gate knows whose its
// client id is (else a write under it would pass the gate and fail the whole commit in the store).
import { entriesMap, metaMap } from '@sitrep/shared';
import * as Y from 'yjs';
import type { ClientOwners } from '../gate/ClientOwners.js';
import type { LogRow, UpdateLog } from '../store/UpdateLog.js';

/** The origin of updates other nodes committed: broadcast to every local connection. */
const FOREIGN = Symbol('foreign');

export class ForeignCommits {
  /** Another node's purge was applied here since the last apply() reported. */
  private purged = false;
  /** Another node's change of the meta was applied here since the last apply() reported. */
  private metaChanged = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly incidentId: string,
    private readonly store: Pick<UpdateLog, 'readLog'>,
    private readonly owners: Pick<ClientOwners, 'learn'>,
  ) {
    entriesMap(doc).observe((event) => {
      if (event.transaction.origin !== FOREIGN) return;
      for (const key of event.keysChanged) if (!event.target.has(key)) this.purged = true;
    });
    // Fired only by a transaction that changed the meta: a row Yjs skips (held already) is none.
    metaMap(doc).observe((event) => {
      if (event.transaction.origin === FOREIGN) this.metaChanged = true;
    });
  }

  /**
   * Reads the rows after `afterSeq` (up to `upToSeq`), learns the owners of their client ids, and
   * applies each row, in log order, calling `applied` after it with whether another node's purge
   * came in since the last call: what still holds the purged content (a cached snapshot) must
   * then go, before anything reads it. Resolves with that too, and with whether a row changed the
   * meta. Both are reported once: by the next apply() when this one fails after a row applied.
   */
  async apply(
    afterSeq: number,
    upToSeq: number | undefined,
    applied: (row: LogRow, purged: boolean) => void,
  ): Promise<{ purged: boolean; metaChanged: boolean }> {
    const rows = await this.store.readLog(this.incidentId, afterSeq, upToSeq);
    await this.owners.learn(new Set(rows.flatMap((r) => [...Y.parseUpdateMeta(r.bytes).to.keys()])));
    for (const row of rows) {
      Y.applyUpdate(this.doc, row.bytes, FOREIGN);
      applied(row, this.purged);
    }
    const reported = { purged: this.purged, metaChanged: this.metaChanged };
    this.purged = false;
    this.metaChanged = false;
    return reported;
  }
}
