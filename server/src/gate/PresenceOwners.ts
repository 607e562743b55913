// Whose each presence (awareness client id) of one room is: the connection that set it first,
// until that connection leaves or another connection of the same token sets it anew (a client
// that reconnected before the server saw its old socket go); y-protocols itself lets anyone
// overwrite anyone's. A presence shown from another node (PresenceRelay) is in the awareness
// without an owner here, and is that node's while it is shown.
import { SitrepError } from '@sitrep/shared';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceChange } from './presence.js';

/** Presences one connection may hold: a stock provider has one, a client with several docs a few. */
export const MAX_PRESENCES_PER_PEER = 8;

export class PresenceOwners<Owner> {
  private readonly owners = new Map<number, { owner: Owner; token: string }>();
  private readonly held = new Map<Owner, Set<number>>();

  constructor(private readonly awareness: Awareness) {}

  /**
   * Takes the presences `owner` (a connection of `token`) would change, or throws gate.forbidden
   * if one is another token's (or shown from another node), or gate.too_large past its share.
   * One another connection of the same token holds moves here when this sets a newer clock: a
   * client whose network dropped reconnects and renews its presence on the new socket while the
   * old one is still open here, until its ping goes unanswered. What would change nothing is
   * passed over (stock providers send every presence they hear of back to the server); an echoed
   * removal at the clock already known (a provider timing out a silent presence) changes a
   * presence only from the connection that holds it.
   */
  claim(owner: Owner, token: string, changes: readonly PresenceChange[]): void {
    const { awareness } = this;
    const newer = new Set<number>();
    const changing = changes.filter(({ client, clock, state }) => {
      const known = awareness.meta.get(client)?.clock ?? 0;
      if (clock > known) {
        newer.add(client);
        return true;
      }
      return clock === known && state === null && awareness.states.has(client);
    });
    const mine = this.held.get(owner) ?? new Set<number>();
    const fresh = new Set(changing.map((c) => c.client).filter((c) => !mine.has(c)));
    for (const c of fresh) {
      const held = this.owners.get(c);
      const moves = held?.token === token && newer.has(c);
      if (held ? !moves : awareness.states.has(c) || c === awareness.clientID) {
        throw new SitrepError('gate.forbidden', `presence ${c} belongs to another connection`);
      }
    }
    if (mine.size + fresh.size > MAX_PRESENCES_PER_PEER) {
      throw new SitrepError(
        'gate.too_large',
        `a connection may hold at most ${MAX_PRESENCES_PER_PEER} presences`,
      );
    }
    for (const c of fresh) {
      const before = this.owners.get(c);
      if (before) this.held.get(before.owner)?.delete(c);
      mine.add(c);
      this.owners.set(c, { owner, token });
    }
    this.held.set(owner, mine);
  }

  /** Forgets what `owner` held and returns it: the presences to remove when it leaves. */
  leave(owner: Owner): number[] {
    const mine = [...(this.held.get(owner) ?? [])];
    this.held.delete(owner);
    for (const c of mine) this.owners.delete(c);
    return mine;
  }
}
