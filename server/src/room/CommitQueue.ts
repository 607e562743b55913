// The commit queue of one room: writes wait here for the next commit, and those that arrive while
// a commit is in flight share the one after it (a group commit, at most MAX_BATCH writes). An
// exclusive operation (a purge, a catch-up) runs with no commit in flight and none starting until
// it ends. It owns only the order of commits; what a commit does is the room's.

/** Writes committed together at most; a larger backlog goes in the next transaction. */
const MAX_BATCH = 512;

export class CommitQueue<W> {
  private queue: W[] = [];
  private flushing: Promise<void> | null = null;
  /** Held while an exclusive operation runs; commits wait for it. */
  private lock: Promise<unknown> | null = null;

  /**
   * `commit` writes a batch durably and settles its writes; it runs for one batch at a time, and
   * settles every write it takes. Should it throw or reject all the same (a bug), `fail` settles
   * the batch's writes with that error (and may drain() those behind them), so they fail loudly
   * instead of waiting forever, and the queue goes on with the next write (as it does if `fail`
   * rejects in turn: it settles and logs what it can first).
   */
  constructor(
    private readonly commit: (batch: W[]) => Promise<void>,
    private readonly fail: (batch: W[], err: unknown) => Promise<void>,
  ) {}

  /** Queues a write for the next commit, and starts committing unless a commit is in flight. */
  enqueue(write: W): void {
    this.queue.push(write);
    this.flushing ??= this.flush();
  }

  /** Takes every write still queued: a failed commit fails them too, as they may build on it. */
  drain(): W[] {
    return this.queue.splice(0);
  }

  /** Some write waiting for the next commit is one `test` picks. */
  waiting(test: (write: W) => boolean): boolean {
    return this.queue.some(test);
  }

  /** No commit is queued, in flight or held back by an exclusive operation. */
  get idle(): boolean {
    return !this.flushing && !this.lock && this.queue.length === 0;
  }

  /**
   * Commits until the queue is empty. It lets go of `flushing` in the same step that finds the
   * queue empty: a write queued a moment later starts the next flush instead of waiting, unseen,
   * for the one that is ending (as it did when a `.finally` let go a few microtasks later).
   */
  private async flush(): Promise<void> {
    try {
      while (this.lock) await this.lock.catch(() => {});
      while (this.queue.length > 0) await this.commitOrFail(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.flushing = null;
    }
  }

  /**
   * Commits a batch, or fails it if the commit throws. Awaited even when a commit throws at
   * once: a flush that never awaited would let go of `flushing` before enqueue() set it, and
   * enqueue() would then hold the ended flush for good, with no later write committed.
   */
  private async commitOrFail(batch: W[]): Promise<void> {
    try {
      await this.commit(batch);
    } catch (err) {
      try {
        await this.fail(batch, err);
      } catch {
        // `fail` settles the batch and logs first; should it throw all the same, the queue goes on.
      }
    }
  }

  /**
   * Runs `fn` with no commit in flight and none starting until it ends. Nothing awaits between
   * the wait and taking the lock, so two exclusive operations cannot overlap.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.flushing || this.lock) await (this.flushing ?? this.lock)?.catch(() => {});
    const run = fn();
    this.lock = run;
    try {
      return await run;
    } finally {
      this.lock = null;
    }
  }

  /** Resolves once no commit is in flight. */
  async settle(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
  }
}
