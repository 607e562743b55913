// How often one socket's requests for a whole answer go through (sync step 1, query-awareness): a
// token bucket of `burst` requests, refilled at `perMinute`. What comes faster is neither refused
// nor dropped (a stock client waits for its answer and cannot act on a refusal) but held, the
// newest request only, and answered once the bucket allows: a socket that floods gets one answer
// per refill, worked out when it is sent, and costs the node nothing more for the rest.
export class RequestPacer<T> {
  private tokens: number;
  private refilledAt: number;
  private held: { request: T } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly answer: (request: T) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  /**
   * Answers `request` now if the bucket allows, else holds it in place of any held before;
   * says whether it was answered now.
   */
  push(request: T): boolean {
    this.held = { request };
    this.drain();
    return this.held === undefined;
  }

  private drain(): void {
    if (this.timer || !this.held) return;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perMinute) / 60_000);
    this.refilledAt = now;
    if (this.tokens < 1) {
      const wait = Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, wait);
      return;
    }
    this.tokens -= 1;
    const { request } = this.held;
    this.held = undefined;
    this.answer(request);
  }

  /** Drops what is held: the socket is gone. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = undefined;
  }
}
