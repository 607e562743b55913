// A room between reading its stored state and building its document from it. Building a long
// incident's document holds the event loop for seconds, so new clients are served the stored
// state first (sync/EarlySocket); the build waits, a bounded time, until what they were sent has
// left this process.
import type { LogSlice } from './documentAt.js';
import type { IncidentRoom } from './IncidentRoom.js';

/** The longest the build waits for sockets served the stored state to send it. */
export const MAX_SEND_WAIT_MS = 2_000;

export class RoomLoading {
  /** The stored state, once read; rejects if the load fails before it is read. */
  readonly stored: Promise<LogSlice>;
  private settle!: { resolve: (stored: LogSlice) => void; reject: (err: unknown) => void };
  private readonly sending: Promise<unknown>[] = [];
  private room: IncidentRoom | null = null;
  private readonly builtListeners: ((room: IncidentRoom) => void)[] = [];

  constructor() {
    this.stored = new Promise<LogSlice>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.stored.catch(() => {}); // nobody may be waiting for it
  }

  /** Holds the build back until `sent` settles (at most MAX_SEND_WAIT_MS after the state was read). */
  delayBuild(sent: Promise<unknown>): void {
    this.sending.push(sent);
  }

  /**
   * The load read `stored`: sockets waiting for it are served (they ask for delays while being
   * served, before the next turn of the event loop), then the build waits for those to be sent.
   */
  async read(stored: LogSlice): Promise<void> {
    this.settle.resolve(stored);
    await new Promise((resolve) => setImmediate(resolve));
    if (this.sending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(this.sending),
      new Promise((resolve) => {
        timer = setTimeout(resolve, MAX_SEND_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Calls `listener` with the room once its document is built, before anything else changes it
   * (at once if it is built already): the stored state plus what is applied after this call is
   * the whole document.
   */
  whenBuilt(listener: (room: IncidentRoom) => void): void {
    if (this.room) listener(this.room);
    else this.builtListeners.push(listener);
  }

  /** The document is built from the stored state and nothing has changed it yet. */
  built(room: IncidentRoom): void {
    this.room = room;
    for (const listener of this.builtListeners.splice(0)) listener(room);
  }

  /** The load failed (a socket served the stored state is closed by whoever opened the room). */
  failed(err: unknown): void {
    this.settle.reject(err);
  }
}
