// Proof that this process sanitized a batch of entries for one incident, under one policy: what
// the HTTP append hands the room, so the room does not scan it for secrets a second time (the
// sanitizer's scan found every secret in it and replaced it). Only `SanitizedEntries.sanitize` makes one,
// and it sanitizes what it seals. The room takes a batch at its word (`isSealedFor`) only if
// this module issued it (a look-alike is scanned), for the room's own incident, under the policy
// the room refuses under now; anything else, websocket updates included, is scanned as before.
// The sealed entries are frozen, so nothing can be put into them after their scan. The sanitizer
// reads values, not object keys: a batch with a key that is not an entry field's is not sealed.
import { Author, type Entry, Evidence, entryShape } from '@sitrep/shared';
import {
  DATA_TYPES,
  PRIVATE_TYPES,
  type PrivacyPolicy,
  type SanitizeOptions,
  type SanitizedBatch,
  sanitizeEntries,
} from '@sitrep/shared/sanitizer';
import { SECRETS_ONLY, refuseEntries } from '../gate/refusals.js';

/** Every object key an entry may hold: its fields, its author's and evidence's, redaction types. */
const FIELDS = new Set<string>([
  ...Object.keys(entryShape),
  ...Object.keys(Author.shape),
  ...Object.keys(Evidence.shape),
  ...DATA_TYPES,
]);

/** Batches this module sealed: a copy or a look-alike is not one. */
const issued = new WeakSet<SanitizedEntries>();

/** Freezes a JSON value all through; false if an object in it has a key that is not an entry field's. */
function frozenFields(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  Object.freeze(value);
  if (Array.isArray(value)) return value.every(frozenFields);
  const record = value as Record<string, unknown>;
  return Object.keys(record).every((k) => FIELDS.has(k) && frozenFields(record[k]));
}

const samePolicy = (a: PrivacyPolicy, b: PrivacyPolicy) => PRIVATE_TYPES.every((t) => a[t] === b[t]);

export class SanitizedEntries {
  private constructor(
    readonly incidentId: string,
    readonly policy: PrivacyPolicy,
    /** Frozen, as the sanitizer returned them. */
    readonly entries: readonly Entry[],
  ) {}

  /**
   * The entries sanitized under `options` (shared `sanitizeEntries`), and, when none is refused
   * and every key in them is an entry field's, sealed for `incidentId`: the room will not scan
   * them again.
   */
  static async sanitize(
    incidentId: string,
    entries: readonly Entry[],
    options: SanitizeOptions & { policy: PrivacyPolicy },
  ): Promise<SanitizedBatch<Entry> & { sealed: SanitizedEntries | null }> {
    const out = await sanitizeEntries(entries, options);
    if (out.refused !== null || !out.entries.every(frozenFields)) return { ...out, sealed: null };
    const sealed = new SanitizedEntries(
      incidentId,
      Object.freeze({ ...options.policy }),
      Object.freeze(out.entries),
    );
    issued.add(sealed);
    return { ...out, sealed };
  }

  /** `batch` was sealed here, for `incidentId`, under `policy`: it needs no scan for secrets. */
  static isSealedFor(batch: unknown, incidentId: string, policy: PrivacyPolicy): batch is SanitizedEntries {
    return (
      batch instanceof SanitizedEntries &&
      issued.has(batch) &&
      batch.incidentId === incidentId &&
      samePolicy(batch.policy, policy)
    );
  }
}

/**
 * The gate's check of entries appended over HTTP, once they are sanitized: none for a batch
 * sealed for `incidentId` under `policy` (its scan was the sanitizer's), a scan for secrets of
 * anything else (SECRETS_ONLY: the private data were the HTTP path's to redact). Answers the
 * entries; throws the refusal naming the first entry holding a secret.
 */
export async function checkedForRoom(
  batch: readonly Entry[] | SanitizedEntries,
  incidentId: string,
  policy: PrivacyPolicy,
): Promise<readonly Entry[]> {
  if (SanitizedEntries.isSealedFor(batch, incidentId, policy)) return batch.entries;
  const entries = batch instanceof SanitizedEntries ? batch.entries : batch;
  await refuseEntries(entries, SECRETS_ONLY);
  return entries;
}
