import { describe, expect, it } from 'vitest';
import { mintToken, parseToken, secretMatches } from './tokens.js';

describe('tokens', () => {
  it('mints distinct tokens whose secret matches only its own hash', () => {
    const a = mintToken();
    const b = mintToken();
    expect(a.token).not.toBe(b.token);
    const pa = parseToken(a.token);
    expect(pa?.id).toBe(a.id);
    expect(secretMatches(pa?.secret ?? '', a.secretHash)).toBe(true);
    expect(secretMatches(pa?.secret ?? '', b.secretHash)).toBe(false);
    expect(a.secretHash).not.toContain(pa?.secret ?? 'x');
  });

  it('refuses strings that are not sitrep tokens', () => {
    for (const t of ['', 'Bearer x', 'sitrep_short_x', `sitrep_${'a'.repeat(12)}_${'b'.repeat(42)}`])
      expect(parseToken(t)).toBeNull();
  });
});
