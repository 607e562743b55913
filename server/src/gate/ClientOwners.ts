// Whose each Yjs client id of one incident is: a token id, or null for the server's. An id
// belongs to the first writer under it; new changes under it from anyone else are refused
// (gate.client), so nobody can write as someone else's document. The store's table is the truth
// across nodes (a claim is written in the commit that first uses the id); this is what this node
// knows of it, read at load, learnt as other nodes' rows arrive, and read again when a commit
// loses a claim race.
import { SitrepError } from '@sitrep/shared';
import type { ClientClaim, UpdateLog } from '../store/UpdateLog.js';
import type { ClockRange } from './PendingWrites.js';

/** The part of the store the owners are read from. */
export type OwnerTable = Pick<UpdateLog, 'clientOwners'>;

export class ClientOwners {
  private readonly owners = new Map<number, string | null>();

  constructor(
    private readonly table: OwnerTable,
    private readonly incidentId: string,
  ) {}

  /** Replaces what is known with the table (at load, or after another node claimed first). */
  async load(): Promise<void> {
    const owners = await this.table.clientOwners(this.incidentId);
    this.owners.clear();
    for (const [client, owner] of owners) this.owners.set(client, owner);
  }

  /** Learns the owners of the ids not known here (ids another node's rows brought in). */
  async learn(clients: Iterable<number>): Promise<void> {
    const unknown = [...clients].filter((c) => !this.owners.has(c));
    if (unknown.length === 0) return;
    for (const [client, owner] of await this.table.clientOwners(this.incidentId, unknown))
      this.owners.set(client, owner);
  }

  /** Someone has written under this id (or claimed it in a commit in flight). */
  has(client: number): boolean {
    return this.owners.has(client);
  }

  /**
   * The client ids `structs` add changes under for the first time (all, or `only` that one), now
   * `owner`'s; throws gate.client if they add changes under an id that is someone else's.
   */
  claim(structs: readonly ClockRange[], owner: string | null, only?: number): ClientClaim[] {
    if (only !== undefined && this.owners.has(only)) return [];
    const claims: ClientClaim[] = [];
    const seen = new Set<number>();
    for (const { client } of structs) {
      if (seen.has(client) || (only !== undefined && client !== only)) continue;
      seen.add(client);
      const held = this.owners.get(client);
      if (held === undefined) claims.push({ client, tokenId: owner });
      else if (held !== owner) {
        throw new SitrepError(
          'gate.client',
          `client id ${client} belongs to another writer: write from a document of your own`,
          { client },
        );
      }
    }
    for (const c of claims) this.owners.set(c.client, c.tokenId);
    return claims;
  }

  /** Gives back claims whose commit failed: the ids are nobody's again. */
  release(claims: readonly ClientClaim[]): void {
    for (const { client } of claims) this.owners.delete(client);
  }

  /**
   * The refused clock ranges a token's tombstones may fill: only under ids that are that token's
   * or nobody's yet (they become its), never the next clocks of someone else's id or the
   * server's own (`serverClient`).
   */
  fillable(ranges: readonly ClockRange[], tokenId: string | null, serverClient: number): ClockRange[] {
    return ranges.filter((r) => {
      const owner = this.owners.get(r.client);
      return r.client !== serverClient && (owner === undefined || owner === tokenId);
    });
  }
}
