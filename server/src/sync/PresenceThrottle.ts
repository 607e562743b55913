// How often one socket's presence goes through: at most `perSecond` times in any second. What
// comes faster is not refused (stock clients cannot act on a refusal) but held, the newest
// state of each presence only, and goes through as one change once the second allows: a client
// that moves its focus many times a second is seen where it ends up, without making the node
// scan, relay and recompute for every step.
import type { PresenceChange } from '../gate/presence.js';

export class PresenceThrottle {
  /** When each of the last passes went through, oldest first; at most `perSecond`. */
  private readonly passes: number[] = [];
  private readonly held = new Map<number, PresenceChange>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly perSecond: number,
    private readonly pass: (changes: PresenceChange[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  push(changes: readonly PresenceChange[]): void {
    for (const c of changes) {
      const seen = this.held.get(c.client);
      if (!seen || c.clock >= seen.clock) this.held.set(c.client, c);
    }
    this.drain();
  }

  private drain(): void {
    if (this.timer || this.held.size === 0) return;
    const now = this.now();
    while (this.passes.length > 0 && now - (this.passes[0] ?? 0) >= 1000) this.passes.shift();
    if (this.passes.length >= this.perSecond) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.drain();
        },
        1000 - (now - (this.passes[0] ?? now)),
      );
      return;
    }
    this.passes.push(now);
    const changes = [...this.held.values()];
    this.held.clear();
    this.pass(changes);
  }

  /** Drops what is held: the socket is gone. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held.clear();
  }
}
