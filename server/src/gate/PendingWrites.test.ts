import { describe, expect, it } from 'vitest';
import { type PlacedStruct, PendingWrites } from './PendingWrites.js';

const struct = (
  client: number,
  clock: number,
  length: number,
  root: PlacedStruct['root'],
  key: string | null,
): PlacedStruct => ({ client, clock, length, root, key });

describe('pending writes', () => {
  it('holds an entry key while any write adding it is pending, and only entry keys', () => {
    const pending = new PendingWrites();
    const a = [struct(1, 0, 1, 'entries', 'A')];
    const b = [
      struct(2, 0, 1, 'entries', 'A'),
      struct(2, 1, 1, 'meta', 'B'),
      struct(2, 2, 1, 'entries', null),
    ];
    pending.add(a);
    pending.add(b);
    expect(['A', 'B'].map((k) => pending.hasEntry(k))).toEqual([true, false]);
    pending.release(a);
    expect(pending.hasEntry('A')).toBe(true); // b still adds it
    pending.release(b);
    expect(pending.hasEntry('A')).toBe(false);
    pending.release(a); // released twice: nothing to forget, nothing goes negative
    pending.add(a);
    expect(pending.hasEntry('A')).toBe(true);
    pending.release(a);
    expect([pending.hasEntry('A'), pending.size]).toEqual([false, 0]);
  });

  it('forgets only what it holds: a write released twice leaves the key of another still held', () => {
    const pending = new PendingWrites();
    const a = [struct(1, 0, 1, 'entries', 'A')];
    const b = [struct(2, 0, 1, 'entries', 'A')];
    pending.add(a);
    pending.add(b);
    pending.release(a);
    pending.release(a);
    pending.release([struct(1, 0, 1, 'entries', 'A')]); // equal to a's, never added
    expect(pending.hasEntry('A')).toBe(true); // b still adds it
    pending.release(b);
    expect([pending.hasEntry('A'), pending.size]).toEqual([false, 0]);
  });

  it('finds a pending struct by any clock it covers, and knows the next clock of each client', () => {
    const pending = new PendingWrites();
    const [first, second] = [struct(1, 0, 2, 'meta', 'status'), struct(1, 5, 3, 'curation', 'x')];
    pending.add([first, second]);
    expect([0, 1, 2, 4, 5, 7, 8].map((clock) => pending.find(1, clock))).toEqual([
      first,
      first,
      undefined,
      undefined,
      second,
      second,
      undefined,
    ]);
    expect(pending.find(2, 0)).toBeUndefined();
    expect([pending.nextClock(1), pending.nextClock(2)]).toEqual([8, 0]);
    pending.release([first]);
    expect([pending.find(1, 0), pending.find(1, 5), pending.nextClock(1), pending.size]).toEqual([
      undefined,
      second,
      8,
      1,
    ]);
    pending.release([struct(1, 5, 3, 'curation', 'x')]); // an equal struct that is not the one added
    expect(pending.size).toBe(1);
    pending.release([second]);
    expect([pending.nextClock(1), pending.size]).toEqual([0, 0]);
  });
});
