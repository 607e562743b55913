// What the sanitizer works with for one incident on this server: the deployment's policy
// (SITREP_PRIVACY_POLICY) with the incident's allowances applied, and the incident's key.
import { type SanitizerSettings, SitrepError } from '@sitrep/shared';
import { type PrivacyPolicy, withAllowances } from '@sitrep/shared/sanitizer';
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
    return { key: found.key, policy: withAllowances(this.policy, found.allowances), allowances: found.allowances };
  }
}
