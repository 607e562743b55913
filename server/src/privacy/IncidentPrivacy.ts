// What the sanitizer works with for one incident on this server: the deployment's policy
// (SITREP_PRIVACY_POLICY) with the incident's allowances applied, and the incident's key. This
// is the one place the effective policy is made: the HTTP paths redact under it before anything
// is stored (what it refuses is gate.private), and each loaded room's gate and presence refuse
// under it, its derived views are redacted under it and the key (RoomRegistry reads `settings` at
// load and whenever the allowances change).
import { Entry, type SanitizerSettings, SitrepError, parseInput } from '@sitrep/shared';
import {
  Allowances,
  type PrivacyPolicy,
  type PrivateType,
  type RedactionCounts,
  sanitizeValue,
  withAllowances,
} from '@sitrep/shared/sanitizer';
import { privateDataRefused } from '../gate/refusals.js';
import type { AuditLog } from '../store/AuditLog.js';
import type { IncidentSanitizer, PrivacySettings } from '../store/PrivacySettings.js';
import { SanitizedEntries } from './SanitizedEntries.js';

/** Told, and waited for, when an incident's allowances changed on this node. */
export type AllowancesChanged = (incidentId: string) => Promise<void>;

export class IncidentPrivacy {
  private readonly listeners: AllowancesChanged[] = [];

  constructor(
    private readonly store: {
      readonly privacy: Pick<PrivacySettings, 'of' | 'setAllowances'>;
      readonly audit: Pick<AuditLog, 'recordRepeatable'>;
    },
    /** The deployment's policy, before any incident's allowances. */
    readonly policy: PrivacyPolicy,
  ) {}

  /** The incident's key, policy and allowances; incident.not_found when there is none. */
  async settings(incidentId: string): Promise<SanitizerSettings> {
    return this.settingsOf(incidentId, await this.store.privacy.of(incidentId));
  }

  /** Calls `listener` after every change of allowances made here; `allow` answers once it has run. */
  onChange(listener: AllowancesChanged): void {
    this.listeners.push(listener);
  }

  /** The deployment's policy with these allowances applied (an import's, before its incident exists). */
  policyWith(allowances: readonly PrivateType[]): PrivacyPolicy {
    return withAllowances(this.policy, allowances);
  }

  private settingsOf(incidentId: string, found: IncidentSanitizer | null): SanitizerSettings {
    if (!found) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return { key: found.key, policy: this.policyWith(found.allowances), allowances: found.allowances };
  }

  /**
   * Sets the incident's allowances (commander or admin, checked by the caller), audited with who
   * and which types; answers the settings as they now are, once this node's room refuses under
   * them (other nodes hear of it from the store's notification).
   */
  async allow(
    incidentId: string,
    types: readonly PrivateType[],
    tokenId: string,
  ): Promise<SanitizerSettings> {
    const found = await this.store.privacy.setAllowances(incidentId, Allowances.parse(types), tokenId);
    const settings = this.settingsOf(incidentId, found);
    // This node's room refuses under the new policy before the commander is told it holds.
    await Promise.all(this.listeners.map((l) => l(incidentId)));
    return settings;
  }

  /**
   * Entries to append to the incident, sanitized under its settings: each entry's `redactions`
   * counts what was taken out of it. gate.private (audited as a refusal of `tokenId`) when one
   * holds data the policy refuses. `sealed` is the batch as the room takes it without a second
   * scan (SanitizedEntries); null when it cannot be sealed (the room then scans `entries`).
   */
  async sanitizeEntries(
    incidentId: string,
    entries: readonly Entry[],
    tokenId: string,
  ): Promise<{ entries: Entry[]; counts: RedactionCounts; sealed: SanitizedEntries | null }> {
    const { key, policy } = await this.settings(incidentId);
    const out = await SanitizedEntries.sanitize(incidentId, entries, { key, policy });
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
    return { entries: out.entries, counts: out.counts, sealed: out.sealed };
  }

  /**
   * Free text stored with the incident outside its document (a responder's name on a token),
   * sanitized under its settings as an entry is; gate.private when it holds data the policy refuses.
   */
  async sanitizeText(incidentId: string, text: string, what: string): Promise<string> {
    const { key, policy } = await this.settings(incidentId);
    const clean = await sanitizeValue(text, { key, policy });
    if (clean.refused.length > 0) throw privateDataRefused(clean.refused, what);
    return clean.value;
  }
}
