import { describe, expect, it } from 'vitest';
import { literal } from './literal.js';

describe('literal', () => {
  it('matches the string itself, special characters and all, and nothing else', () => {
    const s = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(`^${literal(s)}$`).test(s)).toBe(true);
    expect(new RegExp(literal('a.b')).test('axb')).toBe(false);
  });
});
