import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MAX_PRESENCES_PER_PEER, PresenceOwners } from './PresenceOwners.js';
import { encodePresence } from './presence.js';

const tokenOf = (who: string) => who.split('#')[0] ?? who;

function room() {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const owners = new PresenceOwners<string>(awareness);
  /** Claims for the connection `who` (of the token named before its '#'), then applies, as a connection does. */
  const set = (
    who: string,
    client: number,
    clock: number,
    state: Record<string, unknown> | null = { name: who },
  ) => {
    const changes = [{ client, clock, state }];
    owners.claim(who, tokenOf(who), changes);
    applyAwarenessUpdate(awareness, encodePresence(changes), who);
  };
  return { awareness, owners, set };
}

describe('presence owners', () => {
  it('gives a presence to the connection that set it first, and refuses it to another', () => {
    const { owners, set } = room();
    set('ana', 10, 1);
    set('ana', 10, 2);
    expect(() => owners.claim('bob', 'bob', [{ client: 10, clock: 3, state: { name: 'bob' } }])).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
  });

  it("passes over an echo of someone else's presence that changes nothing", () => {
    const { owners, set } = room();
    set('ana', 10, 2);
    expect(() =>
      owners.claim('bob', 'bob', [{ client: 10, clock: 2, state: { name: 'ana' } }]),
    ).not.toThrow();
    expect(() => owners.claim('bob', 'bob', [{ client: 10, clock: 1, state: null }])).not.toThrow();
  });

  it("refuses a presence shown from elsewhere (no owner here) and the server's own id", () => {
    const { awareness, owners } = room();
    applyAwarenessUpdate(
      awareness,
      encodePresence([{ client: 20, clock: 1, state: { name: 'remote' } }]),
      'relay',
    );
    expect(() => owners.claim('bob', 'bob', [{ client: 20, clock: 2, state: {} }])).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    expect(() => owners.claim('bob', 'bob', [{ client: awareness.clientID, clock: 9, state: {} }])).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
  });

  it('limits how many presences one connection holds', () => {
    const { owners } = room();
    const many = Array.from({ length: MAX_PRESENCES_PER_PEER + 1 }, (_, i) => ({
      client: 100 + i,
      clock: 1,
      state: {},
    }));
    expect(() => owners.claim('ana', 'ana', many)).toThrow(
      expect.objectContaining({ code: 'gate.too_large' }),
    );
    expect(() => owners.claim('ana', 'ana', many.slice(1))).not.toThrow();
  });

  it('moves a presence to a new connection of the same token that changes it, never on an echo', () => {
    const { owners, set } = room();
    set('ana#old', 10, 1);
    // The same clock again (a reconnected provider's first word, or a tab's echo) moves nothing.
    owners.claim('ana#new', 'ana', [{ client: 10, clock: 1, state: { name: 'ana#old' } }]);
    expect(owners.leave('ana#new')).toEqual([]);
    set('ana#new', 10, 2);
    // The old socket closing later no longer takes the presence away.
    expect(owners.leave('ana#old')).toEqual([]);
    expect(() => owners.claim('bob', 'bob', [{ client: 10, clock: 3, state: {} }])).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    expect(owners.leave('ana#new')).toEqual([10]);
  });

  it("refuses another connection of the same token an echoed removal of a presence it doesn't hold", () => {
    const { owners, set } = room();
    set('ana#tab1', 10, 5);
    // A provider that timed the presence out sends its removal at the clock it knew.
    expect(() => owners.claim('ana#tab2', 'ana', [{ client: 10, clock: 5, state: null }])).toThrow(
      expect.objectContaining({ code: 'gate.forbidden' }),
    );
    expect(owners.leave('ana#tab2')).toEqual([]);
    expect(owners.leave('ana#tab1')).toEqual([10]);
  });

  it('frees what a connection held when it leaves', () => {
    const { owners, set } = room();
    set('ana', 10, 1);
    set('ana', 11, 1);
    expect(owners.leave('ana').sort()).toEqual([10, 11]);
    expect(owners.leave('ana')).toEqual([]);
  });
});
