// A lease that makes one node at a time do a piece of an incident's derived work (its views and
// their LLM refinement). It lasts LEASE_MS from each renewal; the holder renews it once less than
// a third is left, and a node that another holds it from asks again once it may have lapsed. The
// leases table is the store's (SummaryLog.acquireLease); this owns when to ask it.

/** How long a lease lasts from its last renewal. */
export const LEASE_MS = 30_000;

/** Takes or renews the lease `name` for `holder`; false while another holder's is unexpired. */
export type AcquireLease = (name: string, holder: string, ttlMs: number) => Promise<boolean>;

export class Lease {
  /** Until when this node is known to hold it. */
  private until = 0;

  constructor(
    private readonly name: string,
    private readonly holder: string,
    private readonly acquire: AcquireLease,
  ) {}

  /**
   * True while this node is known to hold the lease for at least `ms` more, without waiting: it is
   * renewed meanwhile (as `held` would) once less than a third is left.
   */
  heldFor(ms: number, retry: () => void): boolean {
    const left = this.until - Date.now();
    if (left <= LEASE_MS / 3) this.held(retry).catch(() => {}); // a failed renewal: the next `held` asks again
    return left > ms;
  }

  /** True while this node holds the lease; otherwise `retry` runs once it may have lapsed. */
  async held(retry: () => void): Promise<boolean> {
    if (this.until - Date.now() > LEASE_MS / 3) return true;
    const held = await this.acquire(this.name, this.holder, LEASE_MS);
    if (held) this.until = Date.now() + LEASE_MS;
    else setTimeout(retry, LEASE_MS).unref();
    return held;
  }
}
