import { describe, expect, it } from 'vitest';
import type { SanitizerSettings } from '../api.js';
import type { ApiClient } from '../apiClient.js';
import { DEFAULT_POLICY } from '../sanitizer/policy.js';
import { sanitizerSettings } from './outgoing.js';

/** An API that answers reads of the settings by hand and counts them. */
function api(baseUrl: string) {
  const pending: { resolve(s: SanitizerSettings): void; reject(e: Error): void }[] = [];
  const client = {
    baseUrl,
    sanitizerSettings: () =>
      new Promise<SanitizerSettings>((resolve, reject) => void pending.push({ resolve, reject })),
  };
  return { client: client as unknown as ApiClient, pending };
}

const settings = (allowances: SanitizerSettings['allowances']): SanitizerSettings => ({
  key: 'k',
  policy: DEFAULT_POLICY,
  allowances,
});

describe('sanitizer settings on the client', () => {
  it('reads them again on every call, sharing a read in flight', async () => {
    const { client, pending } = api('http://a');
    const [first, same] = [sanitizerSettings(client, 'i'), sanitizerSettings(client, 'i')];
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(settings([]));
    expect(await same).toEqual(await first);
    const next = sanitizerSettings(client, 'i');
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(settings(['email']));
    expect((await next).allowances).toEqual(['email']);
  });

  it('takes an answered read younger than maxAgeMs, and keeps no failed read', async () => {
    const { client, pending } = api('http://b');
    const first = sanitizerSettings(client, 'i');
    pending[0]?.resolve(settings(['phone']));
    await first;
    expect((await sanitizerSettings(client, 'i', 60_000)).allowances).toEqual(['phone']);
    expect(pending).toHaveLength(1);
    const failing = sanitizerSettings(client, 'i');
    pending[1]?.reject(new Error('away'));
    await expect(failing).rejects.toThrow('away');
    const again = sanitizerSettings(client, 'i', 60_000);
    expect(pending).toHaveLength(3);
    pending[2]?.resolve(settings([]));
    expect((await again).allowances).toEqual([]);
  });
});
