import { describe, expect, it } from 'vitest';
import { findPrivateData } from './privateData.js';

const types = (text: string, regions?: Parameters<typeof findPrivateData>[1]) =>
  findPrivateData(text, regions).map((f) => [f.type, text.slice(f.start, f.end), f.normalized]);

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
    ['a range and a ULID', 'ids 1000-2000 in 01JDC7Q6ZB4ND3X2Y0T8K9H1QF'],
  ])('passes %s', (_name, text) => {
    expect(types(text)).toEqual([]);
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
});
