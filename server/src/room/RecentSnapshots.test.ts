import { describe, expect, it } from 'vitest';
import { RecentSnapshots } from './RecentSnapshots.js';

const parts = (...sizes: number[]) => sizes.map((n) => new Uint8Array(n));

describe('the snapshots kept as their rooms unload', () => {
  it('keeps the newest of each incident and drops the least recently kept past the bound', () => {
    const recent = new RecentSnapshots(100);
    recent.keep('a', { seq: 1, parts: parts(30, 10) });
    recent.keep('b', { seq: 2, parts: parts(40) });
    recent.keep('a', { seq: 3, parts: parts(20) }); // a newer one replaces a's, and a is now the latest
    expect(recent.size).toBe(60);
    recent.keep('c', { seq: 4, parts: parts(50) });
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')?.seq).toBe(3);
    expect(recent.get('c')?.seq).toBe(4);
    expect(recent.size).toBe(70);
  });

  it('gives a snapshot up to the load that takes it: nothing is held for a loaded room', () => {
    const recent = new RecentSnapshots(100);
    recent.keep('a', { seq: 1, parts: parts(30) });
    recent.keep('b', { seq: 2, parts: parts(40) });
    expect(recent.take('a')?.seq).toBe(1);
    expect(recent.get('a')).toBeUndefined();
    expect(recent.take('a')).toBeUndefined();
    expect(recent.size).toBe(40);
  });

  it('keeps nothing larger than the bound', () => {
    const recent = new RecentSnapshots(100);
    recent.keep('a', { seq: 1, parts: parts(60) });
    recent.keep('b', { seq: 2, parts: parts(101) });
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')?.seq).toBe(1);
    expect(recent.size).toBe(60);
  });
});
