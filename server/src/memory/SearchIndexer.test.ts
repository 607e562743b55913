import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { DELAY_MS, MERGE_EVERY_MS, SearchIndexer } from './SearchIndexer.js';

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

  /**
   * An indexer whose passes are counted, each indexing whatever commits came before it began and
   * taking `passMs` (its transaction's snapshot is taken as it begins).
   */
  function counting(passMs = 0, passEntries = 1_000) {
    const state = { passes: 0, commits: 0, indexed: 0, merges: 0 };
    const indexer = new SearchIndexer({
      pass: async () => {
        state.passes++;
        const upTo = state.commits;
        if (passMs > 0) await new Promise((resolve) => setTimeout(resolve, passMs));
        const indexed = upTo - state.indexed;
        state.indexed = upTo;
        return { indexed, more: false, busy: false };
      },
      mergePending: async () => {
        state.merges++;
      },
      passEntries,
      delayMs: DELAY_MS,
      log: createLogger('silent'),
      metrics: new Metrics(),
    });
    const commit = (entries = 1) => {
      state.commits += entries;
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

  /**
   * Commits `entries` every 10 ms for 2 s and returns the largest lag seen from `fromMs` on.
   */
  async function largestLag(
    { indexer, commit }: ReturnType<typeof counting>,
    entries: number,
    fromMs = 0,
  ): Promise<number> {
    let largest = 0;
    for (let t = 0; t < 2_000; t += 10) {
      commit(entries);
      await advance(10);
      if (t >= fromMs) largest = Math.max(largest, indexer.lagSeconds());
    }
    return largest;
  }

  it('starts the pass due at once for a reader that waits', async () => {
    fake();
    const { indexer, state, commit } = counting();
    try {
      await advance(1); // the pass at start
      commit();
      commit();
      await advance(1); // the pass is due DELAY_MS after the first commit, so that a burst shares it
      expect(state.indexed).toBe(0);
      let answered = false;
      void indexer.indexed(5_000).then(() => {
        answered = true;
      });
      await advance(1); // a reader: it starts now
      expect(answered).toBe(true);
      expect(state.indexed).toBe(2);
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });

  it('reports as its lag the age of the oldest commit not indexed, not how long since it was last idle', async () => {
    fake();
    const indexing = counting(20);
    const { indexer, state } = indexing;
    try {
      await advance(1);
      // A commit every 10 ms for 2 s while each pass takes 20 ms: a commit always comes during a
      // pass, so the indexer is never idle, yet no commit waits longer than DELAY_MS and a pass.
      const largest = await largestLag(indexing, 1);
      expect(state.indexed).toBeGreaterThan(state.commits - 5);
      expect(largest).toBeGreaterThan(0);
      expect(largest).toBeLessThan((DELAY_MS + 2 * 20) / 1000);
      await advance(DELAY_MS + 50);
      expect(indexer.lagSeconds()).toBe(0);
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });

  it('gathers the commits of a live pace into a pass per DELAY_MS, and merges the pending words at most once a second', async () => {
    fake();
    const { indexer, state, commit } = counting(5);
    try {
      await advance(1);
      const before = { passes: state.passes, merges: state.merges };
      // 50 commits a second for 3 s, each pass 5 ms: a pass per commit would be 150.
      for (let t = 0; t < 3_000; t += 20) {
        commit();
        await advance(20);
      }
      const passes = state.passes - before.passes;
      expect(passes).toBeGreaterThanOrEqual(3_000 / (DELAY_MS + 5) - 2);
      expect(passes).toBeLessThanOrEqual(3_000 / DELAY_MS + 2);
      expect(state.merges - before.merges).toBeLessThanOrEqual(3_000 / MERGE_EVERY_MS + 1);
      // Once the commits stop, the words indexed since the last merge are merged, and only then
      // is the indexer caught up.
      let caughtUp = false;
      void indexer.caughtUp().then(() => {
        caughtUp = true;
      });
      await advance(DELAY_MS + 10);
      expect(state.indexed).toBe(state.commits);
      const merges = state.merges;
      await advance(MERGE_EVERY_MS);
      expect(state.merges).toBe(merges + 1);
      expect(caughtUp).toBe(true);
      await advance(5 * MERGE_EVERY_MS);
      expect(state.merges).toBe(merges + 1); // nothing indexed since: no merge
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });

  it('goes pass after pass under a burst, whose passes find much to do', async () => {
    fake();
    const indexing = counting(20);
    const { indexer, state } = indexing;
    try {
      await advance(1);
      // 50 entries every 10 ms (5,000 a second), each pass taking 20 ms: every pass finds what came
      // during the last (a tenth of its bound) and leaves nothing behind, yet once the first has
      // waited DELAY_MS none waits again: no commit waits longer than about two passes.
      const largest = await largestLag(indexing, 50, 500);
      await advance(MERGE_EVERY_MS); // no pass in flight at close
      expect(state.indexed).toBe(state.commits);
      expect(largest).toBeGreaterThan(0);
      expect(largest).toBeLessThan(0.1);
    } finally {
      await indexer.close();
      vi.useRealTimers();
    }
  });
});
