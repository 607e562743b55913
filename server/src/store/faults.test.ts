import { describe, expect, it } from 'vitest';
import { causes, storageFault } from './faults.js';

const coded = (message: string, code: string, cause?: unknown) => Object.assign(new Error(message, { cause }), { code });
/** `inner` wrapped `depth` times, as drizzle wraps a driver's error (once) and callers may again. */
const wrapped = (inner: Error, depth: number): Error => (depth === 0 ? inner : new Error(`wrap ${depth}`, { cause: wrapped(inner, depth - 1) }));

describe('store faults', () => {
  it('walks an error and its causes, outermost first, at most five deep', () => {
    const inner = coded('connect ECONNREFUSED', 'ECONNREFUSED');
    expect([...causes(wrapped(inner, 2))].map((e) => e.message)).toEqual(['wrap 2', 'wrap 1', 'connect ECONNREFUSED']);
    expect([...causes(wrapped(inner, 9))]).toHaveLength(5);
    expect([...causes('not an error')]).toEqual([]);
  });

  it('calls a connection failure under a wrapper an outage, and anything else not', () => {
    expect(storageFault(wrapped(coded('connect ECONNREFUSED', 'ECONNREFUSED'), 1))).toMatchObject({ code: 'storage.unavailable' });
    expect(storageFault(coded('terminating connection due to administrator command', '57P01'))).toMatchObject({ code: 'storage.unavailable' });
    expect(storageFault(wrapped(coded('duplicate key', '23505'), 1))).toBeNull();
    expect(storageFault(wrapped(coded('connect ECONNREFUSED', 'ECONNREFUSED'), 5))).toBeNull(); // past the walk's depth
  });
});
