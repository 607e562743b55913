import { describe, expect, it } from 'vitest';
import { newIncidentKey } from './placeholder.js';
import { DEFAULT_POLICY, privacyPolicySchema } from './policy.js';
import { SCAN_CHARS, sanitizeEntries, sanitizeEntry } from './entries.js';
import { findSensitive, firstRefusal, redactDisallowed, sanitizeText, sanitizeValue } from './sanitize.js';

const key = newIncidentKey();
const ghToken = () => `ghp_${'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5'}`;

describe('sanitizer', () => {
  it('replaces private data with typed placeholders, the same datum with the same one in an incident', async () => {
    const { value, counts } = await sanitizeText(
      'customer jane.doe@example.com (+1 415 555 0132, card 4111 1111 1111 1111)',
      { key },
    );
    expect(value).toMatch(
      /^customer \[email-[0-9a-f]{6}\] \(\[phone-[0-9a-f]{6}\], card \[card-[0-9a-f]{6}\]\)$/,
    );
    expect(counts).toEqual({ email: 1, phone: 1, card: 1 });
    // Written another way, later: the same placeholders, so correlation survives.
    const again = await sanitizeText('Jane.Doe@EXAMPLE.com called from (415) 555-0132', { key });
    const [email, phone] = value.match(/\[(?:email|phone)-[0-9a-f]{6}\]/g) ?? [];
    expect(again.value).toBe(`${email} called from ${phone}`);
    // Another incident, another key: nothing to correlate across incidents.
    expect((await sanitizeText('jane.doe@example.com', { key: newIncidentKey() })).value).not.toBe(email);
  });

  it('redacts secrets whatever the policy, and counts them as secrets', async () => {
    const allowAll = privacyPolicySchema.parse({
      email: 'allow',
      phone: 'allow',
      card: 'allow',
      iban: 'allow',
      ssn: 'allow',
      nino: 'allow',
    });
    const { value, counts } = await sanitizeText(
      `pushed ${ghToken()} and DD_API_KEY=${'0123456789abcdef'.repeat(2)}`,
      { key, policy: allowAll },
    );
    expect(value).toBe('pushed [REDACTED:github] and DD_API_KEY=[REDACTED:credential-assignment]');
    expect(counts).toEqual({ secret: 2 });
  });

  it('follows the policy per type: refuse leaves the datum and reports it, allow leaves it silently', async () => {
    const text = 'mail jane@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111';
    const policy = privacyPolicySchema.parse({ email: 'refuse', phone: 'allow' });
    const { value, counts, refused } = await sanitizeText(text, { key, policy });
    expect(value).toMatch(/^mail jane@example\.com, call \+44 20 7946 0958, card \[card-[0-9a-f]{6}\]$/);
    expect(counts).toEqual({ card: 1 });
    expect(refused.map((f) => [f.type, text.slice(f.start, f.end)])).toEqual([['email', 'jane@example.com']]);
  });

  it('sanitizes every string of a value in one pass, keys untouched, blame flagged per string', async () => {
    const draft = {
      kind: 'finding',
      body: 'Dave fat-fingered the config. Customer jane@example.com saw 502s.',
      evidence: [{ label: 'jane@example.com', query: `token ${ghToken()}` }],
      n: 3,
    };
    const { value, counts, blame } = await sanitizeValue(draft, { key });
    expect(value.body).toMatch(/^Dave fat-fingered the config\. Customer \[email-[0-9a-f]{6}\] saw 502s\.$/);
    expect(value.evidence[0]?.label).toMatch(/^\[email-[0-9a-f]{6}\]$/);
    expect(value.evidence[0]?.query).toBe('token [REDACTED:github]');
    expect(value.n).toBe(3);
    expect(counts).toEqual({ email: 2, secret: 1 });
    expect(blame.map((b) => [b.string, b.sentence])).toEqual([[1, 'Dave fat-fingered the config.']]);
    // What it wrote it leaves alone.
    expect((await sanitizeValue(value, { key })).value).toEqual(value);
  });

  it('gives the gate the first thing to refuse: a secret, or private data the policy does not allow', async () => {
    expect(await firstRefusal(['clean', { deep: ['also clean 10.0.0.1'] }])).toBeNull();
    expect(await firstRefusal(['clean', { 'jane@example.com': 1 }])).toMatchObject({ type: 'email' });
    expect(await firstRefusal([`x ${ghToken()}`])).toMatchObject({ type: 'secret', rule: 'github' });
    const allowEmail = privacyPolicySchema.parse({ email: 'allow' });
    expect(await firstRefusal(['jane@example.com'], { policy: allowEmail })).toBeNull();
    expect(
      await firstRefusal(['jane@example.com 4111 1111 1111 1111'], { policy: allowEmail }),
    ).toMatchObject({ type: 'card' });
  });

  it('sanitizes a batch in one scan, each entry as it would be alone', async () => {
    const draft = (id: string, body: string, label = 'clean') => ({
      v: 1 as const,
      id,
      kind: 'finding' as const,
      body,
      evidence: [{ label }],
      redactions: { secret: 2 },
      author: { id: 'a', name: 'A', kind: 'human' as const },
      at: '2026-12-05T10:00:00.000Z',
    });
    const drafts = [
      draft('01JDC7Q6ZB4ND3X2Y0T8K9H1Q0', 'nothing here, 10.0.0.1'),
      draft('01JDC7Q6ZB4ND3X2Y0T8K9H1Q1', `mail jane@example.com, token ${ghToken()}`, 'bob@example.com'),
      draft('01JDC7Q6ZB4ND3X2Y0T8K9H1Q2', ''),
      draft('01JDC7Q6ZB4ND3X2Y0T8K9H1Q3', 'call +44 20 7946 0958', 'SSN 078-05-1120'),
    ];
    const policy = privacyPolicySchema.parse({ ssn: 'refuse' });
    const batch = await sanitizeEntries(drafts, { key, policy });
    const alone = await Promise.all(drafts.map((d) => sanitizeEntry(d, { key, policy })));
    expect(batch.entries).toEqual(alone.map((a) => a.value));
    expect(batch.entries[1]?.body).toMatch(/^mail \[email-[0-9a-f]{6}\], token \[REDACTED:github\]$/);
    expect(batch.entries[1]?.redactions).toEqual({ secret: 3, email: 2 });
    expect(batch.entries[0]).toBe(drafts[0]);
    expect(batch.counts).toEqual({ email: 2, secret: 1, phone: 1 });
    expect(batch.refused).toEqual({ index: 3, findings: alone[3]?.refused });
    // Nothing found: the batch as it came.
    const nothing = [drafts[0], drafts[2]].filter((d) => d !== undefined);
    const clean = await sanitizeEntries(nothing, { key });
    expect(clean).toEqual({ entries: nothing, counts: {}, refused: null });
  });

  it('lets a secret win over the private data inside it, for thousands of each in one text', async () => {
    const pem = (i: number) =>
      `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA owner-${i}@example.com 7d9f\n-----END RSA PRIVATE KEY-----`;
    const text = Array.from({ length: 2_000 }, (_, i) => `${pem(i)} then ops-${i}@example.com`).join('\n');
    const found = await findSensitive(text);
    expect(found.map((f) => f.type)).toEqual(Array.from({ length: 2_000 }, () => ['secret', 'email']).flat());
    expect(found.every((f, i) => i === 0 || (found[i - 1]?.end ?? 0) <= f.start)).toBe(true);
  });

  it('sanitizes a batch larger than one scan in parts, each entry as it would be alone', async () => {
    const policy = privacyPolicySchema.parse({ ssn: 'refuse' });
    const filler = 'p99 latency on checkout-api rose; '.repeat(500); // about 17 KB an entry
    const drafts = Array.from({ length: 40 }, (_, i) => ({
      kind: 'finding' as const,
      body: `${filler} owner ${i}@example.com token ${i % 7 === 0 ? ghToken() : 'none'}`,
      title: i === 33 ? 'SSN 078-05-1120' : undefined,
      author: { id: 'a', name: 'A', kind: 'human' as const },
    }));
    expect(drafts.reduce((n, d) => n + d.body.length, 0)).toBeGreaterThan(4 * SCAN_CHARS);
    const batch = await sanitizeEntries(drafts, { key, policy });
    const alone = await Promise.all(drafts.map((d) => sanitizeEntry(d, { key, policy })));
    expect(batch.entries).toEqual(alone.map((a) => a.value));
    expect(batch.counts).toEqual({ email: 40, secret: 6 });
    expect(batch.refused).toEqual({ index: 33, findings: alone[33]?.refused });
  });

  it('ends an unterminated private key at its own string: the strings after it are still sanitized', async () => {
    const pem = 'see -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA';
    const after = `mail bob@example.com, token ${ghToken()}`;
    const { value } = await sanitizeValue({ title: pem, body: after }, { key });
    expect(value.title).toBe('see [REDACTED:private-key]');
    expect(value.body).toMatch(/^mail \[email-[0-9a-f]{6}\], token \[REDACTED:github\]$/);
    const entry = (id: string, body: string) => ({
      v: 1 as const,
      id,
      kind: 'finding' as const,
      body,
      author: { id: 'a', name: 'A', kind: 'human' as const },
      at: '2026-12-05T10:00:00.000Z',
    });
    const batch = await sanitizeEntries(
      [entry('01JDC7Q6ZB4ND3X2Y0T8K9H1Q0', pem), entry('01JDC7Q6ZB4ND3X2Y0T8K9H1Q1', after)],
      { key },
    );
    expect(batch.entries.map((e) => e.body)).toEqual([value.title, value.body]);
    expect(batch.counts).toEqual({ secret: 2, email: 1 });
  });

  it("redacts the server's own text of everything not allowed, what it would refuse from a writer too", async () => {
    const policy = privacyPolicySchema.parse({ ssn: 'refuse', phone: 'allow' });
    const view = { title: `SSN 078-05-1120, call +44 20 7946 0958, mail jane@example.com, ${ghToken()}` };
    const { value, counts } = await redactDisallowed(view, { key, policy });
    expect(value.title).toMatch(
      /^SSN \[ssn-[0-9a-f]{6}\], call \+44 20 7946 0958, mail \[email-[0-9a-f]{6}\], \[REDACTED:github\]$/,
    );
    expect(counts).toEqual({ ssn: 1, email: 1, secret: 1 });
    expect(await redactDisallowed({ title: 'nothing here' }, { key, policy })).toEqual({
      value: { title: 'nothing here' },
      counts: {},
    });
  });

  it('reads a policy: redact by default, only known types and actions', () => {
    expect(privacyPolicySchema.parse({})).toEqual(DEFAULT_POLICY);
    expect(Object.values(DEFAULT_POLICY).every((a) => a === 'redact')).toBe(true);
    expect(() => privacyPolicySchema.parse({ email: 'hide' })).toThrow();
    expect(() => privacyPolicySchema.parse({ secret: 'allow' })).toThrow();
  });
});
