import { DEFAULT_POLICY, type PrivacyPolicy, withAllowances } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { RoomPolicy, type RoomSanitizer } from './RoomPolicy.js';

const KEY = 'k1';
const ALLOWING = withAllowances(DEFAULT_POLICY, ['email']);
const read = (policy: PrivacyPolicy): RoomSanitizer => ({ policy, key: KEY });

/** Reads answered by hand, in any order. */
function reads() {
  const pending: { resolve(p: RoomSanitizer): void; reject(e: Error): void }[] = [];
  const read = () => new Promise<RoomSanitizer>((resolve, reject) => void pending.push({ resolve, reject }));
  return { read, pending };
}

describe('room policy', () => {
  it('starts at the deployment policy and holds what a read says', async () => {
    const { read: reader, pending } = reads();
    const policy = new RoomPolicy(reader, DEFAULT_POLICY);
    expect([policy.policy, policy.key]).toEqual([DEFAULT_POLICY, null]);
    const done = policy.refresh();
    pending[0]?.resolve(read(ALLOWING));
    await done;
    expect([policy.policy, policy.key]).toEqual([ALLOWING, KEY]);
  });

  it('keeps the latest started read when reads finish out of order', async () => {
    const { read: reader, pending } = reads();
    const policy = new RoomPolicy(reader, DEFAULT_POLICY);
    const [older, newer] = [policy.refresh(), policy.refresh()];
    pending[1]?.resolve(read(DEFAULT_POLICY)); // the withdrawal, read second, answers first
    await newer;
    pending[0]?.resolve(read(ALLOWING));
    await older;
    expect(policy.policy).toEqual(DEFAULT_POLICY);
  });

  it('falls back to the deployment policy when a read fails, until one succeeds', async () => {
    const { read: reader, pending } = reads();
    const policy = new RoomPolicy(reader, DEFAULT_POLICY);
    const first = policy.refresh();
    pending[0]?.resolve(read(ALLOWING));
    await first;
    const failing = policy.refresh();
    pending[1]?.reject(new Error('storage away'));
    await expect(failing).rejects.toThrow('storage away');
    expect([policy.policy, policy.stale, policy.key]).toEqual([DEFAULT_POLICY, true, KEY]);
    const again = policy.refresh();
    pending[2]?.resolve(read(ALLOWING));
    await again;
    expect([policy.policy, policy.stale]).toEqual([ALLOWING, false]);
  });
});
