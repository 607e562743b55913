// How an entry reached the server, which the entry itself cannot say: its `author` and `at` are
// what the writer claims, and anyone with a responder token can claim to be the commander, at
// any time. A receipt is the server's record: the token that wrote the entry (shown by its
// label: "via <label>") and when it arrived. An entry whose `at` is far from its arrival is
// flagged: a writer's clock that is off, an offline queue delivered late, or a claim.
import { z } from 'zod';
import { isoTime } from './storable.js';
import { formatDuration } from './timeline.js';

/** How far an entry's `at` may be from its arrival before it is flagged. */
export const ARRIVAL_SKEW_MS = 15 * 60_000;

/** A receipt as an export carries it: the writing token's label and the time of arrival. */
export const Receipt = z.strictObject({ via: z.string().min(1).max(120), receivedAt: isoTime() });
export type Receipt = z.infer<typeof Receipt>;

/** A receipt as the API answers it: also the token's id (null for an imported receipt) and the flag. */
export const EntryReceipt = z.object({
  via: z.string(),
  receivedAt: z.string(),
  tokenId: z.string().nullable(),
  /** `at` is more than ARRIVAL_SKEW_MS before or after `receivedAt`. */
  skewed: z.boolean(),
});
export type EntryReceipt = z.infer<typeof EntryReceipt>;

export function arrivalSkewed(at: string, receivedAt: string): boolean {
  return Math.abs(Date.parse(receivedAt) - Date.parse(at)) > ARRIVAL_SKEW_MS;
}

/** What a flagged entry says of its times (`dated 2h 5m before it arrived`), or null if it is not flagged. */
export function describeSkew(at: string, receivedAt: string): string | null {
  if (!arrivalSkewed(at, receivedAt)) return null;
  const late = Date.parse(receivedAt) - Date.parse(at);
  return `dated ${formatDuration(Math.abs(late))} ${late > 0 ? 'before' : 'after'} it arrived`;
}
