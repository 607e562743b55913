// A sample of the sanitizer's corpus for the tests that push it through a real path (the clients,
// the server's write paths): every n-th secret and private datum, spread by an offset so each
// path gets its own, and whether one survived where it ended up.
import { privateCorpus } from './privateData.js';
import { secretCorpus } from './secrets.js';
import { survives } from './survives.js';

/** A secret or private datum in the text an entry would carry. */
export interface Sample {
  /** The provider of a secret, or the type of a private datum. */
  what: string;
  secret: boolean;
  text: string;
  /** What must not survive: the secret or the datum as written. */
  datum: string;
}

/** Every 40th secret and every 20th private datum of the corpus, from `offset` (about 30 in all). */
export function corpusSample(offset: number): Sample[] {
  const secrets = secretCorpus()
    .filter((_, i) => i % 40 === offset % 40)
    .map((s) => ({ what: s.provider, secret: true, text: s.text, datum: s.secret }));
  const data = privateCorpus()
    .filter((_, i) => i % 20 === offset % 20)
    .map((s) => ({ what: s.type, secret: false, text: s.text, datum: s.datum }));
  return [...secrets, ...data];
}

/** The sample as entry bodies under 12,000 characters each. */
export function bodiesOf(sample: readonly Sample[]): string[] {
  const bodies: string[] = [];
  let body = '';
  for (const s of sample) {
    if (body && body.length + s.text.length > 12_000) {
      bodies.push(body);
      body = '';
    }
    body += `${s.text}\n`;
  }
  return [...bodies, body];
}

/**
 * Whether the sample's secret or datum survived in `out`: any 12 characters of a secret, a
 * private datum whole (its parts are often words that stay, `"lucas.martin" <[email-4945ef]>`).
 */
export const leakedIn = (out: string, s: Sample): boolean =>
  s.secret ? survives(out, s.datum) : out.includes(s.datum);
