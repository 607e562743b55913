import { describe, expect, it, vi } from 'vitest';
import { BLAMING, NEUTRAL } from '../../../test/corpus/sanitizer/blame.js';
import { nearMissCorpus } from '../../../test/corpus/sanitizer/nearMisses.js';
import { privateCorpus } from '../../../test/corpus/sanitizer/privateData.js';
import { secretCorpus } from '../../../test/corpus/sanitizer/secrets.js';
import { prng } from '../../../test/support/random.js';
import type { EntryDraft } from '../entry.js';
import { sanitizeEntries } from './entries.js';
import { newIncidentKey } from './placeholder.js';
import {
  CANDIDATES,
  EVERY_KIND,
  type MayHold,
  PHONE_CHECK_BUDGET,
  findPrivateData,
  mayHold,
} from './privateData.js';

// Every parse libphonenumber is asked for, counted: the work a text costs.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('libphonenumber-js/max', async (original) => {
  const real = await original<typeof import('libphonenumber-js/max')>();
  return {
    ...real,
    parsePhoneNumberFromString: (...args: Parameters<typeof real.parsePhoneNumberFromString>) => {
      parses.count++;
      return real.parsePhoneNumberFromString(...args);
    },
  };
});
const parsesIn = <T>(f: () => T): [T, number] => {
  parses.count = 0;
  const out = f();
  return [out, parses.count];
};

const types = (text: string, regions?: Parameters<typeof findPrivateData>[1]) =>
  findPrivateData(text, regions).map((f) => [f.type, text.slice(f.start, f.end), f.normalized]);

/** Area codes in use in the US: numbers under them are valid there. */
const AREAS = [212, 415, 646, 312, 617, 206, 303, 512, 702, 919];
/** The i-th of many distinct valid US numbers, written as the cheap checks let through. */
const usNumber = (i: number) => {
  const area = AREAS[i % AREAS.length];
  const exchange = 200 + ((i * 7) % 800);
  const line = String((i * 37) % 10000).padStart(4, '0');
  return (
    [`${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`, `(${area}) ${exchange}-${line}`][i % 3] ??
    ''
  );
};
/** The i-th of many distinct numbers of that shape the US does not have (no area code starts with 1). */
const noNumber = (i: number) =>
  `1${String(i % 100).padStart(2, '0')}-${200 + ((i * 13) % 800)}-${String((i * 53) % 10000).padStart(4, '0')}`;
/**
 * A text of n phone-shaped numbers, made to be slow: every other one valid (every fifth of them
 * after "call", unpunctuated), the others not in the US (the first region), most of them
 * nowhere, so each was tried in all 30 regions.
 */
const phoneText = (n: number, from = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    if (i % 2) return noNumber(i);
    return i % 10 === 8 ? `call ${usNumber(i).replace(/\D/g, '')}` : usNumber(i);
  }).join(', ');
const validIn = (n: number, from = 0) =>
  Array.from({ length: n }, (_, k) => from + k)
    .filter((i) => i % 2 === 0)
    .map((i) => (i % 10 === 8 ? usNumber(i).replace(/\D/g, '') : usNumber(i)));
/** The text with every finding cut out. */
const cut = (text: string, found: readonly { start: number; end: number }[]) =>
  found.reduceRight((t, f) => `${t.slice(0, f.start)}[x]${t.slice(f.end)}`, text);

describe('private data', () => {
  it('finds each type with its datum in one canonical spelling', () => {
    expect(types('mail Jane.Doe@Example.com now')).toEqual([
      ['email', 'Jane.Doe@Example.com', 'jane.doe@example.com'],
    ]);
    expect(types('call (415) 555-0132')).toEqual([['phone', '(415) 555-0132', '+14155550132']]);
    expect(types('reach +44 20 7946 0958 today')).toEqual([['phone', '+44 20 7946 0958', '+442079460958']]);
    expect(types('card 4111 1111 1111 1111 declined')).toEqual([
      ['card', '4111 1111 1111 1111', '4111111111111111'],
    ]);
    expect(types('IBAN GB82 WEST 1234 5698 7654 32 Refund')).toEqual([
      ['iban', 'GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ]);
    expect(types('SSN 078-05-1120.')).toEqual([['ssn', '078-05-1120', '078051120']]);
    expect(types('NI AB 12 34 56 C')).toEqual([['nino', 'AB 12 34 56 C', 'AB123456C']]);
  });

  it('reads a phone in the national formats of the configured regions only', () => {
    expect(types('escalation: 06 12 34 56 78', { phoneRegions: ['FR'] })).toEqual([
      ['phone', '06 12 34 56 78', '+33612345678'],
    ]);
    expect(types('escalation: 06 12 34 56 78', { phoneRegions: ['US'] })).toEqual([]);
    // International numbers are read whatever the regions.
    expect(types('+33 6 12 34 56 78', { phoneRegions: ['US'] })).toEqual([
      ['phone', '+33 6 12 34 56 78', '+33612345678'],
    ]);
  });

  it.each([
    ['card', 'refund-4111111111111111', '4111111111111111'],
    ['card', 'card_4111-1111-1111-1111 declined', '4111-1111-1111-1111'],
    ['card', 'GET /cards/4111111111111111?expand=1', '4111111111111111'],
    ['card', 'pan:4111 1111 1111 1111', '4111 1111 1111 1111'],
    ['card', 'pan=4111111111111111', '4111111111111111'],
    ['card', '4111111111111111_refund', '4111111111111111'],
    ['phone', 'call-415-555-0132', '415-555-0132'],
    ['phone', 'phone_4155550132', '4155550132'],
    ['phone', 'tel:+14155550132', '+14155550132'],
    ['phone', 'tel:415-555-0132', '415-555-0132'],
    ['phone', 'contact=+44 20 7946 0958', '+44 20 7946 0958'],
    ['phone', 'contact/415-555-0132', '415-555-0132'],
    ['phone', 'customer_mobile_07700 900123', '07700 900123'],
    ['ssn', 'ssn_078-05-1120', '078-05-1120'],
    ['ssn', 'ssn-078-05-1120', '078-05-1120'],
    ['ssn', 'employee-SSN-078-05-1120', '078-05-1120'],
    ['phone', 'owner J.Doe/415-555-0132', '415-555-0132'],
    ['phone', 'GET /users/415-555-0132/orders', '415-555-0132'],
    ['phone', 'paged 415-555-0132/Sam', '415-555-0132'],
    ['phone', 'owner J.Doe-415-555-0132 on the rota', '415-555-0132'],
    ['phone', 'oncall_sam:(212) 555-0147', '(212) 555-0147'],
    ['phone', 'escalate to J.Doe/020 7946 0321 after 10 min', '020 7946 0321'],
    ['phone', 'owner A.Smith-07700 900123', '07700 900123'],
    ['iban', 'iban_GB82WEST12345698765432', 'GB82WEST12345698765432'],
    ['nino', 'nino:AB123456C', 'AB123456C'],
  ])('finds a %s after a word and a separator: %s', (type, text, datum) => {
    expect(types(text).map(([t, d]) => [t, d])).toEqual([[type, datum]]);
  });

  it.each([
    ['J. Doe, 415 555 0132, gold tier', '415 555 0132'],
    ['primary: Sam (333 123 4567), secondary: Lee', '333 123 4567'],
    ['{"owner":"Sam","alt":"612 34 56 78"}', '612 34 56 78'],
  ])('finds a national number grouped by spaces alone where it stands apart: %s', (text, datum) => {
    expect(types(text).map(([t, d]) => [t, d])).toEqual([['phone', datum]]);
  });

  it.each([
    ['a number failing Luhn', 'card 4111 1111 1111 1112'],
    ['a Luhn-valid number no card network issues', 'ref 1234 5678 9012 3452'],
    ['an IBAN with wrong check digits', 'IBAN GB83 WEST 1234 5698 7654 32'],
    ['SSNs in never-issued ranges', 'ids 000-12-3456, 666-12-3456, 912-34-5678'],
    ['an NI number with a prefix HMRC never issues', 'NI GB 12 34 56 C, QQ123456C, DA123456A'],
    ['an SSH remote', 'git clone git@github.com:acme/checkout.git'],
    ['a scoped package and an image digest', 'npm i @acme/checkout; image checkout@sha256:abc'],
    ['order ids, counts and epochs', 'order 4829103845, 1764000000 epoch, 12,345,678 rows'],
    [
      'dates, times, IPs and versions',
      '2026-11-24 14:02:33, 24/11/2026, 10.0.12.7, 192.168.100.200, v10.4.12',
    ],
    ['numbers grouped by spaces alone', 'sequence 130 348 4031 and ports 8080 8443 9090'],
    [
      "numbers grouped by spaces beside words, or apart in no region's grouping (its trunk 0 left out)",
      'sequence 415 555 0132 in the file name, retries 212 555 0147 ms, ids: 28 979 5196. ports: 8080 8443 9090',
    ],
    [
      "ids glued to a word: led by 0 with dashes alone, or in no region's grouping",
      'ORD-291-93-8332, INC-0042-1234-5678, job/0161-496-0734, run_0207-946-0321, node-12.4.1-3, port:8080',
    ],
    ['a range and a ULID', 'ids 1000-2000 in 01JDC7Q6ZB4ND3X2Y0T8K9H1QF'],
    ['ids after a word and a hyphen', 'order-4111-2222, ORD-2024-4829103845, INC-20261103-0042, JIRA-41555'],
    ['dates and versions after a word', 'build-2024-11-03, release-2026.11.24, v-10.4.12, node_20.11.1'],
    [
      'ULIDs and hashes in hyphenated ids',
      'req-01JDC7Q6ZB4ND3X2Y0T8K9H1QF, sha-4111111111111111abc, run-0x41555501',
    ],
    [
      'numbers after a number and a separator',
      '2024-4111111111111111, 10.0.0.1:4155550132, 12_4111111111111111',
    ],
    ['a negative number and a decimal', 'offset -4111111111111111, ratio 0.4111111111111111'],
    [
      'ids after a word with a trunk 0 or 00',
      'ORD-078-05-1120, INC-0042-1234-5678, TKT_0044207946095, job/0161-496-0734',
    ],
    [
      'numbers in paths, before a slash and after one',
      'GET /v1/415-555/status, /orders/4829-1034/items, /builds/2026-11-03/, 3/14/2026/, /shards/042-1234/, ' +
        '/orders/0042-1234-5678/, /v1/415-555-0132/2, build-078-05-1120, ssn-lookup-2.1.3',
    ],
    [
      'ids in paths and ARNs',
      'GET /orders/4829103845/items, arn:aws:iam::415555013299:role/x, epoch:1764000000',
    ],
  ])('passes %s', (_name, text) => {
    expect(types(text)).toEqual([]);
  });

  it('finds the candidates its look-behind-first forms find, seeking each by its first character', () => {
    // The patterns written as they read: where a datum may start, then the datum (four times slower).
    const AW = String.raw`(?<=[A-Za-z][-_/:])`;
    const firstLookBehind = {
      phone: new RegExp(
        String.raw`(?:(?<![\w+./:-])|${AW})(?:\+|00)?\(?\d[\d ().\-/]{5,22}\d(?![A-Za-z0-9]|[._:/-]\d)`,
        'g',
      ),
      card: new RegExp(String.raw`(?:(?<![\w.-])|${AW})\d(?:[ -]?\d){12,18}(?![A-Za-z0-9]|[._-]\d)`, 'g'),
      iban: new RegExp(String.raw`(?:(?<![\w-])|${AW})[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w-])`, 'g'),
      ssn: new RegExp(
        String.raw`(?:(?<![\w-])|(?<=[A-Za-z]_)|(?<=(?<![A-Za-z0-9])[Ss][Ss][Nn]-))` +
          String.raw`(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-]|\.\d)`,
        'g',
      ),
      nino: new RegExp(
        String.raw`(?:(?<![\w-])|${AW})(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])`,
        'g',
      ),
    };
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const heads = [
      'ssn-',
      'SSN_',
      'call ',
      'J.Doe/',
      '/u/',
      'ORD-',
      'x_',
      'v1.',
      '+',
      '00',
      '(',
      'AB',
      'GB82',
      'ZZ',
      '',
    ];
    const texts = Array.from({ length: 4000 }, (_, i) => {
      const alphabet = i % 2 ? '0123456789 -()./_:+' : '0123456789012345678900+()-./_: ABGQZabsnSN\nJ';
      const tail = Array.from({ length: 6 + rnd(30) }, () => alphabet[rnd(alphabet.length)]).join('');
      return (heads[rnd(heads.length)] ?? '') + tail;
    });
    let matched = 0;
    for (const [type, reference] of Object.entries(firstLookBehind)) {
      const pattern = CANDIDATES[type as keyof typeof CANDIDATES];
      const found = (re: RegExp) =>
        texts.flatMap((t, i) => [...t.matchAll(re)].map((m) => `${i}:${m.index}:${m[0]}`));
      const want = found(reference);
      expect(found(pattern), type).toEqual(want);
      matched += want.length;
    }
    expect(matched).toBeGreaterThan(500);
  });

  it('finds the addresses a scan of every position finds, trying the pattern only before each @', () => {
    // The pattern as it was, tried at every position: what the @-led search must equal.
    const everywhere =
      /(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|:[\w~/])/g;
    const local64 = 'a'.repeat(64);
    const texts = [
      'a@b.co and c.d+tag@ex-ample.org, (e_f%g@h.io)',
      'a@b.com.x@y.com then x@y.com@z.com',
      `${local64}@ex.com ${local64}a@ex.com x${local64}@ex.com`,
      '.dot@ex.com -dash@ex.com _u@ex.com 9@ex.com',
      'git@github.com:acme/app.git then ops@acme.io',
      '@scope/pkg img@sha256:abc @@ a@@b.com a@b@c.com',
      'mail:jane@ex.com,bob@ex.com;<eve@ex.com>',
      `${'x@'.repeat(40)}ex.com`,
    ];
    for (const text of texts) {
      const want = [...text.matchAll(everywhere)].map((m) => [m.index, m[0].toLowerCase()]);
      const got = findPrivateData(text)
        .filter((f) => f.type === 'email')
        .map((f) => [f.start, f.normalized]);
      expect(got, text).toEqual(want);
    }
  });

  it('gives an overlap to the kind found first: a card is not also a phone', () => {
    expect(types('call 3782 822463 10005').map(([t]) => t)).toEqual(['card']);
  });

  it('checks a phone-shaped number in a few parses, not one per region', () => {
    const text = phoneText(100);
    const [found, n] = parsesIn(() => findPrivateData(text));
    // The valid ones found, all checked in full (E.164): the rules hold, within the budget.
    expect(validIn(100).filter((v) => cut(text, found).includes(v))).toEqual([]);
    expect(found.every((f) => f.type === 'phone' && f.normalized.startsWith('+'))).toBe(true);
    console.log(`100 phone-shaped numbers: ${n} parses`);
    // The regions a number cannot be valid in are not asked: each of the 50 not in the US was
    // parsed in all 30 regions, 1,550 parses in all.
    expect(n).toBeLessThanOrEqual(700);
  });

  it('parses no number that no region writes in its grouping', () => {
    // Ids, ports and versions grouped as no region's national format groups a number: each was
    // parsed in the dozen regions whose patterns it fits, and let go for its grouping.
    const text = [
      'refund ORD-346-51-3694 and build-162-27-3961',
      'TKT-9762-8390-7792 reopened',
      'ports: 9786 5526 2231',
      'sizes (4096 8192 32768)',
      'versions: 7.31.7 0.29.12',
    ].join('; ');
    const [found, n] = parsesIn(() => findPrivateData(text));
    expect(found).toEqual([]);
    expect(n).toBe(0);
    // A number in a region's grouping, glued or standing apart, is still parsed and found.
    expect(types('J.Doe-415-555-0132; J. Doe, 020 7946 0321, gold tier').map(([, , n]) => n)).toEqual([
      '+14155550132',
      '+442079460321',
    ]);
  });

  it('bounds the work of a text of 1,000+ phone-shaped numbers, and takes those past the bound for phones', () => {
    const text = phoneText(1_500);
    const [found, n] = parsesIn(() => findPrivateData(text));
    // The budget, and what it is: at most 0.2 s of parses at 100 µs each.
    expect(n).toBeLessThanOrEqual(PHONE_CHECK_BUDGET);
    expect(PHONE_CHECK_BUDGET).toBeLessThanOrEqual(2_000);
    // Nothing phone-shaped gets through: every valid number is found, checked or not.
    const left = cut(text, found);
    expect(validIn(1_500).filter((v) => left.includes(v))).toEqual([]);
    expect(found.every((f) => f.type === 'phone')).toBe(true);
    expect(found[0]?.normalized).toBe('+12122000000');
    expect(found.at(-1)?.normalized).toBe(noNumber(1_499).replace(/\D/g, ''));
    // The shapes the cheap checks refuse stay out past the bound too.
    const after = `${text}, 2026-11-24, 10.0.12.7, 1000-2000, sequence 130 348 4031`;
    expect(findPrivateData(after).slice(found.length)).toEqual([]);
  });

  it('bounds the work of a 500-entry batch of such texts through sanitizeEntries', async () => {
    const drafts = Array.from(
      { length: 500 },
      (_, i): EntryDraft => ({
        kind: 'finding',
        body: phoneText(1_100, i * 1_100),
        author: { id: 'responder-1', name: 'Responder 1', kind: 'harness', harness: 'claude-code' },
      }),
    );
    parses.count = 0;
    const t0 = performance.now();
    const out = await sanitizeEntries(drafts, { key: newIncidentKey() });
    const ms = performance.now() - t0;
    // One scan of the batch joined, so one budget. Before the bound: about 8 million parses, an
    // hour of one core; now a few seconds on a busy machine, most of them spent making 550,000
    // placeholders (sanitize.ts), which is linear in what the batch holds.
    expect(parses.count).toBeLessThanOrEqual(PHONE_CHECK_BUDGET);
    expect(out.counts.phone).toBeGreaterThanOrEqual(500 * 550);
    const valid = new Set(validIn(500 * 1_100));
    const left = out.entries.flatMap((e) => e.body.split(', ').map((part) => part.replace(/^call /, '')));
    expect(left.filter((part) => valid.has(part))).toEqual([]);
    console.log(`500 entries of 1,100 phone-shaped numbers: ${parses.count} parses, ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(40_000);
  });
});

describe('mayHold: the kinds one walk over a text lets run', () => {
  /** Data at each condition's edge: the fewest digits a kind is found with, joined every way it allows. */
  const EDGES = [
    'card 4222222222222 on file',
    'card 4 2 2 2 2 2 2 2 2 2 2 2 2 on file',
    'card 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1 on file',
    'ssn 123456789',
    'ssn: 123-45-6789',
    'SSN 123 45 6789 on the form',
    'NI AB 12 34 56 C',
    'nino=AB123456C',
    'iban GB82WEST12345698765432',
    'iban GB82 WEST 1234 5698 7654 32',
    'call +683 4002',
    'call 2345678',
    'call 6-1-2-3-4-5-6-7',
    'call +4-4-2-0-7-9-4-6-0-9-5-8',
    'phone (0) 2 0 7 9 4 6 0 9 5 8',
  ];
  /**
   * The sanitizer's corpora, every private datum of them also written with a space and with a
   * dash between each of its characters, the edges, and 6,000 random texts of digits, the
   * patterns' separators, capitals and words (as `CANDIDATES`'s test makes them).
   */
  const texts = (): string[] => {
    const rnd = prng(0x3a7);
    const spread = privateCorpus().flatMap((s) =>
      [' ', '-'].map((sep) => s.text.replace(s.datum, s.datum.split('').join(sep))),
    );
    const heads = ['ssn ', 'call ', 'card ', 'iban ', 'NI ', 'GB82', 'AB', 'x_', '+', '(', ''];
    const random = Array.from({ length: 6_000 }, (_, i) => {
      const alphabet = i % 2 ? '0123456789 -()./+' : '0123456789012345678900 +()-./ ABGZWEST\n';
      const tail = Array.from({ length: 6 + rnd.int(34) }, () => alphabet[rnd.int(alphabet.length)]).join('');
      return (heads[rnd.int(heads.length)] ?? '') + tail;
    });
    return [
      ...nearMissCorpus(),
      ...privateCorpus().map((s) => s.text),
      ...secretCorpus().map((s) => s.text),
      ...BLAMING,
      ...NEUTRAL,
      ...spread,
      ...EDGES,
      ...random,
    ];
  };

  it('finds what a search for every kind finds, in every corpus text and texts at its edges', () => {
    let found = 0;
    for (const text of texts()) {
      const all = findPrivateData(text, {}, EVERY_KIND);
      expect(findPrivateData(text), text).toEqual(all);
      found += all.length;
    }
    // Each edge is found, so a condition one digit stricter fails the test above.
    for (const text of EDGES) expect(findPrivateData(text, {}, EVERY_KIND), text).toHaveLength(1);
    expect(found).toBeGreaterThan(1_000);
  });

  it('rules a kind out only where its pattern matches nothing (a phone: nothing of 7 digits)', () => {
    const matched: Record<string, number> = {};
    for (const text of texts()) {
      const may = mayHold(text);
      for (const [type, pattern] of Object.entries(CANDIDATES)) {
        for (const m of text.matchAll(pattern)) {
          if (type === 'phone' && m[0].replace(/\D/g, '').length < 7) continue;
          expect(may[type as keyof MayHold], `${type} in ${JSON.stringify(text)}`).toBe(true);
          matched[type] = (matched[type] ?? 0) + 1;
        }
      }
    }
    for (const type of Object.keys(EVERY_KIND)) expect(matched[type], type).toBeGreaterThan(20);
    // And most texts rule out something: the walk is worth its cost.
    const none = texts().filter((t) => Object.values(mayHold(t)).every((x) => !x));
    expect(none.length).toBeGreaterThan(300);
  });
});
