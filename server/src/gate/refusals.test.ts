import { SitrepError } from '@sitrep/shared';
import { DEFAULT_POLICY } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { SECRETS_ONLY, refuseContent, refuseEntries } from './refusals.js';

const KEY = 'AKIAIOSFODNN7EXAMPLF';

describe('content refusals', () => {
  it('refuses a secret anywhere in the values, keys included, naming where and the rule', async () => {
    const err = await refuseContent([{ title: 'fine' }, { [`k ${KEY}`]: 1 }], 'incident', SECRETS_ONLY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SitrepError);
    expect(err).toMatchObject({ code: 'gate.secret', details: { place: 'incident', rule: expect.any(String) } });
    expect((err as Error).message).toMatch(/^the incident holds a secret \(.+\); redact it before writing$/);
  });

  it('passes values with no secret, and private data the policy allows', async () => {
    await expect(refuseContent([{ body: 'p99 4.2s on 10.0.3.7, deploy 1.4.2' }], 'change', SECRETS_ONLY)).resolves.toBeUndefined();
    await expect(refuseContent(['mail jane.doe@example.com'], 'presence', SECRETS_ONLY)).resolves.toBeUndefined();
  });

  it('names the first entry that holds a secret', async () => {
    const entries = [{ id: 'A', body: 'ok' }, { id: 'B', body: `key ${KEY}` }, { id: 'C', body: `key ${KEY}` }];
    await expect(refuseEntries(entries, SECRETS_ONLY)).rejects.toMatchObject({
      code: 'gate.secret',
      message: expect.stringMatching(/^entry B holds a secret/),
      details: { place: 'entry', id: 'B' },
    });
    await expect(refuseEntries(entries.slice(0, 1), DEFAULT_POLICY)).resolves.toBeUndefined();
  });
});
