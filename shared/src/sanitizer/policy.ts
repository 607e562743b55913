// What the sanitizer does with each type of data: the deployment's policy, per private type
// `redact` (the default: a typed placeholder), `refuse` (the write is refused) or `allow` (left
// as written). Secrets are not a policy matter: clients always redact them and the server always
// refuses what still holds one.
import { z } from 'zod';
import { type DataType, PRIVATE_TYPES, PrivateType } from './dataTypes.js';

export const policyActionSchema = z.enum(['redact', 'refuse', 'allow']);
export type PolicyAction = z.infer<typeof policyActionSchema>;

export const privacyPolicySchema = z
  .object(
    Object.fromEntries(PRIVATE_TYPES.map((t) => [t, policyActionSchema.default('redact')])) as Record<
      (typeof PRIVATE_TYPES)[number],
      z.ZodDefault<typeof policyActionSchema>
    >,
  )
  .strict();
export type PrivacyPolicy = z.infer<typeof privacyPolicySchema>;

export const DEFAULT_POLICY: PrivacyPolicy = privacyPolicySchema.parse({});

/** What the policy says of a type; a secret is always redacted (or, at the gate, refused). */
export const actionFor = (policy: PrivacyPolicy, type: DataType): PolicyAction =>
  type === 'secret' ? 'redact' : policy[type];

/**
 * The private types a commander allowed for one incident (a customer-data breach needs the
 * customer's address): sorted, each once.
 */
export const Allowances = z
  .array(PrivateType)
  .max(PRIVATE_TYPES.length)
  .transform((types) => PRIVATE_TYPES.filter((t) => types.includes(t)));
export type Allowances = z.infer<typeof Allowances>;

/** The deployment's policy with one incident's allowances applied: an allowed type is `allow`. */
export function withAllowances(policy: PrivacyPolicy, allowances: readonly PrivateType[]): PrivacyPolicy {
  const out = { ...policy };
  for (const t of allowances) out[t] = 'allow';
  return out;
}
