import { describe, expect, it } from 'vitest';
import { Breaker } from './Breaker.js';

describe('summarizer circuit breaker', () => {
  it('opens after the threshold of failures in a row, lets one trial through after the cooldown, and closes on success', () => {
    let now = 0;
    const b = new Breaker({ threshold: 3, cooldownMs: 1000, maxCooldownMs: 3000, now: () => now });
    expect(b.fail()).toBe(false);
    expect(b.fail()).toBe(false);
    expect(b.blockedUntil()).toBeNull();
    expect(b.fail()).toBe(true);
    expect(b.isOpen).toBe(true);
    expect(b.blockedUntil()).toBe(1000);
    now = 1000;
    expect(b.blockedUntil()).toBeNull(); // the trial run
    expect(b.fail()).toBe(true); // it failed: open again, for twice as long
    expect(b.blockedUntil()).toBe(3000);
    now = 3000;
    expect(b.fail()).toBe(true);
    expect(b.blockedUntil()).toBe(6000); // capped at maxCooldownMs
    now = 6000;
    b.succeed();
    expect(b.isOpen).toBe(false);
    expect(b.blockedUntil()).toBeNull();
    expect(b.fail()).toBe(false);
  });

  it('resets the count on a success before the threshold', () => {
    const b = new Breaker({ threshold: 2, cooldownMs: 1000, maxCooldownMs: 1000, now: () => 0 });
    b.fail();
    b.succeed();
    expect(b.fail()).toBe(false);
  });
});
