// An entry's redactions in words, per type: "1 secret and 2 e-mail addresses". Old entries hold
// a number (secrets); newer ones a count per type (shared/src/entry.ts).
import { type EntryRedactions, redactionCounts } from '@sitrep/shared';

const NOUNS: Record<string, [string, string]> = {
  secret: ['secret', 'secrets'],
  email: ['e-mail address', 'e-mail addresses'],
  phone: ['phone number', 'phone numbers'],
  card: ['card number', 'card numbers'],
  iban: ['IBAN', 'IBANs'],
  ssn: ['social security number', 'social security numbers'],
  nino: ['National Insurance number', 'National Insurance numbers'],
};

/** "1 secret and 2 e-mail addresses", or null when nothing was redacted. */
export function describeRedactions(r: EntryRedactions | undefined): string | null {
  const parts = Object.entries(redactionCounts(r)).map(([type, n]) => {
    const [one, many] = NOUNS[type] ?? [type, type];
    return `${n} ${n === 1 ? one : many}`;
  });
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] ?? null) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
