import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEASE_MS, Lease } from './Lease.js';

/** A leases table of one row: whoever holds it until when, as SummaryLog keeps it. */
function table() {
  const row = { holder: '', until: 0 };
  const asked: string[] = [];
  const acquire = async (_name: string, holder: string, ttlMs: number) => {
    asked.push(holder);
    if (row.holder !== holder && row.until > Date.now()) return false;
    Object.assign(row, { holder, until: Date.now() + ttlMs });
    return true;
  };
  return { acquire, asked };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('lease', () => {
  it('is asked for once while it is fresh, and renewed once less than a third is left', async () => {
    vi.useFakeTimers();
    const { acquire, asked } = table();
    const lease = new Lease('views:a', 'node-1', acquire);
    expect(await lease.held(() => {})).toBe(true);
    vi.advanceTimersByTime((LEASE_MS * 2) / 3 - 1_000);
    expect(await lease.held(() => {})).toBe(true);
    expect(asked).toEqual(['node-1']);
    vi.advanceTimersByTime(2_000);
    expect(await lease.held(() => {})).toBe(true);
    expect(asked).toEqual(['node-1', 'node-1']);
  });

  it('is refused while another node holds it, and asks again once it may have lapsed', async () => {
    vi.useFakeTimers();
    const { acquire } = table();
    const first = new Lease('views:a', 'node-1', acquire);
    const second = new Lease('views:a', 'node-2', acquire);
    expect(await first.held(() => {})).toBe(true);
    const retry = vi.fn();
    expect(await second.held(retry)).toBe(false);
    vi.advanceTimersByTime(LEASE_MS - 1);
    expect(retry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledOnce();
    // The first node stopped renewing: the lease is the second's now.
    expect(await second.held(() => {})).toBe(true);
  });

  it('tells without waiting whether it is held for so long more, renewing it meanwhile once due', async () => {
    vi.useFakeTimers();
    const { acquire, asked } = table();
    const lease = new Lease('views:a', 'node-1', acquire);
    expect(lease.heldFor(5_000, () => {})).toBe(false); // never asked for: not known to be held
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['node-1']);
    expect(lease.heldFor(5_000, () => {})).toBe(true);
    vi.advanceTimersByTime(LEASE_MS - 6_000);
    expect(lease.heldFor(5_000, () => {})).toBe(true); // a third is left: still held, and renewed
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['node-1', 'node-1']);
    vi.advanceTimersByTime(LEASE_MS - 6_000); // held from the renewal on
    expect(lease.heldFor(5_000, () => {})).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(lease.heldFor(5_000, () => {})).toBe(false); // not for 5 s more
    // Another node's: not held, however long this one waits.
    const other = new Lease('views:a', 'node-2', acquire);
    expect(other.heldFor(0, () => {})).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(other.heldFor(0, () => {})).toBe(false);
  });
});
