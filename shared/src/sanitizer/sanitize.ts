// The sanitizer: one set of rules, two uses. Clients (CLI, SDK, MCP, hooks) and the server's
// HTTP paths call `sanitizeValue` before anything leaves a machine or is stored: secrets become
// `[REDACTED:rule]`, private data a typed placeholder stable within the incident (or is left, or
// marks the write refused, by the policy), and sentences blaming a person come back as flags,
// unchanged. The websocket gate cannot rewrite an update, so it calls `firstRefusal`: anything
// the sanitizer would change or refuse refuses the write there.
import { type BlameFlag, findBlame } from './blame.js';
import { joinStrings, mapStrings, replaceSpans, splitFindings, stringsOf } from './joinedScan.js';
import { placeholder } from './placeholder.js';
import { type DataType, PRIVATE_TYPES, type PrivateType, type RedactionCounts } from './dataTypes.js';
import { DEFAULT_POLICY, type PrivacyPolicy, actionFor } from './policy.js';
import { type PrivateDataOptions, findPrivateData } from './privateData.js';
import { REDACTED } from './redact.js';
import { findSecrets } from './scanner.js';

export interface SensitiveFinding {
  type: DataType;
  /** The secret rule that matched, or the private type. */
  rule: string;
  start: number;
  end: number;
  /** A private datum in canonical spelling (unset for secrets). */
  normalized?: string;
}

export interface ScanOptions extends PrivateDataOptions {
  policy?: PrivacyPolicy;
}

export interface SanitizeOptions extends ScanOptions {
  /** The incident's sanitizer key, under which placeholders are made (`newIncidentKey`). */
  key: string;
}

export interface Sanitized<T> {
  value: T;
  /** Redactions made, per type. */
  counts: RedactionCounts;
  /** Private data the policy refuses (left in `value`): the write must not be sent. */
  refused: SensitiveFinding[];
  /** Sentences that blame or judge a person, with the index of the string they are in. */
  blame: (BlameFlag & { string: number })[];
}

/**
 * Secrets and private data in the text, sorted, none overlapping: where a private datum
 * overlaps a secret (the password in a connection string looks like an address), the secret
 * wins. Data the policy allows are left out.
 */
export async function findSensitive(text: string, options: ScanOptions = {}): Promise<SensitiveFinding[]> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const secrets: SensitiveFinding[] = (await findSecrets(text)).map((f) => ({ type: 'secret', ...f }));
  const found = [...secrets];
  // A policy that allows every type (the server's check for secrets after sanitizing) looks for none.
  if (PRIVATE_TYPES.every((t) => policy[t] === 'allow')) return found;
  // Both lists are sorted and the secrets do not overlap: one walk over them (a search of all
  // the secrets for each datum made a text of thousands of each cost their product).
  let s = 0;
  for (const p of findPrivateData(text, options)) {
    while (s < secrets.length && (secrets[s] as SensitiveFinding).end <= p.start) s++;
    if (policy[p.type] === 'allow' || (secrets[s]?.start ?? Number.POSITIVE_INFINITY) < p.end) continue;
    found.push({ type: p.type, rule: p.type, start: p.start, end: p.end, normalized: p.normalized });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Every string of a JSON value sanitized in one scan: what clients send and what the HTTP
 * paths store. Object keys are not rewritten (the gate refuses a key that holds anything).
 */
export async function sanitizeValue<T>(value: T, options: SanitizeOptions): Promise<Sanitized<T>> {
  const strings = stringsOf([value], false);
  const blame = strings.flatMap((s, string) => findBlame(s).map((f) => ({ ...f, string })));
  const found = await findSensitive(joinStrings(strings), options);
  return { ...applyFindings(value, strings, found, options), blame };
}

/**
 * What the findings of a scan of a value's strings (`stringsOf` order, keys left out, joined)
 * make of it under the policy: the value redacted, counts, and what the policy refuses. Blame
 * is not looked for.
 */
export function applyFindings<T>(
  value: T,
  strings: readonly string[],
  found: readonly SensitiveFinding[],
  options: SanitizeOptions,
): Omit<Sanitized<T>, 'blame'> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const counts: RedactionCounts = {};
  const refused: SensitiveFinding[] = [];
  const redacted = found.filter((f) => {
    if (actionFor(policy, f.type) === 'refuse') refused.push(f);
    return actionFor(policy, f.type) === 'redact';
  });
  if (redacted.length === 0) return { value, counts, refused };
  for (const f of redacted) counts[f.type] = (counts[f.type] ?? 0) + 1;
  const inString = splitFindings(strings, redacted);
  // One keyed hash per distinct datum: a text may name the same address thousands of times.
  const made = new Map<string, string>();
  const marker = (f: SensitiveFinding) => {
    if (f.type === 'secret') return REDACTED(f.rule);
    const datum = `${f.type}\u0000${f.normalized ?? ''}`;
    let p = made.get(datum);
    if (p === undefined)
      made.set(datum, (p = placeholder(f.type as PrivateType, f.normalized ?? '', options.key)));
    return p;
  };
  const out = mapStrings(value, (s, n) => {
    const here = inString.get(n);
    return here ? replaceSpans(s, here, marker) : s;
  });
  return { value: out, counts, refused };
}

/**
 * A value the server writes itself (a view derived from stored entries) with every secret and
 * every private datum the policy does not `allow` replaced, including what it would refuse from a
 * writer: the server redacts its own text rather than refuse itself. Blame is not looked for.
 */
export async function redactDisallowed<T>(
  value: T,
  options: SanitizeOptions,
): Promise<{ value: T; counts: RedactionCounts }> {
  const given = options.policy ?? DEFAULT_POLICY;
  const policy = Object.fromEntries(
    PRIVATE_TYPES.map((t) => [t, given[t] === 'allow' ? 'allow' : 'redact']),
  ) as PrivacyPolicy;
  const strings = stringsOf([value], false);
  const found = await findSensitive(joinStrings(strings), { ...options, policy });
  const { value: out, counts } = applyFindings(value, strings, found, { ...options, policy });
  return { value: out, counts };
}

/** One text sanitized: `sanitizeValue` of a string. */
export const sanitizeText = (text: string, options: SanitizeOptions): Promise<Sanitized<string>> =>
  sanitizeValue(text, options);

/**
 * What the gate refuses: the first secret, or private datum the policy does not allow, in any
 * string of the values (object keys included), or null. A well-behaved client has already
 * redacted these, so a write that still holds one is refused whole.
 */
export async function firstRefusal(
  values: readonly unknown[],
  options: ScanOptions = {},
): Promise<SensitiveFinding | null> {
  const [f] = await sensitiveIn(values, options);
  return f ?? null;
}

/**
 * Every secret, and private datum the policy does not allow, in any string of the values
 * (object keys included), in one scan: what a scan of stored data reports. Positions are in the
 * strings joined, so only type and rule mean anything to a caller.
 */
export const sensitiveIn = (
  values: readonly unknown[],
  options: ScanOptions = {},
): Promise<SensitiveFinding[]> => findSensitive(joinStrings(stringsOf(values, true)), options);
