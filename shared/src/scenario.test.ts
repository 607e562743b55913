import { describe, expect, it } from 'vitest';
import { SCENARIO_LIMITS, Scenario, parseScenario } from './scenario.js';

const FILE = `---
id: acme-2024-07-replica-lag
title: Replica lag took down checkout at Acme
summary: A long-running analytics query on the primary made replicas lag 40 minutes.
company: Acme
categories: [database, config-change]
keywords:
  - replication lag
  - "sorry, too many clients already"
url: https://example.com/postmortems/replica-lag
start_time: 2024-07-19T04:09:00Z
end_time: "2024-07-19T06:30:00+02:00"
---

# What happened

Checkout read stale carts from lagging replicas.
`;

describe('scenario file', () => {
  it('reads the front matter fields as public postmortem collections write them, and the Markdown body', () => {
    expect(parseScenario(new TextEncoder().encode(FILE))).toEqual({
      id: 'acme-2024-07-replica-lag',
      title: 'Replica lag took down checkout at Acme',
      summary: 'A long-running analytics query on the primary made replicas lag 40 minutes.',
      company: 'Acme',
      categories: ['database', 'config-change'],
      keywords: ['replication lag', 'sorry, too many clients already'],
      url: 'https://example.com/postmortems/replica-lag',
      startTime: '2024-07-19T04:09:00Z',
      endTime: '2024-07-19T06:30:00+02:00',
      body: '# What happened\n\nCheckout read stale carts from lagging replicas.',
    });
  });

  it('takes a file without front matter, its first heading as the title', () => {
    const s = parseScenario('Intro line.\n\n# DNS outage at Example Corp ##\n\nResolvers failed.\n');
    expect(s).toEqual({
      title: 'DNS outage at Example Corp',
      body: 'Intro line.\n\n# DNS outage at Example Corp ##\n\nResolvers failed.',
    });
    expect(parseScenario('---\n---\n# Empty front matter\n').title).toBe('Empty front matter');
    expect(parseScenario('---\r\ntitle: CRLF\r\ncategories: one\r\n---\r\nbody\r\n')).toMatchObject({
      title: 'CRLF',
      categories: ['one'],
      body: 'body',
    });
  });

  it('refuses text that is not UTF-8', () => {
    const latin1 = Uint8Array.from([
      ...new TextEncoder().encode('---\ntitle: Caf'),
      0xe9,
      0x0a,
      ...new TextEncoder().encode('---\n'),
    ]);
    expect(() => parseScenario(latin1)).toThrow(
      expect.objectContaining({ code: 'request.invalid', message: 'the scenario is not UTF-8 text' }),
    );
  });

  it('refuses a file over 256 KiB', () => {
    const big = `# Big\n${'x'.repeat(SCENARIO_LIMITS.fileBytes)}`;
    expect(() => parseScenario(big)).toThrow(expect.objectContaining({ code: 'request.too_large' }));
    // Counted in bytes, not characters: 100 Ki of a three-byte character is 300 KiB.
    expect(() => parseScenario(`# Big\n${'€'.repeat(100 * 1024)}`)).toThrow(
      /at most 262144 bytes|at most 262144/,
    );
    expect(parseScenario(`# Fits\n${'x'.repeat(SCENARIO_LIMITS.fileBytes - 8)}`).title).toBe('Fits');
  });

  it.each([
    ['an unclosed front matter', '---\ntitle: x\n# body', /no closing --- line/],
    ['bad YAML', '---\ntitle: [unclosed\n---\nbody', /broken front matter: /],
    [
      'a duplicate key',
      '---\ntitle: a\ntitle: b\n---\nbody',
      /broken front matter: .*[Mm]ap keys must be unique/,
    ],
    ['a list for front matter', '---\n- a\n- b\n---\nbody', /must be a mapping/],
    ['an alias', '---\nx: &a 1\n---\nbody', /unknown key "x"/],
    ['an alias used', '---\ntitle: &t T\nsummary: *t\n---\nbody', /broken front matter/],
  ])('refuses broken front matter: %s', (_, text, message) => {
    expect(() => parseScenario(text)).toThrow(
      expect.objectContaining({ code: 'request.invalid', message: expect.stringMatching(message) }),
    );
  });

  it.each([
    ['an unknown key', '---\ntitle: t\nseverity: SEV1\n---\n', /unknown key "severity": known are id, title/],
    ['a time that is not ISO 8601', '---\ntitle: t\nstart_time: last tuesday\n---\n', /startTime/],
    [
      'a url that is not http(s)',
      '---\ntitle: t\nurl: javascript:alert(1)\n---\n',
      /url: must be an http\(s\) URL/,
    ],
    ['a title of two lines', '---\ntitle: "a\\nb"\n---\n', /title: must be one line/],
    ['no title at all', 'just words', /no title/],
    ['a number for a keyword', '---\ntitle: t\nkeywords: [1]\n---\n', /keywords/],
    ['a NUL', '# t\n\0', /U\+0000/],
  ])('refuses invalid fields: %s', (_, text, message) => {
    expect(() => parseScenario(text)).toThrow(
      expect.objectContaining({ code: 'request.invalid', message: expect.stringMatching(message) }),
    );
  });

  it('is what the drill holds, with its fingerprint and the incident it replays', () => {
    const fields = parseScenario(FILE);
    expect(
      Scenario.parse({ ...fields, fingerprint: 'id:acme', from: { incident: 'db-lag-1a2b' } }).from,
    ).toEqual({
      incident: 'db-lag-1a2b',
    });
    expect(Scenario.safeParse(fields).success).toBe(false); // no fingerprint
  });
});
