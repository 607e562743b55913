import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Latest, debounce, throttle } from './pacing.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('debounce', () => {
  it('runs once, after the calls have stopped for the delay', () => {
    const run = vi.fn();
    const d = debounce(run, 200);
    d.call();
    vi.advanceTimersByTime(150);
    d.call();
    vi.advanceTimersByTime(150);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs nothing once cancelled', () => {
    const run = vi.fn();
    const d = debounce(run, 200);
    d.call();
    d.cancel();
    vi.advanceTimersByTime(1_000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('throttle', () => {
  it('runs the first call at once and the calls inside the window once, at its end', () => {
    const run = vi.fn();
    const t = throttle(run, 1_000);
    t.call();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(10);
      t.call();
    }
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(2);
    // The trailing run opened a new window: a call in it waits for its end.
    t.call();
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(3);
    // A quiet window: the next call runs at once.
    vi.advanceTimersByTime(1_000);
    t.call();
    expect(run).toHaveBeenCalledTimes(4);
  });

  it('runs nothing pending once cancelled', () => {
    const run = vi.fn();
    const t = throttle(run, 1_000);
    t.call();
    t.call();
    t.cancel();
    vi.advanceTimersByTime(5_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('latest', () => {
  it('keeps only the newest ticket current', () => {
    const latest = new Latest();
    const a = latest.next();
    expect(latest.isCurrent(a)).toBe(true);
    const b = latest.next();
    expect(latest.isCurrent(a)).toBe(false);
    expect(latest.isCurrent(b)).toBe(true);
  });
});
