import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { LEASE_MS, Leases, RENEW_EVERY_MS } from './Leases.js';

/**
 * A leases table as SummaryLog keeps it, shared by the nodes made on it; it records the names of
 * each statement, and fails the statements while `failing`.
 */
function table() {
  const rows = new Map<string, { holder: string; until: number }>();
  const statements: { holder: string; names: string[] }[] = [];
  const state = { failing: false };
  const acquire = async (names: readonly string[], holder: string, ttlMs: number) => {
    statements.push({ holder, names: [...names] });
    if (state.failing) throw new Error('connection refused');
    const held = new Map<string, number>();
    for (const name of names) {
      const row = rows.get(name);
      if (row && row.holder !== holder && row.until > Date.now()) continue;
      rows.set(name, { holder, until: Date.now() + ttlMs });
      held.set(name, ttlMs);
    }
    return held;
  };
  const node = (holder: string, log = createLogger('silent')) => new Leases(holder, acquire, log);
  return { rows, statements, state, node };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('leases', () => {
  it('are asked for once while fresh, and renewed by the node before a third is left', async () => {
    vi.useFakeTimers();
    const { statements, node } = table();
    const lease = node('node-1').lease('views:a');
    expect(await lease.held(() => {})).toBe(true);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 2 - 1);
    expect(await lease.held(() => {})).toBe(true);
    expect(statements).toHaveLength(1);
    // Renewed by the node's timer, not by being asked: held on, never below a third.
    for (let t = 0; t < 4 * LEASE_MS; t += 1_000) {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(lease.left()).toBeGreaterThan(LEASE_MS / 3);
    }
    expect(statements.length).toBeLessThanOrEqual(1 + (4 * LEASE_MS) / (LEASE_MS / 2));
  });

  it('renews every lease the node holds in one statement per renewal, however many', async () => {
    vi.useFakeTimers();
    const { statements, node } = table();
    const leases = node('node-1');
    const held = Array.from({ length: 200 }, (_, i) => leases.lease(`views:${i}`));
    // Asked for together: their first statement is shared too.
    expect(await Promise.all(held.map((l) => l.held(() => {})))).toEqual(held.map(() => true));
    expect(statements.length).toBeLessThanOrEqual(2);
    statements.length = 0;
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(statements.length).toBeLessThanOrEqual(6); // one per renewal, not per lease
    for (const s of statements) expect(new Set(s.names)).toEqual(new Set(held.map((l) => l.name)));
    for (const l of held) expect(l.heldFor(LEASE_MS / 3, () => {})).toBe(true);
  });

  it('is refused while another node holds it, and asks again once it may have lapsed', async () => {
    vi.useFakeTimers();
    const { node } = table();
    const first = node('node-1').lease('views:a');
    const second = node('node-2').lease('views:a');
    expect(await first.held(() => {})).toBe(true);
    const retry = vi.fn();
    expect(await second.held(retry)).toBe(false);
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect(retry).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(retry).toHaveBeenCalledOnce();
    // The first node renews it meanwhile: still its own.
    expect(await second.held(() => {})).toBe(false);
    first.release(); // its room unloaded: no longer renewed, taken once it expired
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    expect(await second.held(() => {})).toBe(true);
  });

  it('is not asked for again while refused, and its retries wait on one timer', async () => {
    vi.useFakeTimers();
    const { statements, node } = table();
    expect(
      await node('node-1')
        .lease('views:a')
        .held(() => {}),
    ).toBe(true);
    const second = node('node-2');
    const lease = second.lease('views:a');
    const timers = vi.getTimerCount(); // the nodes' renewal timers
    const views = vi.fn();
    const summary = vi.fn();
    expect(await lease.held(views)).toBe(false);
    statements.length = 0;
    // Every debounced view run and summary on the node that is not the holder, within the refusal.
    for (let i = 0; i < 50; i++) {
      expect(lease.heldFor(5_000, views)).toBe(false);
      expect(await lease.held(summary)).toBe(false);
      await vi.advanceTimersByTimeAsync((LEASE_MS - 1) / 50);
    }
    const asked = () => statements.filter((s) => s.holder === 'node-2');
    expect(asked()).toEqual([]); // node-1 renews meanwhile
    expect(vi.getTimerCount()).toBe(timers + 1);
    expect(views).not.toHaveBeenCalled();
    // The refusal over: each retry runs once, and the lease is asked for again (still the other's).
    await vi.advanceTimersByTimeAsync(1);
    expect(views).toHaveBeenCalledOnce();
    expect(summary).toHaveBeenCalledOnce();
    expect(await lease.held(views)).toBe(false);
    expect(asked()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(timers + 1);
  });

  it('tells without waiting whether it is held for so long more', async () => {
    vi.useFakeTimers();
    const { statements, node } = table();
    const lease = node('node-1').lease('views:a');
    expect(lease.heldFor(5_000, () => {})).toBe(false); // never asked for: not known to be held
    await vi.advanceTimersByTimeAsync(0);
    expect(statements).toHaveLength(1);
    expect(lease.heldFor(5_000, () => {})).toBe(true);
    await vi.advanceTimersByTimeAsync(LEASE_MS - 6_000);
    expect(lease.heldFor(5_000, () => {})).toBe(true); // renewed by the node meanwhile
    // Another node's: not held, however long this one waits.
    const other = node('node-2').lease('views:a');
    expect(other.heldFor(0, () => {})).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(other.heldFor(0, () => {})).toBe(false);
  });

  it('sees a lease another node took as lost at the next renewal', async () => {
    vi.useFakeTimers();
    const { rows, node } = table();
    const leases = node('node-1');
    const kept = leases.lease('views:kept');
    const lost = leases.lease('views:lost');
    expect(await kept.held(() => {})).toBe(true);
    expect(await lost.held(() => {})).toBe(true);
    rows.set('views:lost', { holder: 'node-2', until: Date.now() + 10 * LEASE_MS }); // a clock gone wrong
    await vi.advanceTimersByTimeAsync(LEASE_MS / 2 + RENEW_EVERY_MS);
    expect(lost.heldFor(0, () => {})).toBe(false);
    expect(kept.heldFor(LEASE_MS / 3, () => {})).toBe(true);
    expect(await lost.held(() => {})).toBe(false);
  });

  it('counts leases whose renewal failed as held only until their known expiry, and says so', async () => {
    vi.useFakeTimers();
    const { state, node } = table();
    const log = createLogger('silent');
    const error = vi.spyOn(log, 'error');
    const leases = node('node-1', log);
    const lease = leases.lease('views:a');
    const taken = Date.now();
    expect(await lease.held(() => {})).toBe(true);
    state.failing = true;
    await vi.advanceTimersByTimeAsync(LEASE_MS - 5_001);
    expect(error).toHaveBeenCalled();
    expect(lease.heldFor(5_000, () => {})).toBe(true); // until its known expiry
    await vi.advanceTimersByTimeAsync(1);
    expect(lease.heldFor(5_000, () => {})).toBe(false);
    await expect(lease.held(() => {})).rejects.toThrow('connection refused');
    await vi.advanceTimersByTimeAsync(taken + LEASE_MS - Date.now());
    expect(lease.heldFor(0, () => {})).toBe(false);
    // The database back: asked for again, held again.
    state.failing = false;
    expect(await lease.held(() => {})).toBe(true);
  });

  it('stops renewing a released lease, and asks nothing once none is left', async () => {
    vi.useFakeTimers();
    const { statements, node } = table();
    const leases = node('node-1');
    const a = leases.lease('views:a');
    const b = leases.lease('views:b');
    await Promise.all([a.held(() => {}), b.held(() => {})]);
    b.release();
    statements.length = 0;
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.names).toEqual(['views:a']);
    a.release();
    statements.length = 0;
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(statements).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is held for what the store says is left of it, never more than it asked for', async () => {
    vi.useFakeTimers();
    const left = new Map([
      ['views:a', LEASE_MS - 7_000],
      ['views:b', 2 * LEASE_MS],
    ]);
    const leases = new Leases('node-1', async () => left, createLogger('silent'));
    const [a, b] = [leases.lease('views:a'), leases.lease('views:b')];
    expect(await a.held(() => {})).toBe(true);
    expect(await b.held(() => {})).toBe(true);
    expect(a.left()).toBe(LEASE_MS - 7_000);
    expect(b.left()).toBe(LEASE_MS);
  });

  it('leaves a lease released while it was being asked for not held', async () => {
    let started = () => {};
    const asking = new Promise<void>((r) => (started = r));
    let answer = () => {};
    const acquire = (names: readonly string[]) => {
      started();
      return new Promise<ReadonlyMap<string, number>>(
        (r) => (answer = () => r(new Map(names.map((n) => [n, LEASE_MS])))),
      );
    };
    const lease = new Leases('node-1', acquire, createLogger('silent')).lease('views:a');
    const held = lease.held(() => {});
    await asking;
    lease.release(); // its room unloaded meanwhile
    answer();
    expect(await held).toBe(false);
    expect(lease.heldFor(0, () => {})).toBe(false);
  });
});
