// A circuit breaker for the LLM: after `threshold` failures in a row it opens for a cooldown that
// doubles with each reopening (up to a ceiling); once the cooldown passes one trial run is let
// through, and a success closes it.
export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
  now?: () => number;
}

export class Breaker {
  private failures = 0;
  private opens = 0;
  private openUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Null when a run may go; else the time (ms) the breaker lets one through. */
  blockedUntil(): number | null {
    return this.openUntil > this.now() ? this.openUntil : null;
  }

  get isOpen(): boolean {
    return this.opens > 0 && this.failures >= this.options.threshold;
  }

  succeed(): void {
    this.failures = 0;
    this.opens = 0;
    this.openUntil = 0;
  }

  /** Counts a failure; true when it opened (or reopened) the breaker. */
  fail(): boolean {
    this.failures++;
    if (this.failures < this.options.threshold) return false;
    const cooldown = Math.min(this.options.maxCooldownMs, this.options.cooldownMs * 2 ** this.opens);
    this.opens++;
    this.openUntil = this.now() + cooldown;
    return true;
  }
}
