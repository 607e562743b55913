import { SitrepError } from '@sitrep/shared';
import { DEFAULT_POLICY, type PrivacyPolicy } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { SECRETS_ONLY, refuseContent, refuseEntries } from './refusals.js';

const KEY = 'AKIAIOSFODNN7EXAMPLF';
const ALLOW_ALL: PrivacyPolicy = SECRETS_ONLY;
const EMAIL = 'customer jane.doe@example.com';
const CARD = 'card 4111 1111 1111 1111';

describe('content refusals', () => {
  it('refuses a secret anywhere in the values, keys included, naming where and the rule, whatever the policy', async () => {
    const err = await refuseContent([{ title: 'fine' }, { [`k ${KEY}`]: 1 }], 'incident', ALLOW_ALL).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SitrepError);
    expect(err).toMatchObject({
      code: 'gate.secret',
      details: { place: 'incident', type: 'secret', rule: expect.any(String) },
    });
    expect((err as Error).message).toMatch(/^the incident holds a secret \(.+\); redact it before writing$/);
  });

  it('refuses private data the policy does not allow, as gate.private naming the type', async () => {
    await expect(refuseContent([{ body: EMAIL }], 'change', DEFAULT_POLICY)).rejects.toMatchObject({
      code: 'gate.private',
      message: 'the change holds private data (email); redact it before writing',
      details: { place: 'change', type: 'email' },
    });
    await expect(refuseContent([{ [EMAIL]: true }], 'presence', DEFAULT_POLICY)).rejects.toMatchObject({
      code: 'gate.private',
    });
    const cards = { ...DEFAULT_POLICY, card: 'refuse' } as const;
    await expect(refuseContent([CARD], 'import', cards)).rejects.toMatchObject({
      code: 'gate.private',
      message: 'the import holds private data (card); this server does not store it',
    });
    await expect(refuseContent([EMAIL, CARD], 'presence', ALLOW_ALL)).resolves.toBeUndefined();
  });

  it('passes infrastructure data under the default policy', async () => {
    await expect(
      refuseContent(
        [{ body: 'p99 4.2s on 10.0.3.7, deploy 1.4.2, order 130 348 4031' }],
        'change',
        DEFAULT_POLICY,
      ),
    ).resolves.toBeUndefined();
  });

  it('names the first entry refused', async () => {
    const entries = [
      { id: 'A', body: 'ok' },
      { id: 'B', body: `key ${KEY}` },
      { id: 'C', body: EMAIL },
    ];
    await expect(refuseEntries(entries, DEFAULT_POLICY)).rejects.toMatchObject({
      code: 'gate.secret',
      message: expect.stringMatching(/^entry B holds a secret/),
      details: { place: 'entry', id: 'B' },
    });
    await expect(
      refuseEntries(
        [entries[0], entries[2]].filter((e) => e !== undefined),
        DEFAULT_POLICY,
      ),
    ).rejects.toMatchObject({
      code: 'gate.private',
      details: { id: 'C' },
    });
    await expect(refuseEntries(entries.slice(0, 1), DEFAULT_POLICY)).resolves.toBeUndefined();
  });
});
