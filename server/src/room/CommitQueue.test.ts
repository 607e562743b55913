// The commit queue alone: group commits, and no write left waiting when it is queued just as a
// flush ends.
import { describe, expect, it } from 'vitest';
import { CommitQueue } from './CommitQueue.js';

interface Write {
  name: string;
  resolve: () => void;
}

/** A queue whose commit settles each write of the batch, and what each commit took. */
function queue(): {
  commits: CommitQueue<Write>;
  batches: string[][];
  write: (name: string) => Promise<void>;
} {
  const batches: string[][] = [];
  const commits = new CommitQueue<Write>(async (batch) => {
    await Promise.resolve();
    batches.push(batch.map((w) => w.name));
    for (const w of batch) w.resolve();
  });
  const write = (name: string) => new Promise<void>((resolve) => commits.enqueue({ name, resolve }));
  return { commits, batches, write };
}

describe('commit queue', () => {
  it('commits the writes queued while a commit is in flight together, in the next', async () => {
    const { batches, write } = queue();
    await Promise.all([write('a'), write('b'), write('c')]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('commits a write queued at any moment around the end of a flush', async () => {
    // The write after 'first' is queued 0, 1, 2, … microtasks after 'first' was committed: one
    // of those moments falls after the flush found the queue empty and before it ended.
    for (let ticks = 0; ticks < 12; ticks++) {
      const { commits, batches, write } = queue();
      await write('first');
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      const stranded = await Promise.race([
        write('second').then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50)),
      ]);
      expect({ ticks, stranded }).toEqual({ ticks, stranded: false });
      expect(batches).toEqual([['first'], ['second']]);
      expect(commits.idle).toBe(true);
    }
  });
});
