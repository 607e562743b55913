// What the sanitizer does with each type of data: the deployment's policy, per private type
// `redact` (the default: a typed placeholder), `refuse` (the write is refused) or `allow` (left
// as written). Secrets are not a policy matter: clients always redact them and the server always
// refuses what still holds one.
import { z } from 'zod';
import { PRIVATE_TYPES } from './privateData.js';

export const DATA_TYPES = ['secret', ...PRIVATE_TYPES] as const;
export const dataTypeSchema = z.enum(DATA_TYPES);
export type DataType = z.infer<typeof dataTypeSchema>;

export const policyActionSchema = z.enum(['redact', 'refuse', 'allow']);
export type PolicyAction = z.infer<typeof policyActionSchema>;

export const privacyPolicySchema = z
  .object(Object.fromEntries(PRIVATE_TYPES.map((t) => [t, policyActionSchema.default('redact')])) as Record<(typeof PRIVATE_TYPES)[number], z.ZodDefault<typeof policyActionSchema>>)
  .strict();
export type PrivacyPolicy = z.infer<typeof privacyPolicySchema>;

export const DEFAULT_POLICY: PrivacyPolicy = privacyPolicySchema.parse({});

/** What the policy says of a type; a secret is always redacted (or, at the gate, refused). */
export const actionFor = (policy: PrivacyPolicy, type: DataType): PolicyAction => (type === 'secret' ? 'redact' : policy[type]);

/** Redactions per type of data, for an entry's record and the audit trail. */
export type RedactionCounts = Partial<Record<DataType, number>>;
