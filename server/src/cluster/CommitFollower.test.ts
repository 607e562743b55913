import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { CommitFollower } from './CommitFollower.js';

/** Loaded rooms at these seqs, which record the catch-ups asked of them; and the log's ends. */
function setup(seqs: Record<string, number>, logEnds: Record<string, number>) {
  const caughtUp: [string, number | undefined][] = [];
  const rooms = new Map(
    Object.entries(seqs).map(([id, seq]) => {
      return [id, { seq, catchUp: async (to?: number) => void caughtUp.push([id, to]) }];
    }),
  );
  const listener: { onCommit?: (id: string, seq: number) => void; onListen?: () => void } = {};
  const store = {
    listenForCommits: async (onCommit: (id: string, seq: number) => void, onListen: () => void) => {
      Object.assign(listener, { onCommit, onListen });
    },
    lastSeqs: async (ids: readonly string[]) =>
      new Map(ids.flatMap((id) => (id in logEnds ? [[id, logEnds[id] ?? 0] as const] : []))),
  };
  const follower = new CommitFollower(
    { loadedRoom: (id) => rooms.get(id), loadedIds: () => [...rooms.keys()] },
    store,
    createLogger('silent'),
  );
  return { follower, listener, caughtUp };
}

describe('commit follower', () => {
  it('catches up a loaded room that an announcement says is behind, and no other', async () => {
    const { follower, listener, caughtUp } = setup({ a: 3, b: 5 }, {});
    await follower.listen();
    listener.onCommit?.('a', 4); // behind: catches up to 4
    listener.onCommit?.('b', 5); // its own commit, heard back
    listener.onCommit?.('c', 9); // not loaded here
    expect(caughtUp).toEqual([['a', 4]]);
  });

  it('compares every loaded room with the end of its log when the listener (re)connects', async () => {
    const { follower, listener, caughtUp } = setup({ a: 3, b: 5, c: 1 }, { a: 3, b: 7, c: 2 });
    await follower.listen();
    listener.onListen?.();
    await new Promise((r) => setTimeout(r, 10));
    expect(caughtUp).toEqual([
      ['b', 7],
      ['c', 2],
    ]);
  });
});
