// Private data for the sanitizer's corpus: e-mail addresses, phone numbers in international and
// national formats of many countries (fictional ranges where a regulator reserves them: Ofcom's
// 07700 900xxx and 020 7946 0xxx, NANP's 555-01xx, ACMA's 0491 570xxx), payment card numbers of
// every major network (Luhn-valid, made here), IBANs of 25 countries (check digits computed
// here), US Social Security numbers and UK National Insurance numbers, each in incident text.
import { prng } from '../../support/random.js';

export type PrivateKind = 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'nino';

export interface PrivateSample {
  type: PrivateKind;
  text: string;
  /** The datum as written: it must not survive sanitizing. */
  datum: string;
}

const EMAILS = [
  'jane.doe@example.com',
  'j.smith+alerts@mail.example.co.uk',
  'Olga.Petrova@Example.RU',
  'kenji_tanaka@example.jp',
  'maria-garcia@correo.example.es',
  'ahmed.h@example.ae',
  'priya.sharma1987@example.in',
  'li.wei@example.cn',
  'lucas.martin@example.fr',
  'anna.kowalska@example.pl',
  'sven@example.se',
  'o.brien@example.ie',
  'chloe@sub.domain.example.org',
  'x@example.io',
  'first.middle.last@example.museum',
  'support.agent7@helpdesk.example.com',
  'noah.w@example.com.au',
  'joão.silva@example.br'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
  'user%tag@example.net',
  'carlos.rodriguez@example.mx',
];
const EMAIL_CONTEXTS = [
  (e: string) => `customer ${e} reported the failed payment`,
  (e: string) => `{"user":"${e}","status":402}`,
];

/** Phone numbers as people write them, international and national, by country. */
const PHONES: [string, string][] = [
  ['US', '+1 415 555 0132'],
  ['US', '(415) 555-0132'],
  ['US', '415-555-0187'],
  ['US', '415.555.0123'],
  ['US', '+1-212-555-0199'],
  ['US', '1-800-555-0101'],
  ['CA', '+1 604 555 0142'],
  ['CA', '(416) 555-0175'],
  ['GB', '+44 20 7946 0958'],
  ['GB', '020 7946 0018'],
  ['GB', '07700 900123'],
  ['GB', '+44 7700 900456'],
  ['GB', '0161 496 0734'],
  ['GB', '(0121) 496 0012'],
  ['DE', '+49 30 12345678'],
  ['DE', '030 12345678'],
  ['DE', '0151 23456789'],
  ['DE', '+49 1512 3456789'],
  ['DE', '089 / 1234567'],
  ['FR', '+33 1 42 68 53 00'],
  ['FR', '06 12 34 56 78'],
  ['FR', '01 45 67 89 10'],
  ['FR', '+33 6 12 34 56 78'],
  ['ES', '+34 612 34 56 78'],
  ['ES', '612 345 678'],
  ['ES', '91 123 45 67'],
  ['IT', '+39 02 1234 5678'],
  ['IT', '02 1234 5678'],
  ['IT', '333 123 4567'],
  ['IT', '+39 347 123 4567'],
  ['NL', '+31 20 123 4567'],
  ['NL', '06-12345678'],
  ['NL', '020 123 4567'],
  ['BE', '+32 2 123 45 67'],
  ['BE', '0470 12 34 56'],
  ['CH', '+41 44 668 18 00'],
  ['CH', '079 123 45 67'],
  ['AT', '+43 1 23456789'],
  ['AT', '0664 1234567'],
  ['IE', '+353 1 234 5678'],
  ['IE', '087 123 4567'],
  ['PT', '+351 912 345 678'],
  ['PT', '212 345 678'],
  ['SE', '+46 8 123 456 78'],
  ['SE', '070-123 45 67'],
  ['NO', '+47 412 34 567'],
  ['DK', '+45 32 12 34 56'],
  ['FI', '+358 40 1234567'],
  ['FI', '040 123 4567'],
  ['PL', '+48 512 345 678'],
  ['PL', '512 345 678'],
  ['IN', '+91 98765 43210'],
  ['IN', '098765 43210'],
  ['IN', '98765 43210'],
  ['IN', '+91 22 2345 6789'],
  ['JP', '+81 3-1234-5678'],
  ['JP', '03-1234-5678'],
  ['JP', '090-1234-5678'],
  ['CN', '+86 138 0013 8000'],
  ['CN', '138 0013 8000'],
  ['CN', '010 6552 9988'],
  ['KR', '+82 10-1234-5678'],
  ['KR', '010-1234-5678'],
  ['SG', '+65 6123 4567'],
  ['SG', '8123 4567'],
  ['AU', '+61 491 570 156'],
  ['AU', '0491 570 110'],
  ['AU', '(02) 5550 1234'],
  ['NZ', '+64 21 123 4567'],
  ['NZ', '021 123 4567'],
  ['BR', '+55 11 91234-5678'],
  ['BR', '(11) 91234-5678'],
  ['BR', '(21) 2345-6789'],
  ['MX', '+52 55 1234 5678'],
  ['MX', '55 1234 5678'],
  ['AR', '+54 9 11 2345-6789'],
  ['ZA', '+27 82 123 4567'],
  ['ZA', '082 123 4567'],
  ['NG', '+234 802 123 4567'],
  ['NG', '0802 123 4567'],
  ['AE', '+971 50 123 4567'],
  ['IL', '+972 52-123-4567'],
  ['TR', '+90 532 123 45 67'],
  ['GR', '+30 691 234 5678'],
  ['CZ', '+420 601 123 456'],
  ['US', '00 1 415 555 0166'],
  ['GB', '0044 20 7946 0321'],
];
const PHONE_CONTEXTS = [
  (p: string) => `customer asked us to call back on ${p} about order 4829103845`,
  (p: string) => `escalation contact: ${p}`,
  (p: string) => `{"name":"J. Doe","phone":"${p}","tier":"gold"}`,
];
/** A phone glued to a word like "call" by a separator, as keys, URIs and log fields write it. */
const GLUED_PHONE_CONTEXTS = [
  (p: string) => `call-${p} asap`,
  (p: string) => `customer_phone_${p}`,
  (p: string) => `tel:${p}`,
  (p: string) => `mobile=${p} (verified)`,
  (p: string) => `/contact/${p}`,
];
/** A phone after a name or path segment and a slash, or followed by one: read by its own shape. */
const SLASHED_PHONE_CONTEXTS = [
  (p: string) => `owner J.Doe/${p} on the escalation`,
  (p: string) => `GET /users/${p}/orders 404`,
  (p: string) => `paged ${p}/Sam twice, no answer`,
];

/** A phone glued to a word that is not a phone word, or after a slash. */
const GLUED_TO_NAME_CONTEXTS = [
  (p: string) => `owner J.Doe-${p} on the rota`,
  (p: string) => `oncall_J.Doe:${p}`,
  (p: string) => `escalate to J.Doe/${p} after 10 min`,
];
/** A phone standing apart from the prose: after punctuation, before punctuation or the end. */
const APART_PHONE_CONTEXTS = [
  (p: string) => `J. Doe, ${p}, gold tier since 2019`,
  (p: string) => `primary: Sam (${p}), secondary: Lee`,
  (p: string) => `{"owner":"Sam","alt":"${p}"}`,
];

/** Card networks' prefixes and lengths, for numbers made here with a valid Luhn digit. */
const CARD_PREFIXES: [string, number, number[]][] = [
  ['4', 16, [4, 4, 4, 4]],
  ['4', 13, [4, 4, 5]],
  ['51', 16, [4, 4, 4, 4]],
  ['55', 16, [4, 4, 4, 4]],
  ['2221', 16, [4, 4, 4, 4]],
  ['2720', 16, [4, 4, 4, 4]],
  ['34', 15, [4, 6, 5]],
  ['37', 15, [4, 6, 5]],
  ['6011', 16, [4, 4, 4, 4]],
  ['65', 16, [4, 4, 4, 4]],
  ['3530', 16, [4, 4, 4, 4]],
  ['36', 14, [4, 6, 4]],
  ['62', 16, [4, 4, 4, 4]],
  ['6759', 19, [4, 4, 4, 4, 3]],
  ['4', 19, [4, 4, 4, 4, 3]],
];
const CARD_CONTEXTS = [
  (c: string) => `card ${c} was charged twice`,
  (c: string) => `pan=${c} in the payment-gateway debug log`,
];
/** A card glued to a word by a separator, as keys, paths and log fields write it. */
const GLUED_CARD_CONTEXTS = [
  (c: string) => `refund-${c} failed`,
  (c: string) => `card_${c} declined`,
  (c: string) => `GET /v1/cards/${c} 404`,
  (c: string) => `pan:${c}`,
  (c: string) => `{"card_number":"cc=${c}"}`,
];

/** IBANs by country: the national part's layout (n digits, a letters, c alphanumerics, as ISO 13616 registers them). */
const IBAN_LAYOUTS: [string, string][] = [
  ['GB', 'aaaa' + 'n'.repeat(14)],
  ['DE', 'n'.repeat(18)],
  ['FR', 'n'.repeat(10) + 'c'.repeat(11) + 'nn'],
  ['NL', 'aaaa' + 'n'.repeat(10)],
  ['ES', 'n'.repeat(20)],
  ['IT', 'a' + 'n'.repeat(10) + 'c'.repeat(12)],
  ['BE', 'n'.repeat(12)],
  ['CH', 'n'.repeat(5) + 'c'.repeat(12)],
  ['AT', 'n'.repeat(16)],
  ['IE', 'aaaa' + 'n'.repeat(14)],
  ['PT', 'n'.repeat(21)],
  ['SE', 'n'.repeat(20)],
  ['NO', 'n'.repeat(11)],
  ['DK', 'n'.repeat(14)],
  ['FI', 'n'.repeat(14)],
  ['PL', 'n'.repeat(24)],
  ['LU', 'nnn' + 'c'.repeat(13)],
  ['CZ', 'n'.repeat(20)],
  ['HU', 'n'.repeat(24)],
  ['RO', 'aaaa' + 'c'.repeat(16)],
  ['GR', 'n'.repeat(7) + 'c'.repeat(16)],
  ['SA', 'nn' + 'c'.repeat(18)],
  ['AE', 'n'.repeat(19)],
  ['TR', 'n'.repeat(5) + 'n' + 'c'.repeat(16)],
  ['BR', 'n'.repeat(23) + 'ac'],
];
const IBAN_CONTEXTS = [
  (i: string) => `refund to IBAN ${i} failed with a timeout`,
  (i: string) => `payout account ${i}`,
];

const SSN_CONTEXTS = [
  (s: string) => `SSN ${s} appeared in the KYC export`,
  (s: string) => `tax id on the form: ${s}`,
];
const NINO_CONTEXTS = [
  (s: string) => `NI number ${s} is in the payroll log`,
  (s: string) => `employee record: nino=${s}`,
];

export function privateCorpus(): PrivateSample[] {
  const rnd = prng(0x9e1d);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[rnd.int(alphabet.length)]).join('');
  const out: PrivateSample[] = [];
  EMAILS.forEach((e, i) => {
    for (const c of EMAIL_CONTEXTS) out.push({ type: 'email', text: c(e), datum: e });
    if (i % 4 === 0) out.push({ type: 'email', text: `From: "${e.split('@')[0]}" <${e}>`, datum: e });
  });
  PHONES.forEach(([, p], i) => {
    out.push({
      type: 'phone',
      text: (PHONE_CONTEXTS[i % PHONE_CONTEXTS.length] as (p: string) => string)(p),
      datum: p,
    });
    // With no word like "phone" near it, a number is read by its own shape: a `+`, a trunk `0`,
    // or a national grouping written with punctuation (digits grouped by spaces alone are not).
    if (/^(?:\+|00|\(?0)|\d[ ]*[().-]/.test(p) && i % 2 === 0) {
      out.push({ type: 'phone', text: `J. Doe, ${p}, gold tier since 2019`, datum: p });
      // Led by a 0 after a word and a slash, a number is an id (`job/0161-496-0734`): only before one.
      const at = /^\(?0/.test(p) ? 2 : (i >> 1) % SLASHED_PHONE_CONTEXTS.length;
      const slashed = SLASHED_PHONE_CONTEXTS[at] as (p: string) => string;
      out.push({ type: 'phone', text: slashed(p), datum: p });
    }
    if (i % 2 === 1)
      out.push({
        type: 'phone',
        text: (GLUED_PHONE_CONTEXTS[(i >> 1) % GLUED_PHONE_CONTEXTS.length] as (p: string) => string)(p),
        datum: p,
      });
  });
  // North American numbers, never led by 0, after a name or path segment and a slash.
  ['415-555-0132', '(212) 555-0147', '312.555.0199', '646-555-0123'].forEach((p, i) => {
    for (const c of SLASHED_PHONE_CONTEXTS.slice(0, 2))
      out.push({
        type: 'phone',
        text: c(p).replace('J.Doe', ['J.Doe', 'ops/oncall', 'A.Smith', 'sam'][i] ?? ''),
        datum: p,
      });
  });
  // Glued by `-` `_` `:` to a word that is not a phone word (a name, a role), or after a slash
  // led by 0 and grouped by spaces or parentheses (an id is padded with zeros, never spaced).
  [
    '415-555-0132',
    '(212) 555-0147',
    '312.555.0199',
    '020 7946 0018',
    '07700 900123',
    '(0121) 496 0012',
    '06 12 34 56 78',
    '030 12345678',
    '+81 90-1234-5678',
    '+44 20 7946 0958',
  ].forEach((p, i) => {
    for (const c of GLUED_TO_NAME_CONTEXTS)
      out.push({
        type: 'phone',
        text: c(p).replace('J.Doe', ['J.Doe', 'sam', 'A.Smith'][i % 3] ?? ''),
        datum: p,
      });
  });
  // National numbers grouped by spaces alone, standing apart from the prose: read by the
  // region's own grouping, its trunk 0 included (India's `98765 43210` is missed there).
  [
    '415 555 0132',
    '333 123 4567',
    '138 0013 8000',
    '55 1234 5678',
    '8123 4567',
    '512 345 678',
    '912 345 678',
    '412 34 567',
    '32 12 34 56',
    '612 34 56 78',
    '604 555 0142',
  ].forEach((p) => {
    for (const c of APART_PHONE_CONTEXTS) out.push({ type: 'phone', text: c(p), datum: p });
  });
  for (const [prefix, length, grouping] of CARD_PREFIXES) {
    for (const sep of [' ', '-', '']) {
      const digits = luhnComplete(prefix + pick('0123456789', length - prefix.length - 1));
      let at = 0;
      const written = grouping.map((g) => digits.slice(at, (at += g))).join(sep);
      out.push({
        type: 'card',
        text: (CARD_CONTEXTS[out.length % 2] as (c: string) => string)(written),
        datum: written,
      });
      if (sep !== ' ')
        out.push({
          type: 'card',
          text: (GLUED_CARD_CONTEXTS[out.length % GLUED_CARD_CONTEXTS.length] as (c: string) => string)(
            written,
          ),
          datum: written,
        });
    }
  }
  for (const [country, layout] of IBAN_LAYOUTS) {
    const bban = [...layout]
      .map((k) =>
        pick(
          k === 'n'
            ? '0123456789'
            : k === 'a'
              ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
              : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
          1,
        ),
      )
      .join('');
    const iban = `${country}${ibanCheck(country, bban)}${bban}`;
    const paper = iban.replace(/(.{4})(?=.)/g, '$1 ');
    out.push(
      { type: 'iban', text: IBAN_CONTEXTS[0]!(iban), datum: iban },
      { type: 'iban', text: IBAN_CONTEXTS[1]!(paper), datum: paper },
    );
  }
  for (let i = 0; i < 24; i++) {
    const area = String(1 + rnd.int(665)).padStart(3, '0');
    const ssn =
      `${area === '666' ? '667' : area}${['-', ' ', '-'][i % 3]}` +
      `${String(1 + rnd.int(99)).padStart(2, '0')}${['-', ' ', '-'][i % 3]}` +
      `${String(1 + rnd.int(9999)).padStart(4, '0')}`;
    out.push({ type: 'ssn', text: (SSN_CONTEXTS[i % 2] as (s: string) => string)(ssn), datum: ssn });
    // After the word "ssn" and a dash, as keys and log fields write it.
    if (i % 3 !== 1)
      out.push({
        type: 'ssn',
        text: `${['ssn', 'SSN', 'employee-ssn', 'customer_ssn'][i % 4]}-${ssn} in the export`,
        datum: ssn,
      });
  }
  out.push({ type: 'ssn', text: 'ssn: 078051120 (the Woolworth sample number)', datum: '078051120' });
  for (let i = 0; i < 24; i++) {
    const first = pick('ABCEGHJKLMNPRSTWXYZ', 1);
    const second = pick('ABCEGHJKLMNPRSTWXYZ', 1);
    const prefix = ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(first + second)
      ? 'AB'
      : first + second;
    const num = pick('0123456789', 6);
    const nino =
      i % 2
        ? `${prefix}${num}${pick('ABCD', 1)}`
        : `${prefix} ${num.slice(0, 2)} ${num.slice(2, 4)} ${num.slice(4)} ${pick('ABCD', 1)}`;
    out.push({ type: 'nino', text: (NINO_CONTEXTS[i % 2] as (s: string) => string)(nino), datum: nino });
  }
  return out;
}

function luhnComplete(partial: string): string {
  for (let d = 0; d < 10; d++) {
    const digits = partial + d;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let x = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

/** ISO 7064 MOD 97-10 check digits for a country and national part. */
function ibanCheck(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`]
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join('');
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  return String(98 - rem).padStart(2, '0');
}
