import { describe, expect, it } from 'vitest';
import { bySize } from './batches.js';

describe('batches by size', () => {
  it('splits by the JSON size of the items, a larger one alone', () => {
    expect(bySize(['aaaa', 'bbbb', 'cc'], 14).map((p) => p.length)).toEqual([2, 1]); // '"aaaa"' is 6 characters
    expect(bySize(['a', 'b'.repeat(40), 'c'], 10)).toEqual([['a'], ['b'.repeat(40)], ['c']]);
    expect(bySize([], 10)).toEqual([]);
  });

  it('splits by count as well', () => {
    const many = Array.from({ length: 7 }, (_, i) => i);
    expect(bySize(many, 1024 * 1024, 3).map((p) => p.length)).toEqual([3, 3, 1]);
  });

  it('measures with the size it is given', () => {
    const parts = bySize([{ bytes: 5 }, { bytes: 5 }, { bytes: 1 }], 10, Infinity, (it) => it.bytes);
    expect(parts.map((p) => p.length)).toEqual([2, 1]);
  });
});
