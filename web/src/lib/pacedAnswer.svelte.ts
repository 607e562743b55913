// An answer the dashboard asks the server for again when what it depends on changes (an
// incident's entries), at most once every `everyMs` (throttle); a late answer to an older ask is
// dropped (Latest), and a failure keeps the last answer beside its message.
import { Latest, throttle } from './pacing.js';

export class PacedAnswer<T> {
  /** null until the first answer. */
  value = $state.raw<T | null>(null);
  /** The last failure's message; '' once an ask succeeds. */
  error = $state('');
  readonly #latest = new Latest();
  readonly #paced;

  constructor(ask: () => Promise<T>, everyMs: number) {
    this.#paced = throttle(() => {
      const ticket = this.#latest.next();
      ask().then(
        (v) => {
          if (!this.#latest.isCurrent(ticket)) return;
          this.value = v;
          this.error = '';
        },
        (e: Error) => {
          if (this.#latest.isCurrent(ticket)) this.error = e.message;
        },
      );
    }, everyMs);
  }

  /** Asks now, or at the end of the current window. */
  call(): void {
    this.#paced.call();
  }

  /** Stops asking (the component is going). */
  cancel(): void {
    this.#paced.cancel();
  }

  /**
   * Asks each time `version()` changes, not while it is null (the incident has not loaded), and
   * stops when the component goes. Called once while the component is made.
   */
  follow(version: () => string | null): void {
    $effect(() => {
      if (version() !== null) this.call();
    });
    $effect(() => () => this.cancel());
  }
}
