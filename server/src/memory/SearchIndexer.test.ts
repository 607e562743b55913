import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { QUIET_MS, SearchIndexer } from './SearchIndexer.js';

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
      deferMs: 0,
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

  /** An indexer whose passes are counted, each indexing whatever commits came before it. */
  function counting(deferMs: number) {
    const state = { passes: 0, commits: 0, indexed: 0 };
    const indexer = new SearchIndexer({
      pass: async () => {
        state.passes++;
        const indexed = state.commits - state.indexed;
        state.indexed = state.commits;
        return { indexed, more: false, busy: false };
      },
      mergePending: async () => {},
      passEntries: 10,
      delayMs: 5,
      deferMs,
      log: createLogger('silent'),
      metrics: new Metrics(),
    });
    const commit = () => {
      state.commits++;
      indexer.wake();
    };
    return { indexer, state, commit };
  }
  // Fake clocks: what is held back, and for how long, is the subject, not this machine's timers.
  const fake = () =>
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'],
    });
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  it('holds passes back while commits keep coming, and indexes them all once they stop', async () => {
    fake();
    const { indexer, state, commit } = counting(10_000);
    try {
      await advance(1); // the pass at start
      const before = state.passes;
      for (let i = 0; i < 40; i++) {
        commit();
        await advance(QUIET_MS / 3);
      }
      expect(state.passes).toBe(before); // 40 commits over 2 s, never QUIET_MS apart: no pass
      expect(indexer.lagSeconds()).toBeGreaterThan(1.9);
      await advance(QUIET_MS);
      expect(state.indexed).toBe(40);
      expect(indexer.lagSeconds()).toBe(0);
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });

  it('indexes at once for a reader that waits, and within its bound under a burst that goes on', async () => {
    fake();
    const { indexer, state, commit } = counting(400);
    try {
      await advance(1);
      commit();
      commit();
      await advance(50); // the pass is held for the burst's end (QUIET_MS after the last commit)
      expect(state.indexed).toBe(0);
      let answered = false;
      void indexer.indexed(5_000).then(() => {
        answered = true;
      });
      await advance(10); // a reader: it starts now
      expect(answered).toBe(true);
      expect(state.indexed).toBe(2);
      // A commit every 30 ms for 1.2 s, never quiet: only the 400 ms bound lets a pass run.
      let caughtAt: number | null = null;
      for (let t = 0; t < 1_200; t += 30) {
        commit();
        await advance(30);
        if (caughtAt === null && state.indexed > 2) caughtAt = t + 30;
      }
      expect(caughtAt).toBeGreaterThanOrEqual(390);
      expect(caughtAt).toBeLessThanOrEqual(450);
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });
});
