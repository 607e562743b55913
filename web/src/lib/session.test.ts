import { describe, expect, it } from 'vitest';
import { parseRoute } from './route.js';
import { forgetToken, storedToken, takeTokenFromHash } from './session.js';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('session and routes', () => {
  it('takes the token from a sign-in link and drops it from the hash', () => {
    const s = memory();
    expect(takeTokenFromHash('#token=sitrep_abc', s)).toBe('');
    expect(storedToken(s)).toBe('sitrep_abc');
    expect(takeTokenFromHash('#token=t2&x=1', s)).toBe('#x=1');
    expect(takeTokenFromHash('#/incidents/demo', s)).toBeNull();
    forgetToken(s);
    expect(storedToken(s)).toBeNull();
  });

  it('routes the hash to the list or an incident, refusing malformed ids', () => {
    expect(parseRoute('')).toEqual({ page: 'list' });
    expect(parseRoute('#/incidents/demo')).toEqual({ page: 'incident', id: 'demo' });
    expect(parseRoute('#/incidents/Bad..Id')).toEqual({ page: 'list' });
  });
});
