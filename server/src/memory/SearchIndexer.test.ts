import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { SearchIndexer } from './SearchIndexer.js';

describe('search indexer', () => {
  it('lets a waiter go after its bound while every pass fails, and indexes once passes work again', async () => {
    let failing = true;
    let passes = 0;
    const indexer = new SearchIndexer({
      pass: async () => {
        passes++;
        if (failing) throw new Error('the database is away');
        return { indexed: 1, more: false, busy: false };
      },
      mergePending: async () => {},
      passEntries: 10,
      delayMs: 0,
      log: createLogger('silent'),
      metrics: new Metrics(),
    });
    try {
      indexer.wake();
      const t0 = performance.now();
      await indexer.indexed(100);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
      expect(indexer.lagSeconds()).toBeGreaterThan(0); // still behind: the waiter went on its bound
      failing = false;
      await indexer.indexed(5_000);
      expect(indexer.lagSeconds()).toBe(0);
      expect(passes).toBeGreaterThan(1);
    } finally {
      await indexer.close();
    }
  });
});
