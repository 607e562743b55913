// The commit queue alone: group commits, no write left waiting when it is queued just as a
// flush ends, and a commit that throws failing its writes without stopping the queue.
import { describe, expect, it } from 'vitest';
import { CommitQueue } from './CommitQueue.js';

interface Write {
  name: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A queue whose commit settles each write of the batch (or first runs `before`, which may throw),
 * and what each commit took.
 */
function queue(before?: () => Promise<void>): {
  commits: CommitQueue<Write>;
  batches: string[][];
  write: (name: string) => Promise<void>;
} {
  const batches: string[][] = [];
  const commit = (batch: Write[]) => {
    batches.push(batch.map((w) => w.name));
    return (before?.() ?? Promise.resolve()).then(() => {
      for (const w of batch) w.resolve();
    });
  };
  const fail = async (batch: Write[], err: unknown) => {
    for (const w of batch) w.reject(err);
  };
  const commits = new CommitQueue<Write>(commit, fail);
  const write = (name: string) =>
    new Promise<void>((resolve, reject) => commits.enqueue({ name, resolve, reject }));
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

  const breaks: [string, () => Promise<void>][] = [
    [
      'throws at once',
      () => {
        throw new Error('the commit broke');
      },
    ],
    ['rejects', () => Promise.reject(new Error('the commit broke'))],
  ];

  it.each(breaks)('fails the writes of a commit that %s, and commits the next write', async (_, broken) => {
    // The first commit (the first of its flush, run as its write is queued) and the third break.
    let calls = 0;
    const { commits, batches, write } = queue(() =>
      [1, 3].includes(++calls) ? broken() : Promise.resolve(),
    );
    await expect(write('a')).rejects.toThrow('the commit broke');
    const b = write('b');
    const failed = Promise.allSettled([write('c'), write('d')]); // queued behind b: one batch
    await b;
    for (const o of await failed)
      expect(o).toMatchObject({ status: 'rejected', reason: { message: 'the commit broke' } });
    await write('e');
    expect(batches).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
    await commits.settle();
    expect(commits.idle).toBe(true);
  });

  it('goes on with the next write when failing a batch throws too', async () => {
    let calls = 0;
    const commit = async (batch: Write[]) => {
      if (++calls === 1) throw new Error('the commit broke');
      for (const w of batch) w.resolve();
    };
    // Settles the batch, then throws: the queue must neither reject its flush nor stop.
    const fail = async (batch: Write[], err: unknown) => {
      for (const w of batch) w.reject(err);
      throw new Error('failing it broke too');
    };
    const commits = new CommitQueue<Write>(commit, fail);
    const write = (name: string) =>
      new Promise<void>((resolve, reject) => commits.enqueue({ name, resolve, reject }));
    await expect(write('a')).rejects.toThrow('the commit broke');
    await write('b');
    await commits.settle();
    expect(commits.idle).toBe(true);
  });
});
