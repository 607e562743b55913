// The privacy policy a loaded room's gate refuses under (socket writes, presence, the server's
// view writes): the incident's effective policy, the deployment's with the incident's
// allowances (IncidentPrivacy#policyOf), read at load and again whenever its allowances change
// on any node. Reads may finish out of order; only the latest started one is kept. A read that
// fails leaves the deployment's policy, the strictest there is (an allowance only loosens it),
// until a later read succeeds: a withdrawn allowance never lingers because the store was away.
import type { PrivacyPolicy } from '@sitrep/shared/sanitizer';

export class RoomPolicy {
  private current: PrivacyPolicy;
  private started = 0;
  private kept = 0;
  private failed = false;

  constructor(
    private readonly read: () => Promise<PrivacyPolicy>,
    /** The deployment's policy: where a room starts, and what it falls back to. */
    private readonly deployment: PrivacyPolicy,
  ) {
    this.current = deployment;
  }

  /** What the gate refuses under now. */
  get policy(): PrivacyPolicy {
    return this.current;
  }

  /** The last read failed: the room refuses under the deployment's policy until `refresh` succeeds. */
  get stale(): boolean {
    return this.failed;
  }

  /** Reads the policy again; resolves once it holds (or once a later read has overtaken it). */
  async refresh(): Promise<void> {
    const ticket = ++this.started;
    let read: PrivacyPolicy;
    try {
      read = await this.read();
    } catch (err) {
      if (ticket > this.kept) {
        this.kept = ticket;
        this.current = this.deployment;
        this.failed = true;
      }
      throw err;
    }
    if (ticket <= this.kept) return;
    this.kept = ticket;
    this.current = read;
    this.failed = false;
  }
}
