// What a loaded room sanitizes and refuses under: the incident's effective privacy policy (the
// deployment's with the incident's allowances, IncidentPrivacy#settings) and its sanitizer key,
// read at load and again whenever its allowances change on any node. The gate refuses socket
// writes and presence under the policy; the server's own view writes are redacted under it and
// the key. Reads may finish out of order; only the latest started one is kept. A read that fails
// leaves the deployment's policy, the strictest there is (an allowance only loosens it), until a
// later read succeeds: a withdrawn allowance never lingers because the store was away. The key
// never changes, so the last one read is kept.
import type { PrivacyPolicy } from '@sitrep/shared/sanitizer';

/** What a read of the incident's settings gives the room. */
export interface RoomSanitizer {
  policy: PrivacyPolicy;
  /** Null where no incident key exists (a room made without privacy settings, in tests). */
  key: string | null;
}

export class RoomPolicy {
  private current: PrivacyPolicy;
  private currentKey: string | null = null;
  private started = 0;
  private kept = 0;
  private failed = false;

  constructor(
    private readonly read: () => Promise<RoomSanitizer>,
    /** The deployment's policy: where a room starts, and what it falls back to. */
    private readonly deployment: PrivacyPolicy,
  ) {
    this.current = deployment;
  }

  /** What the gate refuses under now. */
  get policy(): PrivacyPolicy {
    return this.current;
  }

  /** The incident's sanitizer key, once a read has given it; null before. */
  get key(): string | null {
    return this.currentKey;
  }

  /** The last read failed: the room refuses under the deployment's policy until `refresh` succeeds. */
  get stale(): boolean {
    return this.failed;
  }

  /** Reads the policy again; resolves once it holds (or once a later read has overtaken it). */
  async refresh(): Promise<void> {
    const ticket = ++this.started;
    let read: RoomSanitizer;
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
    this.currentKey = read.key;
    if (ticket <= this.kept) return;
    this.kept = ticket;
    this.current = read.policy;
    this.failed = false;
  }
}
