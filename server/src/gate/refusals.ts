// The gate's refusals of content: what no write may store or relay. A secret is always refused
// (gate.secret); private data is refused as the policy given says (every type it does not
// `allow`). Every path that stores or relays values (the room's writes and appends, incident
// creation, import, presence) refuses here, through the shared sanitizer, with one message
// naming where the value was and which rule found it.
import { SitrepError } from '@sitrep/shared';
import { PRIVATE_TYPES, type PrivacyPolicy, type SensitiveFinding, firstRefusal } from '@sitrep/shared/sanitizer';

/** Where a refused value was: an entry of an append, or the whole of one write. */
export type Place = { entry: string } | 'incident' | 'import' | 'presence' | 'change';

/** A policy that allows every private type: only secrets are refused. */
export const SECRETS_ONLY: PrivacyPolicy = Object.fromEntries(PRIVATE_TYPES.map((t) => [t, 'allow'])) as PrivacyPolicy;

const placeName = (place: Place): string =>
  typeof place === 'object' ? `entry ${place.entry}` : place === 'presence' ? 'the presence state' : `the ${place}`;

/** The refusal of a value holding `found`, at `place`. */
export function refusal(found: SensitiveFinding, place: Place): SitrepError {
  const where = placeName(place);
  const details = { place: typeof place === 'object' ? 'entry' : place, rule: found.rule, ...(typeof place === 'object' ? { id: place.entry } : {}) };
  return new SitrepError('gate.secret', `${where} holds a secret (${found.rule}); redact it before writing`, details);
}

/** The first value refused under `policy` (see the module comment), or null. */
export function findRefused(values: readonly unknown[], policy: PrivacyPolicy): Promise<SensitiveFinding | null> {
  return firstRefusal(values, { policy });
}

/** Throws the refusal of the first value refused under `policy`, at `place`. */
export async function refuseContent(values: readonly unknown[], place: Place, policy: PrivacyPolicy): Promise<void> {
  const found = await findRefused(values, policy);
  if (found) throw refusal(found, place);
}

/**
 * Throws the refusal naming the first entry refused under `policy`. One scan of them all when
 * none is (the usual case), then one per entry to name the first.
 */
export async function refuseEntries(entries: readonly { id: string }[], policy: PrivacyPolicy): Promise<void> {
  if (!(await findRefused(entries, policy))) return;
  for (const e of entries) await refuseContent([e], { entry: e.id }, policy);
}
