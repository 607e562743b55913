// A room between reading its stored state and building its document from it. Building a large
// document holds the event loop (about a second at 100,000 updates on stock Yjs), and a client
// that has nothing needs only the stored bytes: the sockets that arrive meanwhile are sent those
// (StoredState), and the load waits for them to be written before it applies the state.
import type { LogSlice } from './documentAt.js';

/**
 * How long a load waits, after reading, for the sockets it was offered to be written to: a
 * client that reads slowly cannot keep the incident from loading.
 */
export const PRELOAD_SEND_WAIT_MS = 2_000;

/** The stored state a room is being loaded from, for the sockets that arrive before it is built. */
export interface StoredState {
  slice: LogSlice;
  /** Tells the load that `written` resolves once a socket has been sent the state. */
  sending(written: Promise<void>): void;
}

export class RoomPreload {
  /** The stored state once read; null when the load fails first or nobody may be offered it. */
  readonly state: Promise<StoredState | null>;
  private offer: (state: StoredState | null) => void = () => {};
  private readonly sends: Promise<void>[] = [];

  constructor(private readonly waitMs = PRELOAD_SEND_WAIT_MS) {
    this.state = new Promise((resolve) => {
      this.offer = resolve;
    });
  }

  /**
   * Offers `slice` to the sockets waiting for it and resolves once what they were sent is written
   * (or after `waitMs`). Their upgrades continue when `state` resolves, before the next turn of
   * the event loop, so every send is known by then.
   */
  async read(slice: LogSlice): Promise<void> {
    this.offer({ slice, sending: (written) => this.sends.push(written) });
    await new Promise((resolve) => setImmediate(resolve));
    if (this.sends.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.sends),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** The load is over (built or failed): sockets still waiting get nothing from here. */
  done(): void {
    this.offer(null);
  }
}
