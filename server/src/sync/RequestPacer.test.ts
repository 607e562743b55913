import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestPacer } from './RequestPacer.js';

describe('RequestPacer', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('answers a burst at once, then one request per refill, the newest of those held', () => {
    const answered: number[] = [];
    const pacer = new RequestPacer<number>(
      60,
      3,
      (n) => answered.push(n),
      () => Date.now(),
    );
    const now = [1, 2, 3, 4, 5, 6].map((n) => pacer.push(n));
    expect(now).toEqual([true, true, true, false, false, false]);
    expect(answered).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(999);
    expect(answered).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(answered).toEqual([1, 2, 3, 6]); // 4 and 5 were overtaken by 6
    vi.advanceTimersByTime(10_000);
    expect(answered).toEqual([1, 2, 3, 6]); // nothing is answered twice
    // Ten quiet seconds refilled the bucket to its burst, not beyond.
    expect([7, 8, 9, 10].map((n) => pacer.push(n))).toEqual([true, true, true, false]);
  });

  it('answers nothing once stopped', () => {
    const answered: number[] = [];
    const pacer = new RequestPacer<number>(
      60,
      1,
      (n) => answered.push(n),
      () => Date.now(),
    );
    pacer.push(1);
    pacer.push(2);
    pacer.stop();
    vi.advanceTimersByTime(5_000);
    expect(answered).toEqual([1]);
  });
});
