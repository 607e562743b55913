import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './db.js';

describe('reconnectDelay', () => {
  it('tries a lost connection again soon, and never waits more than 2 s between tries', () => {
    const delays = Array.from({ length: 30 }, (_, retries) => reconnectDelay(retries));
    expect(delays[0]).toBeCloseTo(0.03);
    for (const [i, d] of delays.entries()) if (i > 0) expect(d).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(Math.max(...delays)).toBe(2);
    // After an outage of a minute the database is found again within 2 s of its return.
    let waited = 0;
    let retries = 0;
    while (waited < 60) waited += reconnectDelay(retries++);
    expect(waited - 60).toBeLessThanOrEqual(2);
  });
});
