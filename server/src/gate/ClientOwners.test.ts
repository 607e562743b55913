import { describe, expect, it } from 'vitest';
import { ClientOwners, type OwnerTable } from './ClientOwners.js';

/** An owner table in memory, as the store's reads it: all of an incident's rows, or only some ids. */
function table(rows: [number, string | null][]): OwnerTable & { rows: Map<number, string | null> } {
  const all = new Map(rows);
  return {
    rows: all,
    clientOwners: async (_incident, only) => new Map([...all].filter(([c]) => !only || only.includes(c))),
  };
}

const range = (client: number, clock = 0, length = 1) => ({ client, clock, length });

describe('client id owners', () => {
  it("claims ids nobody has for the writer, and refuses an id that is another token's", async () => {
    const owners = new ClientOwners(table([[1, 'ana']]), 'inc');
    await owners.load();
    expect(owners.claim([range(1), range(2), range(2, 1)], 'ana')).toEqual([{ client: 2, tokenId: 'ana' }]);
    expect(owners.claim([range(2, 2)], 'ana')).toEqual([]);
    expect(() => owners.claim([range(3), range(2, 3)], 'bob')).toThrow(
      expect.objectContaining({ code: 'gate.client', details: { client: 2 } }),
    );
    // A refused write claims nothing, not even the ids before the one it was refused for.
    expect(owners.has(3)).toBe(false);
  });

  it("claims only the given id for the server's own writes, once", async () => {
    const owners = new ClientOwners(table([]), 'inc');
    expect(owners.claim([range(5), range(6)], null, 5)).toEqual([{ client: 5, tokenId: null }]);
    expect(owners.claim([range(5, 1)], null, 5)).toEqual([]);
    expect(owners.has(6)).toBe(false);
  });

  it('gives back the claims of a failed commit', () => {
    const owners = new ClientOwners(table([]), 'inc');
    const claims = owners.claim([range(7)], 'ana');
    owners.release(claims);
    expect(owners.claim([range(7)], 'bob')).toEqual([{ client: 7, tokenId: 'bob' }]);
  });

  it('learns the owners of ids other nodes brought in, and reloads the table whole', async () => {
    const rows = table([[1, 'ana']]);
    const owners = new ClientOwners(rows, 'inc');
    rows.rows.set(2, 'bob');
    await owners.learn([1, 2]);
    expect(() => owners.claim([range(2, 1)], 'ana')).toThrow(
      expect.objectContaining({ code: 'gate.client' }),
    );
    owners.claim([range(9)], 'ana'); // lost a race: the table says 9 is bob's
    rows.rows.set(9, 'bob');
    await owners.load();
    expect(() => owners.claim([range(9, 1)], 'ana')).toThrow(
      expect.objectContaining({ code: 'gate.client' }),
    );
  });

  it("lets tombstones fill only the token's own or unclaimed ids, never the server's", async () => {
    const owners = new ClientOwners(
      table([
        [1, 'ana'],
        [2, 'bob'],
        [3, null],
      ]),
      'inc',
    );
    await owners.load();
    const ranges = [range(1), range(2), range(3), range(4), range(5)];
    expect(owners.fillable(ranges, 'ana', 5).map((r) => r.client)).toEqual([1, 4]);
  });
});
