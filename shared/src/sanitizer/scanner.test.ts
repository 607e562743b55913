import { describe, expect, it } from 'vitest';
import { BLAMING, NEUTRAL } from '../../../test/corpus/sanitizer/blame.js';
import { nearMissCorpus } from '../../../test/corpus/sanitizer/nearMisses.js';
import { privateCorpus } from '../../../test/corpus/sanitizer/privateData.js';
import { secretCorpus } from '../../../test/corpus/sanitizer/secrets.js';
import { prng } from '../../../test/support/random.js';
import { nearMisses, secretSamples } from '../../../test/support/secretCorpus.js';
import { firstSecret, redactEntry, redactText, redactValue } from './redact.js';
import { SEPARATOR, joinStrings } from './joinedScan.js';
import { DETECTORS, findSecrets, keyRuns } from './scanner.js';

describe('secret scanner', () => {
  it('finds in strings joined what it finds in each alone, past one piece of text for secretlint', async () => {
    // Every sample, many times over: more than one piece of text for secretlint, at the strings' joins.
    const samples = secretSamples().map(([, text]) => text);
    const strings = Array.from({ length: 150 }, () => samples).flat();
    const joined = joinStrings(strings);
    expect(joined.length).toBeGreaterThan(2 * 128 * 1024);
    const alone = await Promise.all(strings.map((t) => findSecrets(t)));
    let offset = 0;
    const expected = strings.flatMap((t, i) => {
      const here = (alone[i] ?? []).map((f) => ({ ...f, start: f.start + offset, end: f.end + offset }));
      offset += t.length + SEPARATOR.length;
      return here;
    });
    expect(await findSecrets(joined)).toEqual(expected);
  });

  it.each(secretSamples())('finds a %s', async (_name, text) => {
    const found = await findSecrets(text);
    expect(found.length).toBeGreaterThan(0);
  });

  it.each(nearMisses())('passes %s', async (_name, text) => {
    expect(await findSecrets(text)).toEqual([]);
  });

  // Made at run time, so no literal key sits in the repository.
  const hex32 = '0123456789abcdef'.repeat(2);
  it.each([
    ['a Twilio API key (SK + 32 hex)', `twilio key SK${hex32} in the SMS worker`],
    ['a Datadog API key by its variable name', `DD_API_KEY=${hex32}`],
    ['a Datadog application key in YAML', `datadog:\n  app_key: ${hex32}abcdef01`],
    ['a token in camelCase', `const slackBotToken = "${hex32}XY"`],
    ['a Redis URL with only a password', `redis://:${hex32}@cache:6379`],
    ['a Facebook app token, its bar percent-encoded', `?access_token=1234567890123456%7C${hex32}`],
  ])('finds %s, which passed before', async (_name, text) => {
    expect(await findSecrets(text)).not.toEqual([]);
  });

  it('finds a GitLab session cookie after a word: the rules pre-check shares one word boundary, which it needs none of', async () => {
    expect(await findSecrets(`Cookie: x_gitlab_session=${hex32}`)).not.toEqual([]);
  });

  it('finds assignments wherever a scan of every position would: glued, chained, quoted, one inside another', async () => {
    const v = (n: number) => `Zq8${'xK3mP9wR'.slice(0, n % 8)}vT5nL2yB7cD4`;
    const cases: [string, string[]][] = [
      [`db.password=${v(1)}`, [v(1)]],
      [`(svc-api_key: "${v(2)}")`, [v(2)]],
      [`a_token=${v(3)} b.secret => '${v(4)}'`, [v(3), v(4)]],
      // The second assignment is inside the first's value: one secret.
      [`auth=${v(5)}.pwd=${v(6)}`, [`${v(5)}.pwd=${v(6)}`]],
      [`{"DD_API_KEY":\t"${v(7)}", x_creds := ${v(0)}}`, [v(7), v(0)]],
      [`${'n'.repeat(200)}_passphrase=${v(1)}`, [v(1)]],
      [`pass: short, app_key = ${v(2)}`, [v(2)]],
    ];
    for (const [text, secrets] of cases) {
      const found = (await findSecrets(text)).filter((f) => f.rule === 'credential-assignment');
      expect(
        found.map((f) => text.slice(f.start, f.end)),
        text,
      ).toEqual(secrets);
    }
  });

  it.each([
    'req-01JY9D0PMSZA088NNBDKPE6J8D',
    'job_01JP5RXGSSD9468T82DC6CNJ1P-retry',
    'GET /api/v2/orders/ORD-2025-435673/items',
    'checkout-api-7f9c4d2b1a-x2k9p/OOMKilled-2026',
  ])('passes an id made of words, numbers, ULIDs and hex: %s', async (text) => {
    expect(await findSecrets(text)).toEqual([]);
  });

  it.each([
    'cache_key=user:1234:profile',
    'idempotency_key=01JDC7Q6ZB4ND3X2Y0T8K9H1QF',
    'next_token=eyJvZmZzZXQiOjIwfQ',
    'token_count=123456789012',
    'secret_name=checkout-db-credentials',
    'password_min_length=12',
    'api_key_ttl=86400s',
    'auth: oauth2-client-credentials',
    'primary_key: order_id_2026',
  ])('passes an assignment that names a secret without holding one: %s', async (text) => {
    expect(await findSecrets(text)).toEqual([]);
  });

  it('redacts every secret and counts them, leaving nothing the scanner finds', async () => {
    for (const [, text] of secretSamples()) {
      const r = await redactText(text);
      expect(r.redactions).toBeGreaterThan(0);
      expect(r.text).toContain('[REDACTED:');
      expect(await findSecrets(r.text)).toEqual([]);
    }
  });

  it('redacts an entry draft field by field and records the count', async () => {
    const [, secret] = secretSamples()[2] ?? ['', ''];
    const draft = await redactEntry({
      kind: 'finding',
      body: `found ${secret}`,
      author: { id: 'a', name: 'A', kind: 'human' },
      evidence: [{ label: 'ci log', query: secret }],
    });
    expect(draft.redactions).toEqual({ secret: 2 });
    expect(JSON.stringify(draft)).not.toContain(secret.split(' ').find((w) => w.startsWith('ghp_')));
  });

  it('scans many strings in one pass without a finding spanning two of them', async () => {
    expect(await firstSecret(nearMisses().map(([, text]) => text))).toBeNull();
    for (const [name, text] of secretSamples())
      expect(await firstSecret(['a near miss', text, 'another']), name).not.toBeNull();
    expect(await firstSecret(['the password', '= hunter2hunter2 was rotated'])).toBeNull();
    expect(await firstSecret(['fine', { deep: ['password= hunter2hunter2'] }])).toMatchObject({
      rule: 'credential-assignment',
    });
  });

  it('redacts a whole value in one pass: each secret in its own string, the rest untouched', async () => {
    const samples = secretSamples().map(([, text]) => text);
    const value = {
      title: 'clean',
      list: samples.map((text, i) => ({
        i,
        text: `before ${text} after`,
        near: nearMisses()[i % nearMisses().length]?.[1] ?? '',
      })),
      deep: [[{ again: samples[0] ?? '' }]],
      n: 3,
      none: null,
    };
    const { value: out, redactions } = await redactValue(value);
    expect(redactions).toBeGreaterThanOrEqual(samples.length + 1);
    expect(out.title).toBe('clean');
    expect(out.n).toBe(3);
    expect(out.none).toBeNull();
    out.list.forEach((item, i) => {
      expect(item.text).toMatch(/^before .*\[REDACTED:.* after$/s);
      expect(item.near).toBe(value.list[i]?.near);
      expect(item.i).toBe(i);
    });
    expect(out.deep[0]?.[0]?.again).toContain('[REDACTED:');
    expect(await firstSecret([out])).toBeNull();
    // Nothing to redact: the same value back.
    const clean = { a: ['x', { b: 'y' }] };
    expect(await redactValue(clean)).toEqual({ value: clean, redactions: 0 });
  });
});

describe("the scanner's own detectors, each tried only where it may match", () => {
  const rnd = prng(0x5ca7);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[rnd.int(alphabet.length)]).join('');
  const key = () => pick('ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz23456789', 24);
  /** A match of each detector holding one of its needs and no other (made at run time: no literal key in the repository). */
  const EDGES = [
    `eyJ${pick('abcXYZ', 12)}.eyJ${pick('abcXYZ', 12)}.${key()}`,
    `sitrep_${pick('abc123', 12)}_${pick('abcXYZ019_-', 43)}`,
    `-----BEGIN RSA PRIVATE KEY-----\n${key()}\n-----END RSA PRIVATE KEY-----`,
    `PuTTY-User-Key-File-3: ssh-ed25519\n${key()}\nPrivate-MAC: ${pick('0123456789abcdef', 32)}`,
    `redis://app:${key()}@cache:6379`,
    ...['db_passwd', 'pwd', 'client_secret', 'api_token', 'api_key', 'creds', 'x_auth'].map(
      (name) => `${name}=${key()}`,
    ),
    `authorization: ${key()}`,
    `bearer ${key()}`,
    `curl -u admin:${key()} localhost`,
    `mysql -p ${key()} db`,
  ];
  /** The sanitizer's corpora, the edges, and random texts of key characters, `=` and what the detectors look for. */
  const texts = (): string[] => [
    ...secretCorpus().map((s) => s.text),
    ...secretSamples().map(([, t]) => t),
    ...nearMisses().map(([, t]) => t),
    ...nearMissCorpus(),
    ...privateCorpus().map((s) => s.text),
    ...BLAMING,
    ...NEUTRAL,
    ...EDGES,
    ...Array.from({ length: 3_000 }, () =>
      pick('aB3+/_-=  :@.x\nY9', 6 + rnd.int(60)).replace(/x/g, () => pick('AbC1', 20)),
    ),
  ];

  it('finds the runs of key characters the pattern found', () => {
    const candidate = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}/g;
    let runs = 0;
    for (const text of texts()) {
      const want = [...text.matchAll(candidate)].map((m) => [m.index, m.index + m[0].length]);
      expect(keyRuns(text), text).toEqual(want);
      runs += want.length;
    }
    expect(runs).toBeGreaterThan(2_000);
  });

  it('skips a detector only on text its pattern matches nothing in, and needs each of its needs', () => {
    const only = new Set<string>();
    for (const text of texts()) {
      const lower = text.toLowerCase();
      for (const d of DETECTORS) {
        if (d.needs.length === 0) continue;
        const matched = [...(d.matches ? d.matches(text) : text.matchAll(d.pattern))].length > 0;
        if (!matched) continue;
        const held = d.needs.filter((n) => lower.includes(n));
        expect(held.length, `${d.rule} in ${JSON.stringify(text)}`).toBeGreaterThan(0);
        if (held.length === 1) only.add(`${d.rule} ${held[0]}`);
      }
    }
    // A need dropped would skip a match: each is the only one some matched text holds.
    expect([...only].sort()).toEqual(DETECTORS.flatMap((d) => d.needs.map((n) => `${d.rule} ${n}`)).sort());
  });
});
