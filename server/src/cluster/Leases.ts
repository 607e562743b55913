// The leases of a node: each makes one node at a time do a piece of an incident's derived work
// (its views and their LLM refinement). A lease lasts LEASE_MS from its last renewal. The node
// renews every lease it holds in one statement on one timer, so renewing costs the same for one
// loaded incident as for thousands; a lease not held is asked for when it is wanted, and the asks
// made while a statement is under way go together in the next one. A lease refused (another node
// holds it) is not asked for again until that node's lease may have lapsed, and its callers'
// retries wait on one timer. The leases table is the store's (SummaryLog.acquireLeases); this owns
// when to ask it.
import type { Logger } from 'pino';

/** How long a lease lasts from its last renewal. */
export const LEASE_MS = 30_000;
/** How often the node looks for leases due for renewal. */
export const RENEW_EVERY_MS = LEASE_MS / 6;
/**
 * A held lease is renewed at the first look once no more than this is left: a renewal that
 * fails is tried at two more looks before the lease lapses.
 */
const RENEW_LEFT_MS = LEASE_MS / 2;
/** `held` asks the store itself once no more than this is left (the node's renewals failed). */
const ASK_LEFT_MS = LEASE_MS / 3;

/**
 * Takes or renews the leases `names` for `holder`, in one statement, each for `ttlMs` on the
 * store's clock: the names it holds now, with the milliseconds left of each.
 */
export type AcquireLeases = (
  names: readonly string[],
  holder: string,
  ttlMs: number,
) => Promise<ReadonlyMap<string, number>>;

export class Leases {
  private readonly leases = new Set<Lease>();
  private timer: NodeJS.Timeout | null = null;
  /** Leases to ask for in the next statement, and the promise of its answer once one is queued. */
  private readonly asking = new Set<Lease>();
  private next: Promise<void> | null = null;
  private last: Promise<void> = Promise.resolve();

  constructor(
    /** This node's name in the leases table. */
    readonly holder: string,
    private readonly acquire: AcquireLeases,
    private readonly log: Logger,
  ) {}

  /** A lease for this node to hold; renewed while held, until released. */
  lease(name: string): Lease {
    const lease = new Lease(name, this);
    this.leases.add(lease);
    if (!this.timer) {
      this.timer = setInterval(() => this.renewDue(), RENEW_EVERY_MS);
      this.timer.unref();
    }
    return lease;
  }

  /** Stops renewing `lease`; the row keeps its expiry, and another node may take it after. */
  release(lease: Lease): void {
    this.leases.delete(lease);
    this.asking.delete(lease);
    if (this.leases.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Asks for `leases` in the next statement, after the one under way; resolves once each knows
   * its answer, rejects (and logs) if the statement failed.
   */
  ask(leases: Iterable<Lease>): Promise<void> {
    for (const l of leases) if (this.leases.has(l)) this.asking.add(l);
    if (!this.next) {
      const next = this.last.then(() => {
        this.next = null;
        const batch = [...this.asking];
        this.asking.clear();
        return this.statement(batch);
      });
      this.next = next;
      this.last = next.catch(() => {});
    }
    return this.next;
  }

  private renewDue(): void {
    const now = Date.now();
    const due = [...this.leases].filter((l) => l.left(now) > 0 && l.left(now) <= RENEW_LEFT_MS);
    if (due.length > 0) this.ask(due).catch(() => {}); // logged; the next look tries again
  }

  private async statement(batch: readonly Lease[]): Promise<void> {
    if (batch.length === 0) return;
    // The row's expiry is from the statement's start on the store's clock, this node's `asked` or
    // later: held until `asked` + what the store says is left, never more than LEASE_MS.
    const asked = Date.now();
    const names = batch.map((l) => l.name);
    let held: ReadonlyMap<string, number>;
    try {
      held = await this.acquire(names, this.holder, LEASE_MS);
    } catch (err) {
      this.log.error({ err, leases: names.length }, 'asking for leases failed: held only until they expire');
      throw err;
    }
    // A lease released meanwhile stays not held; one refused may be the other node's until LEASE_MS
    // from the statement's start (its last renewal came before).
    for (const l of batch) {
      if (!this.leases.has(l)) continue;
      const left = held.get(l.name);
      if (left === undefined) l.refused(asked + LEASE_MS);
      else l.answered(asked + Math.min(LEASE_MS, left));
    }
  }
}

/** One lease a node wants, made by its Leases. */
export class Lease {
  /** Until when this node is known to hold it; 0: not held. */
  private until = 0;
  /** Until when another node may hold it: not asked for before. */
  private refusedUntil = 0;
  /** The retries waiting for the lease to be asked for again, each run once, on one timer. */
  private readonly retries = new Set<() => void>();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    private readonly leases: Leases,
  ) {}

  /** Milliseconds this node is known to hold it for from `now` (none: 0 or less). */
  left(now = Date.now()): number {
    return this.until - now;
  }

  /**
   * True while this node is known to hold the lease for at least `ms` more, without waiting; one
   * not held (or not renewed) is asked for meanwhile, as `held` would.
   */
  heldFor(ms: number, retry: () => void): boolean {
    const left = this.left();
    if (left <= ASK_LEFT_MS) this.held(retry).catch(() => {}); // logged; the next `held` asks again
    return left > ms;
  }

  /**
   * True while this node holds the lease; otherwise `retry` runs once it may have lapsed. While
   * refused, it is not asked for again: `retry` joins the ones waiting (the same function once).
   */
  async held(retry: () => void): Promise<boolean> {
    if (this.left() > ASK_LEFT_MS) return true;
    if (this.refusedUntil <= Date.now()) await this.leases.ask([this]);
    const held = this.left() > 0;
    if (!held) this.retryLater(retry);
    return held;
  }

  /** Stops renewing it: its room is no longer loaded here. */
  release(): void {
    this.until = 0;
    this.leases.release(this);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retries.clear();
  }

  /** The store's answer: held until `until`. */
  answered(until: number): void {
    this.until = until;
    this.refusedUntil = 0;
  }

  /** The store's answer: another node's, perhaps until `until`. */
  refused(until: number): void {
    this.until = 0;
    this.refusedUntil = until;
  }

  /** Runs `retry` once the refusal is over (a lease released meanwhile: LEASE_MS from now). */
  private retryLater(retry: () => void): void {
    this.retries.add(retry);
    if (this.retryTimer) return;
    const refusal = this.refusedUntil - Date.now();
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        const due = [...this.retries];
        this.retries.clear();
        for (const r of due) r();
      },
      refusal > 0 ? refusal : LEASE_MS,
    );
    this.retryTimer.unref();
  }
}
