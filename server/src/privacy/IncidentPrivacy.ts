// What the sanitizer works with for one incident on this server: the deployment's policy
// (SITREP_PRIVACY_POLICY) with the incident's allowances applied, and the incident's key. The
// HTTP paths redact with it before anything is stored; what the policy refuses is gate.private.
import { Entry, type SanitizerSettings, SitrepError, parseInput } from '@sitrep/shared';
import {
  Allowances,
  type PrivacyPolicy,
  type PrivateType,
  type RedactionCounts,
  sanitizeEntries,
  withAllowances,
} from '@sitrep/shared/sanitizer';
import { privateDataRefused } from '../gate/refusals.js';
import type { Store } from '../store/Store.js';

export class IncidentPrivacy {
  constructor(
    private readonly store: Store,
    /** The deployment's policy, before any incident's allowances. */
    readonly policy: PrivacyPolicy,
  ) {}

  /** The incident's key, policy and allowances; incident.not_found when there is none. */
  async settings(incidentId: string): Promise<SanitizerSettings> {
    const found = await this.store.privacy.of(incidentId);
    if (!found) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return {
      key: found.key,
      policy: withAllowances(this.policy, found.allowances),
      allowances: found.allowances,
    };
  }

  /**
   * Sets the incident's allowances (commander or admin, checked by the caller), audited with who
   * and which types; answers the settings as they now are.
   */
  async allow(
    incidentId: string,
    types: readonly PrivateType[],
    tokenId: string,
  ): Promise<SanitizerSettings> {
    const found = await this.store.privacy.setAllowances(incidentId, Allowances.parse(types), tokenId);
    if (!found) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return {
      key: found.key,
      policy: withAllowances(this.policy, found.allowances),
      allowances: found.allowances,
    };
  }

  /**
   * Entries to append to the incident, sanitized under its settings: each entry's `redactions`
   * counts what was taken out of it. gate.private (audited as a refusal of `tokenId`) when one
   * holds data the policy refuses.
   */
  async sanitizeEntries(
    incidentId: string,
    entries: readonly Entry[],
    tokenId: string,
  ): Promise<{ entries: Entry[]; counts: RedactionCounts }> {
    const { key, policy } = await this.settings(incidentId);
    const out = await sanitizeEntries(entries, { key, policy });
    if (out.refused) {
      const err = privateDataRefused(out.refused.findings, `entry ${entries[out.refused.index]?.id}`);
      const detail = { code: err.code, reason: err.message };
      // The refusal stands whether or not its record can be written.
      await this.store.audit
        .recordRepeatable(err.code, { action: 'reject', incidentId, tokenId, detail })
        .catch(() => {});
      throw err;
    }
    // A placeholder is longer than a short datum: what was redacted must still fit the schema.
    if (Object.keys(out.counts).length > 0)
      for (const e of out.entries) parseInput(Entry, e, `entry ${e.id} once redacted`);
    return { entries: out.entries, counts: out.counts };
  }
}
