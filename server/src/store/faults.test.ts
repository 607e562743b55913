import { SitrepError } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { CLIENT_TAKEN, atStorageEdge, causes, isStorageOutage, storageError } from './faults.js';

const coded = (message: string, code: string, cause?: unknown) =>
  Object.assign(new Error(message, { cause }), { code });
/** `inner` wrapped `depth` times, as drizzle wraps a driver's error (once) and callers may again. */
const wrapped = (inner: Error, depth: number): Error =>
  depth === 0 ? inner : new Error(`wrap ${depth}`, { cause: wrapped(inner, depth - 1) });

describe('store faults', () => {
  it('walks an error and its causes, outermost first, at most five deep', () => {
    const inner = coded('connect ECONNREFUSED', 'ECONNREFUSED');
    expect([...causes(wrapped(inner, 2))].map((e) => e.message)).toEqual([
      'wrap 2',
      'wrap 1',
      'connect ECONNREFUSED',
    ]);
    expect([...causes(wrapped(inner, 9))]).toHaveLength(5);
    expect([...causes('not an error')]).toEqual([]);
  });

  it('calls a connection failure, a shutdown or a closed PGlite under a wrapper an outage', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', '57P01', '08006', '53300']) {
      expect(storageError(wrapped(coded(`failed ${code}`, code), 1))).toMatchObject({
        code: 'storage.unavailable',
      });
    }
    expect(storageError(wrapped(new Error('PGlite is closed'), 1))).toMatchObject({
      code: 'storage.unavailable',
    });
    expect(
      isStorageOutage(storageError(coded('terminating connection due to administrator command', '57P01'))),
    ).toBe(true);
  });

  it('calls a write that lost a race a conflict: a duplicate key, a client id taken, a serialization failure, a deadlock', () => {
    expect(
      storageError(wrapped(coded('duplicate key value violates unique constraint', '23505'), 1)),
    ).toMatchObject({
      code: 'storage.conflict',
      message: expect.stringContaining('an entry in this write'),
    });
    expect(
      storageError(wrapped(coded(`invalid input syntax for type integer: "${CLIENT_TAKEN}42"`, '22P02'), 1)),
    ).toMatchObject({
      code: 'storage.conflict',
      message: expect.stringContaining('client id'),
    });
    expect(storageError(coded('could not serialize access', '40001'))).toMatchObject({
      code: 'storage.conflict',
    });
    expect(storageError(coded('deadlock detected', '40P01'))).toMatchObject({ code: 'storage.conflict' });
  });

  it('passes the store’s own refusals through, and calls anything else internal with the driver’s error as its cause', () => {
    const own = new SitrepError('incident.not_found', 'no incident x');
    expect(storageError(own)).toBe(own);
    const driver = wrapped(coded('syntax error at or near "selec"', '42601'), 1);
    const internal = storageError(driver);
    expect(internal).toMatchObject({ code: 'internal', cause: driver });
    expect(internal.toJSON()).toEqual({
      code: 'internal',
      message: 'the database could not complete the operation',
    });
    expect(isStorageOutage(internal)).toBe(false);
    // Past the walk's depth nothing is recognised.
    expect(storageError(wrapped(coded('connect ECONNREFUSED', 'ECONNREFUSED'), 5))).toMatchObject({
      code: 'internal',
    });
  });

  it('translates what every method of the store throws or rejects with, once, as it leaves', async () => {
    class Fake {
      calls = 0;
      async rejects(): Promise<void> {
        this.calls++;
        throw coded('connect ECONNREFUSED', 'ECONNREFUSED');
      }
      throws(): void {
        throw coded('duplicate key', '23505');
      }
      async inner(): Promise<void> {
        // A call on `this` is not wrapped: the error is translated once, by the outer call.
        await this.rejects().catch((err: unknown) => {
          expect(err).not.toBeInstanceOf(SitrepError);
          throw err;
        });
      }
      async answers(): Promise<number> {
        return this.calls;
      }
    }
    const edge = atStorageEdge(new Fake());
    await expect(edge.rejects()).rejects.toMatchObject({ code: 'storage.unavailable' });
    expect(() => edge.throws()).toThrow(expect.objectContaining({ code: 'storage.conflict' }));
    await expect(edge.inner()).rejects.toMatchObject({ code: 'storage.unavailable' });
    expect(await edge.answers()).toBe(2);
    expect(edge.calls).toBe(2);
    expect(edge).toBeInstanceOf(Fake);
  });
});
