import { describe, expect, it } from 'vitest';
import { viewWait } from './ViewKeeper.js';

describe('view recompute pacing', () => {
  it('waits the debounce, at most once a second while a recompute is cheap', () => {
    expect(viewWait(10_000, 0, 5)).toBe(100); // long since the last run: only the debounce
    expect(viewWait(10_200, 10_000, 5)).toBe(800); // once per second
  });

  it('stretches the interval to ten times the cost of an expensive recompute', () => {
    expect(viewWait(10_200, 10_000, 250)).toBe(2_300); // 250 ms per run: every 2.5 s
    expect(viewWait(20_000, 10_000, 250)).toBe(100);
  });
});
