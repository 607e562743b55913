// The gate's refusals of content: what no write may store or relay. A secret is always refused
// (gate.secret); private data is refused (gate.private) as the policy given says: every type it
// does not `allow`. A path that can only accept or refuse (the websocket, presence, the server's
// own view writes) passes the deployment's policy, so what the policy would redact is refused
// there; the HTTP paths (append, creation, import) sanitize first and then check for secrets
// only (`SECRETS_ONLY`), unless the append's batch comes sealed (privacy/SanitizedEntries.ts);
// what their sanitizing finds the policy refuses is `privateDataRefused`.
// Every refusal of content is made here, naming where the value was and which rule or type.
import { SitrepError } from '@sitrep/shared';
import {
  PRIVATE_TYPES,
  type PrivacyPolicy,
  type SensitiveFinding,
  firstRefusal,
} from '@sitrep/shared/sanitizer';

/**
 * Where a refused value was: an entry of an append, the whole of one write, or a field kept
 * outside the document that cannot be redacted (an incident's id, a token's label).
 */
export type Place =
  | { entry: string }
  | 'incident'
  | 'import'
  | 'presence'
  | 'change'
  | 'incident id'
  | 'scenario'
  | 'token label';

/** A policy that allows every private type: only secrets are refused (what is checked after sanitizing). */
export const SECRETS_ONLY: PrivacyPolicy = Object.fromEntries(
  PRIVATE_TYPES.map((t) => [t, 'allow']),
) as PrivacyPolicy;

const placeName = (place: Place): string =>
  typeof place === 'object'
    ? `entry ${place.entry}`
    : place === 'presence'
      ? 'the presence state'
      : `the ${place}`;

/** The refusal of a value holding `found`, at `place`, under `policy`. */
export function refusal(found: SensitiveFinding, place: Place, policy: PrivacyPolicy): SitrepError {
  const where = placeName(place);
  const details = {
    place: typeof place === 'object' ? 'entry' : place,
    type: found.type,
    rule: found.rule,
    ...(typeof place === 'object' ? { id: place.entry } : {}),
  };
  if (found.type === 'secret') {
    return new SitrepError(
      'gate.secret',
      `${where} holds a secret (${found.rule}); redact it before writing`,
      details,
    );
  }
  const advice =
    policy[found.type] === 'refuse' ? 'this server does not store it' : 'redact it before writing';
  return new SitrepError('gate.private', `${where} holds private data (${found.type}); ${advice}`, details);
}

/** The first value refused under `policy` (see the module comment), or null. */
export function findRefused(
  values: readonly unknown[],
  policy: PrivacyPolicy,
): Promise<SensitiveFinding | null> {
  return firstRefusal(values, { policy });
}

/** Throws the refusal of the first value refused under `policy`, at `place`. */
export async function refuseContent(
  values: readonly unknown[],
  place: Place,
  policy: PrivacyPolicy,
): Promise<void> {
  const found = await findRefused(values, policy);
  if (found) throw refusal(found, place, policy);
}

/**
 * Throws the refusal naming the first entry refused under `policy`. One scan of them all when
 * none is (the usual case), then one per entry to name the first.
 */
export async function refuseEntries(
  entries: readonly { id: string }[],
  policy: PrivacyPolicy,
): Promise<void> {
  if (!(await findRefused(entries, policy))) return;
  for (const e of entries) await refuseContent([e], { entry: e.id }, policy);
}

/**
 * The refusal of a write holding private data the policy refuses: names the types, never the
 * data. Nothing of the write is stored.
 */
export function privateDataRefused(findings: readonly SensitiveFinding[], what: string): SitrepError {
  const types = [...new Set(findings.map((f) => f.type))];
  return new SitrepError(
    'gate.private',
    `${what} holds ${types.join(', ')} data, which this incident's privacy policy refuses; take it out and write again`,
    { types },
  );
}
