// When a change should become a request: the search box waits for typing to pause (debounce),
// the "Seen before" and AI usage panels ask at most once a while however fast entries arrive
// (throttle, through PacedAnswer), and an answer that comes back after a newer request was made
// is dropped (Latest).

export interface Paced {
  call(): void;
  cancel(): void;
}

/** Runs `run` once calls have stopped for `ms`. */
export function debounce(run: () => void, ms: number): Paced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call() {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

/**
 * Runs `run` at once, then at most once every `ms`: calls inside the window run once, at its
 * end, so the last change is never left out.
 */
export function throttle(run: () => void, ms: number): Paced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const open = () => {
    timer = setTimeout(() => {
      timer = undefined;
      if (!pending) return;
      pending = false;
      run();
      open();
    }, ms);
  };
  return {
    call() {
      if (timer !== undefined) {
        pending = true;
        return;
      }
      run();
      open();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      pending = false;
    },
  };
}

/** Tickets for requests: only the newest is current, so an older request's late answer is dropped. */
export class Latest {
  private last = 0;
  next(): number {
    return ++this.last;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.last;
  }
}
