// Private data in incident text: e-mail addresses, phone numbers (international, and national
// formats of the configured regions), payment card numbers (Luhn and a card network's prefix),
// IBANs (ISO 7064 checksum), US Social Security numbers and UK National Insurance numbers.
// Infra data is not private and is left alone by shape: IPs, hostnames, ULIDs, versions,
// timestamps, durations, order ids, hashes. Each finding carries the value normalized (an
// e-mail lower-cased, a phone in E.164, a card's digits), so one datum written two ways gets one
// placeholder.
import { ValidationErrorsIBAN, electronicFormatIBAN, validateIBAN } from 'ibantools';
import {
  type CountryCode,
  Metadata,
  type NumberingPlan,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import type { PrivateType } from './dataTypes.js';

export interface PrivateFinding {
  type: PrivateType;
  start: number;
  end: number;
  /** The datum in one canonical spelling, for its placeholder. */
  normalized: string;
}

/**
 * The regions whose national formats are read as phone numbers (an international `+` number
 * is read whatever its country). The default covers the largest economies on every continent.
 */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'BE',
  'CH',
  'AT',
  'IE',
  'PT',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'IN',
  'JP',
  'CN',
  'KR',
  'SG',
  'AU',
  'NZ',
  'BR',
  'MX',
  'AR',
  'ZA',
  'NG',
  'CA',
];

// A local part, then a domain with a dot and a top-level domain of letters. `git@host:org/repo`
// (an SSH remote) is an address of a machine, not a person. Sticky: it is tried only where an
// address could start (see `emails`).
const EMAIL =
  /(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|:[\w~/])/y;
/** A character of a local part; the characters EMAIL's look-behind refuses before one are the same. */
const LOCAL = /[A-Za-z0-9._%+-]/;

/**
 * EMAIL's matches, as a scan of every position would find them, tried only before each `@`: a
 * local part is the run of local-part characters just before its `@` (the look-behind allows
 * no shorter one), 64 at most, so each `@` has one place an address can start. Trying the
 * pattern at every position of a text with an `@` somewhere cost more than all the other
 * private-data patterns together.
 */
function* emails(text: string): Generator<{ index: number; address: string }> {
  let end = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start <= 64 && LOCAL.test(text[start - 1] ?? '')) start--;
    // A run longer than 64, or one that starts inside the last address, holds no address.
    if (at - start > 64 || start < end) continue;
    EMAIL.lastIndex = start;
    const m = EMAIL.exec(text);
    if (!m) continue;
    end = start + m[0].length;
    yield { index: start, address: m[0] };
  }
}
/**
 * A pattern that starts only where a datum may: not after the characters `notAfter` names (a
 * character class's body), or after a word and one separator (`refund-4111…`, `tel:+1 415…`,
 * `phone_415…`, `/cards/4111…`; `glue` replaces that second condition). A digit or a dot before
 * the separator still keeps a number out (`ORD-2024-…`, `10.0.0.1:8080`, `v1.2.3`).
 *
 * The pattern's first character (`first`, one character class) is matched before that check
 * looks behind it: V8 then seeks each candidate by its first character, where a pattern that
 * starts with look-behinds is tried at every position of the text. Written as a leading
 * `(?:(?<!…)|(?<=…))`, the five patterns cost a joined batch of 500 entries about four times as
 * much (docs/benchmarks-log.md, "a87669e's cost to batches"); both forms find the same matches.
 */
const startingAfterWord = (notAfter: string, first: string, rest: string, glue = '[A-Za-z][-_/:]') =>
  new RegExp(`${first}(?<=(?:^|[^${notAfter}]|${glue})${first})${rest}`, 'g');
// Digits with the separators people write numbers with; the checks below decide. After its
// first character (a `+`, a `(` or a digit), the rest of `(?:\+|00)?\(?\d…`.
const PHONE = startingAfterWord(
  String.raw`\w+./:-`,
  String.raw`[+(\d]`,
  // Not followed by a letter or digit, nor by a digit after `.` `_` `:` `-` or `/` (a longer
  // number, a version, a date); a `/` that ends a path segment may follow (`/users/415-555-0132/`).
  String.raw`(?:(?<=\+)\(?\d|(?<=\()\d|(?<=0)0\(?\d|(?<=\d))[\d ().\-/]{5,22}\d(?![A-Za-z0-9]|[._:/-]\d)`,
);
const CARD = startingAfterWord(
  String.raw`\w.-`,
  String.raw`\d`,
  String.raw`(?:[ -]?\d){12,18}(?![A-Za-z0-9]|[._-]\d)`,
);
const IBAN = startingAfterWord(
  String.raw`\w-`,
  '[A-Z]',
  String.raw`[A-Z]\d{2}(?: ?[A-Z0-9]){11,30}(?![\w-])`,
);
// `ORD-123-45-6789` is an id as often as an SSN: after a word, only an underscore lets one start,
// or a dash after the word "ssn" itself (`ssn-123-45-6789`).
const SSN = new RegExp(
  String.raw`(?!000|666|9\d\d)` +
    startingAfterWord(
      String.raw`\w-`,
      String.raw`\d`,
      String.raw`\d{2}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-]|\.\d)`,
      String.raw`[A-Za-z]_|(?<![A-Za-z0-9])[Ss][Ss][Nn]-`,
    ).source,
  'g',
);
const SSN_BARE =
  /\b(?:ssn|social security(?: number| no\.?)?)\W{1,4}((?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})\b/gi;
const NINO = new RegExp(
  '(?!BG|GB|KN|NK|NT|TN|ZZ)' +
    startingAfterWord(
      String.raw`\w-`,
      '[A-CEGHJ-PR-TW-Z]',
      String.raw`[A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])`,
    ).source,
  'g',
);

/** The candidate patterns, for the test that holds them to their look-behind-first forms. */
export const CANDIDATES = { phone: PHONE, card: CARD, iban: IBAN, ssn: SSN, nino: NINO } as const;

/** Luhn's checksum, as every card network uses. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card networks' prefixes and lengths (ISO/IEC 7812 IIN ranges as the networks publish them). */
function cardNetwork(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (d.startsWith('6011') || d.startsWith('65') || (p4 >= 6440 && p4 <= 6499)) return n >= 16; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16; // JCB
  if ((p4 >= 3000 && p4 <= 3059) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14; // Diners
  if (p2 === 62) return n >= 16; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12; // Maestro
  return false;
}

/**
 * The card number a run of digits starts with, as written, or null: the whole run, or the run
 * less numbers after it (`4111 1111 1111 1111 404`, a status code after the card), each cut at
 * a separator.
 */
function cardIn(run: string): string | null {
  for (let c = run; ; ) {
    const digits = c.replace(/\D/g, '');
    if (digits.length < 13) return null;
    if (luhn(digits) && cardNetwork(digits)) return c;
    const cut = Math.max(c.lastIndexOf(' '), c.lastIndexOf('-'));
    if (cut < 0) return null;
    c = c.slice(0, cut);
  }
}

/**
 * An IBAN in electronic format, or null: the country's length and layout and the ISO 7064
 * check digits. A national bank or branch checksum is not required: a mistyped account number
 * still identifies a person. Words after an IBAN written in groups are let go one by one.
 */
function iban(candidate: string): string | null {
  for (let c = candidate; ; c = c.slice(0, c.lastIndexOf(' '))) {
    const electronic = electronicFormatIBAN(c) ?? '';
    const { errorCodes } = validateIBAN(electronic);
    if (errorCodes.every((e) => e === ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) return c;
    if (!c.includes(' ')) return null;
  }
}

/** Groups of digits a number is written in: `(415) 555-0132` is [3, 3, 4]. */
const groups = (s: string) => (s.match(/\d+/g) ?? []).map((g) => g.length).join(',');
/**
 * The grouping a region's national format gives a number, as a candidate must be written to be
 * read as that region's: exactly (its trunk 0 included), or less a leading 0.
 */
const groupsWritten = (national: string, exact: boolean) =>
  groups(exact ? national : national.replace(/^0/, ''));

const PHONE_WORDS = new RegExp(
  [
    // An underscore joins words in keys (`customer_phone_4155550132`): it is a separator here.
    String.raw`(?<![A-Za-z0-9])(?:tel|phone|mobile|mob|cell|call(?:ed|ing)?|sms|text|fax|whatsapp|signal|dial(?:led)?|`,
    String.raw`reach(?:ed)?|contact|number|no)(?![A-Za-z0-9])\.?(?:[\W_]{0,4}\b(?:back|me|him|her|them|us|on|at|to|via|`,
    String.raw`is|was)\b){0,3}[\W_]{0,6}$`,
  ].join(''),
  'i',
);

/** What a numbering plan holds at run time beyond what libphonenumber-js declares. */
interface Plan extends NumberingPlan {
  formats(): { pattern(): string; format(): string; nationalPrefixFormattingRule(): string | undefined }[];
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
}

/**
 * What a number read in a region must be to be valid, cheap to test before a parse (which
 * costs 10 to 100 µs). A parse with a region takes the digits as written, or less the region's
 * calling code, each less a national prefix (or rewritten by the region's rule: Argentina's
 * `15`, Brazil's carrier codes), and validates the national number it ends with against the
 * region it resolves to, one of those sharing the calling code (`(204) 555-0132` read as US is
 * Canadian). So where none of those readings matches any of those regions' patterns and
 * lengths, no parse would find the number valid. Digits led by the region's international
 * prefix (`011` in the US) are read as international: only a parse tells.
 */
interface Sieve {
  code: string;
  idd: RegExp;
  prefix: RegExp | null;
  transform: string | undefined;
  pattern: RegExp;
  lengths: ReadonlySet<number>;
  /**
   * Every national format of the regions sharing the calling code, as `formatNational` writes
   * a number with it (its pattern, and its layout with the national prefix rule applied): the
   * grouping a parse would check, found without one. Leading digits are not looked at, so
   * these are the formats a parse may pick and more.
   */
  formats: readonly Layout[];
}
/** A national format: its pattern, its layout, and how many groups of digits that writes. */
interface Layout {
  pattern: RegExp;
  layout: string;
  count: number;
}
/**
 * The plans' national formats, each once (the regions sharing a calling code mostly share their
 * main region's formats): the pattern, and the layout as libphonenumber's
 * `formatNationalNumberUsingFormat` writes with it, the national prefix rule in the first group.
 */
function formatsOf(plans: readonly Plan[]): Layout[] {
  const layouts = new Map<string, Layout>();
  for (const f of plans.flatMap((p) => p.formats())) {
    const rule = f.nationalPrefixFormattingRule();
    const layout = rule ? f.format().replace(/(\$\d)/, rule) : f.format();
    // A group of the pattern is never empty, so each `$n` is digits.
    const count = layout.replace(/\$\d/g, '0').match(/\d+/g)?.length ?? 0;
    layouts.set(`${f.pattern()}\u0000${layout}`, {
      pattern: new RegExp(`^(?:${f.pattern()})$`),
      layout,
      count,
    });
  }
  return [...layouts.values()];
}
const sieves = new Map<CountryCode, Sieve>();
function sieveOf(region: CountryCode): Sieve {
  const known = sieves.get(region);
  if (known) return known;
  const metadata = new Metadata();
  const plan = (country: CountryCode) => {
    metadata.selectNumberingPlan(country);
    return metadata.numberingPlan as Plan;
  };
  const code = getCountryCallingCode(region);
  const shared = getCountries()
    .filter((c) => getCountryCallingCode(c) === code)
    .map(plan);
  const own = plan(region);
  const prefix = own.nationalPrefixForParsing();
  const sieve: Sieve = {
    code,
    idd: new RegExp(`^(?:${own.IDDPrefix()})`),
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
    transform: own.nationalPrefixTransformRule(),
    pattern: new RegExp(`^(?:${shared.map((p) => p.nationalNumberPattern()).join('|')})$`),
    lengths: new Set(shared.flatMap((p) => p.possibleLengths())),
    formats: formatsOf(shared),
  };
  sieves.set(region, sieve);
  return sieve;
}
/** The national numbers a parse may read the digits as: with and without a national prefix. */
function nationals(digits: string, sieve: Sieve): string[] {
  const m = sieve.prefix?.exec(digits);
  if (!m) return [digits];
  const captured = m.length > 1 && m[m.length - 1];
  const rest =
    sieve.transform && captured
      ? digits.replace(sieve.prefix ?? '', sieve.transform)
      : digits.slice(m[0].length);
  return [digits, rest];
}
/** A candidate's grouping, as a parse's national format must give it (`groupsWritten`). */
interface Written {
  groups: string;
  count: number;
  exact: boolean;
}
const writtenIn = (candidate: string, exact: boolean): Written => {
  const g = groups(candidate);
  return { groups: g, count: g.split(',').length, exact };
};
/**
 * Whether a parse in the region may find the digits valid and, when `written` is given, written
 * in that grouping: some reading valid in the region's patterns, and (a number being written in
 * its format, or unformatted where no format fits it) laid out by one of its formats or none in
 * that grouping. A parse of `ORD-346-51-3694` in a dozen regions found each writes it otherwise
 * (`03-4651-3694`, `034 651 3694`): about 10 µs a parse, on most near-misses that look like one.
 */
function mayBeValid(digits: string, region: CountryCode, written?: Written): boolean {
  const sieve = sieveOf(region);
  if (sieve.idd.test(digits)) return true;
  const readings = nationals(digits, sieve);
  if (digits.startsWith(sieve.code)) readings.push(...nationals(digits.slice(sieve.code.length), sieve));
  return readings.some(
    (n) =>
      sieve.lengths.has(n.length) &&
      sieve.pattern.test(n) &&
      (!written ||
        groupsWritten(n, written.exact) === written.groups ||
        sieve.formats.some(
          (f) =>
            // Less a leading 0, a layout may write one group fewer (`0 $1 $2`).
            (f.count === written.count || (!written.exact && f.count === written.count + 1)) &&
            f.pattern.test(n) &&
            groupsWritten(n.replace(f.pattern, f.layout), written.exact) === written.groups,
        )),
  );
}

/**
 * The phone checks one call of `findPrivateData` may make: a candidate's sieve counts one, and
 * each parse with its validation one (10 to 100 µs). That is a few hundred phone-shaped numbers
 * in one text (or one HTTP batch, scanned in parts that share it), each checked as the rules say, in at most
 * about 0.1 s. A text of more (thousands of `415-555-0132`s, made to hold a server's event loop)
 * is not checked further: past the budget, a candidate that passed the cheap checks of its shape
 * is taken for a phone as it stands, so nothing phone-shaped gets through unchecked (see
 * docs/sanitizer.md, "Phone numbers: bounded work").
 */
export const PHONE_CHECK_BUDGET = 1_000;

/** What is left of a budget of phone checks: one call's, or one shared by the calls of a batch. */
export interface PhoneBudget {
  checks: number;
}

/**
 * Where a number stands apart from the prose around it: at the start of the text or after
 * punctuation or a separator (`J. Doe, …`, `escalation: …`, `"…"`, `J.Doe-…`), and then at the
 * end or before punctuation (`…, gold tier`, `… (mobile)`). Digits grouped by spaces alone are
 * read as a phone only there: after a word (`sequence 415 555 0132 in the file name`, `ports
 * 8080 8443`) or before one (`612 845 978 ms`) they are as often numbers side by side.
 */
const APART_BEFORE = /(?:^|[^\sA-Za-z0-9.])[ \t]*$/;
const APART_AFTER = /^[ \t]*(?:$|[^\sA-Za-z0-9])/;

/**
 * A phone number in E.164, or null. A number starting with `+` or `00` is read as international;
 * any other must be valid in one of the regions and be written as that region writes it (its
 * trunk `0`, or the region's grouping of digits, with dashes, dots or parentheses, or with
 * spaces alone where it stands apart: `APART_BEFORE`), or follow a word like "phone" or "call".
 * A bare run of digits is an order id, a count or a sequence far more often than a phone number.
 * Past the budget, a candidate that passed those checks of its shape is a phone: its digits (`+`
 * and its digits when international), not E.164, as libphonenumber was not asked. Glued to a
 * word by a separator (`-` `_` `:` `/`), a number led by 0 and written with dashes or dots alone
 * is an id (`ORD-0042-1234`, `job/0161-496-0734`: ids are padded with zeros, and never written
 * with spaces); any other is read by its own shape, as after a space (`J.Doe-415-555-0132`,
 * `J.Doe/020 7946 0321`).
 */
function phoneNumber(
  candidate: string,
  before: string,
  after: string,
  regions: readonly CountryCode[],
  budget: PhoneBudget,
): string | null {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  // Dates, clock times, IPv4 addresses, version numbers (dots mixed with dashes or slashes),
  // ranges: shapes of infra, not phones.
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(candidate)) return null;
  if (/\d{1,3}(?:\.\d{1,3}){3}/.test(candidate) || /\.\d*[-/]|[-/]\d*\./.test(candidate)) return null;
  if (/^\d+(?:\.\d+){1,3}$/.test(candidate) && !/^\d{3}\.\d{3}\.\d{4}$/.test(candidate)) return null;
  if (/^\d+-\d+$/.test(candidate) && !/^0/.test(candidate)) return null;
  const international = /^(?:\+|00)/.test(candidate);
  // Allocation changes faster than any metadata, and "+" and a country code are a phone's own
  // shape: an international number needs only a possible length for its country.
  const spoken = PHONE_WORDS.test(before);
  // After a word and a separator (a key, a path segment, a name: `J.Doe-415-555-0132`), a
  // number is read by its own shape, as after a space, unless it starts with 0 and is written
  // with dashes or dots alone: ids are padded with zeros (`job/0161-496-0734`, `ORD-0042-1234`).
  const glued = /[A-Za-z][-_/:]$/.test(before);
  const spaced = /\d[ ]+\(?\d|\(/.test(candidate);
  if (glued && !spoken && !candidate.startsWith('+') && /^\(?0/.test(candidate) && !spaced) return null;
  if (international) {
    if (budget.checks <= 0) return `+${digits.replace(/^00/, '')}`;
    budget.checks--;
    const p = parsePhoneNumberFromString(candidate.replace(/^00/, '+'));
    return p && (p.isValid() || (p.isPossible() && (spoken || digits.length >= 9))) ? p.number : null;
  }
  const trunk = /^\(?0/.test(candidate) && /\d\D+\d/.test(candidate);
  // Digits grouped by spaces alone are as often a sequence of numbers: punctuation (the dashes,
  // dots and parentheses of `(415) 555-0132`) makes a grouping a phone's, and so does standing
  // apart from the prose; either way the grouping must be the region's (checked below).
  const punctuated = /\d[ ]*[().-][ ]*\d|^\(/.test(candidate);
  // Standing apart, only digits grouped by spaces are read: a bare run is in no region's grouping.
  const apart = spaced && APART_BEFORE.test(before) && APART_AFTER.test(after);
  if (!spoken && !trunk && !punctuated && !apart) return null;
  // Glued to a word, or grouped by spaces alone, a number must be written as the region writes
  // it, its trunk 0 included: `ORD-291-93-8332` is Japan's `0291-93-8332` less its 0, and
  // `ids: 28 979 5196.` South Africa's `028 979 5196` less its 0, both ids.
  const exact = glued || !punctuated;
  if (budget.checks <= 0) return digits;
  budget.checks--;
  const written = spoken || trunk ? undefined : writtenIn(candidate, exact);
  for (const region of regions) {
    if (!mayBeValid(digits, region, written)) continue;
    if (budget.checks <= 0) return digits;
    budget.checks--;
    const p = parsePhoneNumberFromString(candidate, region);
    // The grouping, cheaper than validation, first.
    if (!p) continue;
    const national = p.formatNational();
    if (!(spoken || trunk || groupsWritten(national, exact) === groups(candidate))) continue;
    if (p.isValid()) return p.number;
  }
  return null;
}

export interface PrivateDataOptions {
  /** Regions whose national phone formats are recognized; DEFAULT_PHONE_REGIONS when unset. */
  phoneRegions?: readonly CountryCode[];
  /** A budget shared with other calls (the parts of one batch), spent here; a fresh one when unset. */
  phoneBudget?: PhoneBudget;
}

/** Two lists of findings sorted by position, as one. */
function merged(a: readonly PrivateFinding[], b: readonly PrivateFinding[]): PrivateFinding[] {
  const out: PrivateFinding[] = [];
  let j = 0;
  for (const f of a) {
    while (j < b.length && (b[j] as PrivateFinding).start < f.start) out.push(b[j++] as PrivateFinding);
    out.push(f);
  }
  return out.concat(b.slice(j));
}

/**
 * The kinds one call looks for, one after the other: where two overlap, the first kind wins.
 * `free` says whether a span overlaps nothing earlier kinds found, walking their findings once
 * per kind (a search of them all for each match made a text of many matches cost their square).
 * A class, not closures made per call: tsx (which runs the server) names every named closure
 * with `Object.defineProperty` as it is made, a third of this function's cost on a bench entry.
 */
class Kinds {
  found: PrivateFinding[] = [];
  private kept: PrivateFinding[] = [];
  private i = 0;
  free(start: number, end: number): boolean {
    const found = this.found;
    while (this.i < found.length && (found[this.i] as PrivateFinding).end <= start) this.i++;
    return this.i === found.length || (found[this.i] as PrivateFinding).start >= end;
  }
  add(f: PrivateFinding): void {
    if (this.free(f.start, f.end)) this.kept.push(f);
  }
  /** Ends a kind: what it kept joins what the earlier kinds found. */
  done(): void {
    if (this.kept.length > 0) this.found = merged(this.found, this.kept);
    this.kept = [];
    this.i = 0;
  }
}

/** Which kinds' patterns may find something in a text (`mayHold`); email is told by its `@`. */
export interface MayHold {
  card: boolean;
  iban: boolean;
  ssn: boolean;
  nino: boolean;
  phone: boolean;
}
/** Every kind looked for: what `mayHold` must never find more than. */
export const EVERY_KIND: MayHold = { card: true, iban: true, ssn: true, nino: true, phone: true };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isCapital = (c: number) => c >= 65 && c <= 90;

/**
 * Which kinds may be in the text, from one walk over it: each kind's condition is one every
 * match of its pattern (or every finding, for phones) meets, so a kind it rules out would
 * have found nothing. Digits are counted in chains, as the patterns join them:
 * - a card (CARD) is 13 digits or more, each after the last or after one space or dash;
 * - an SSN is 9 digits joined so (SSN: `123-45-6789`, `123 45 6789`) or not at all (SSN_BARE);
 * - a NINO's 6 digits are joined by one space at most;
 * - an IBAN starts with two capitals and two digits;
 * - a phone is 7 digits or more (`phoneNumber`) in a candidate made of digits and ` ().-/` (and
 *   a leading `+`: PHONE), so in a run of those characters holding 7 digits.
 * The walk stops once every kind may be there. A test holds each condition to its pattern over
 * the sanitizer's corpora and texts made to sit at each condition's edge.
 */
export function mayHold(text: string): MayHold {
  let spaced = 0;
  let dashed = 0;
  let phone = 0;
  const may = { card: false, iban: false, ssn: false, nino: false, phone: false };
  // The two characters before this one, as codes (-1 before the text).
  let p1 = -1;
  let p2 = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      const after = isDigit(p1);
      const joined = !after && isDigit(p2);
      spaced = after || (joined && p1 === 32) ? spaced + 1 : 1;
      dashed = after || (joined && (p1 === 32 || p1 === 45)) ? dashed + 1 : 1;
      phone++;
      if (dashed >= 9) {
        may.ssn = true;
        if (dashed >= 13) may.card = true;
      }
      if (spaced >= 6) may.nino = true;
      if (phone >= 7) may.phone = true;
      if (after && isCapital(p2) && i >= 3 && isCapital(text.charCodeAt(i - 3))) may.iban = true;
      if (may.card && may.iban && may.nino && may.phone) break;
    } else if (!(c === 32 || c === 40 || c === 41 || c === 45 || c === 46 || c === 47)) {
      phone = 0;
    }
    p2 = p1;
    p1 = c;
  }
  return may;
}

/**
 * Every private datum in the text, sorted by position; where two overlap, the first kind wins.
 * Only the kinds `kinds` allows are looked for (`mayHold`'s, unless a test asks for all).
 */
export function findPrivateData(
  text: string,
  options: PrivateDataOptions = {},
  kinds: MayHold = mayHold(text),
): PrivateFinding[] {
  const regions = options.phoneRegions ?? DEFAULT_PHONE_REGIONS;
  const budget = options.phoneBudget ?? { checks: PHONE_CHECK_BUDGET };
  const found = new Kinds();
  if (kinds.card) {
    for (const m of text.matchAll(CARD)) {
      const written = cardIn(m[0]);
      if (written)
        found.add({
          type: 'card',
          start: m.index,
          end: m.index + written.length,
          normalized: written.replace(/\D/g, ''),
        });
    }
    found.done();
  }
  if (kinds.iban) {
    for (const m of text.matchAll(IBAN)) {
      const valid = iban(m[0]);
      if (valid)
        found.add({
          type: 'iban',
          start: m.index,
          end: m.index + valid.length,
          normalized: electronicFormatIBAN(valid) ?? valid,
        });
    }
    found.done();
  }
  if (kinds.ssn) {
    for (const m of text.matchAll(SSN))
      found.add({
        type: 'ssn',
        start: m.index,
        end: m.index + m[0].length,
        normalized: m[0].replace(/\D/g, ''),
      });
    found.done();
    for (const m of text.matchAll(SSN_BARE)) {
      const n = m[1] ?? '';
      const start = m.index + m[0].lastIndexOf(n);
      found.add({ type: 'ssn', start, end: start + n.length, normalized: n });
    }
    found.done();
  }
  if (kinds.nino) {
    for (const m of text.matchAll(NINO))
      found.add({
        type: 'nino',
        start: m.index,
        end: m.index + m[0].length,
        normalized: m[0].replace(/ /g, ''),
      });
    found.done();
  }
  for (const { index, address } of emails(text))
    found.add({
      type: 'email',
      start: index,
      end: index + address.length,
      normalized: address.toLowerCase(),
    });
  found.done();
  if (kinds.phone) {
    for (const m of text.matchAll(PHONE)) {
      // A candidate may carry a closing parenthesis or a separator it does not need.
      const candidate = m[0]
        .replace(/[ ./-]+$/, '')
        .replace(/^\((?=[^)]*$)/, '')
        .replace(/(?<=^[^(]*)\)$/, '');
      const start = m.index + m[0].indexOf(candidate);
      const end = start + candidate.length;
      // What an earlier kind took is not checked again (nor charged to the budget).
      if (!found.free(start, end)) continue;
      const before = text.slice(Math.max(0, start - 24), start);
      const e164 = phoneNumber(candidate, before, text.slice(end, end + 8), regions, budget);
      if (e164) found.add({ type: 'phone', start, end, normalized: e164 });
    }
    found.done();
  }
  return found.found;
}
