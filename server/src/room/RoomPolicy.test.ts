import { DEFAULT_POLICY, type PrivacyPolicy, withAllowances } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { RoomPolicy } from './RoomPolicy.js';

const ALLOWING = withAllowances(DEFAULT_POLICY, ['email']);

/** Reads answered by hand, in any order. */
function reads() {
  const pending: { resolve(p: PrivacyPolicy): void; reject(e: Error): void }[] = [];
  const read = () => new Promise<PrivacyPolicy>((resolve, reject) => void pending.push({ resolve, reject }));
  return { read, pending };
}

describe('room policy', () => {
  it('starts at the deployment policy and holds what a read says', async () => {
    const { read, pending } = reads();
    const policy = new RoomPolicy(read, DEFAULT_POLICY);
    expect(policy.policy).toEqual(DEFAULT_POLICY);
    const done = policy.refresh();
    pending[0]?.resolve(ALLOWING);
    await done;
    expect(policy.policy).toEqual(ALLOWING);
  });

  it('keeps the latest started read when reads finish out of order', async () => {
    const { read, pending } = reads();
    const policy = new RoomPolicy(read, DEFAULT_POLICY);
    const [older, newer] = [policy.refresh(), policy.refresh()];
    pending[1]?.resolve(DEFAULT_POLICY); // the withdrawal, read second, answers first
    await newer;
    pending[0]?.resolve(ALLOWING);
    await older;
    expect(policy.policy).toEqual(DEFAULT_POLICY);
  });

  it('falls back to the deployment policy when a read fails, until one succeeds', async () => {
    const { read, pending } = reads();
    const policy = new RoomPolicy(read, DEFAULT_POLICY);
    const first = policy.refresh();
    pending[0]?.resolve(ALLOWING);
    await first;
    const failing = policy.refresh();
    pending[1]?.reject(new Error('storage away'));
    await expect(failing).rejects.toThrow('storage away');
    expect([policy.policy, policy.stale]).toEqual([DEFAULT_POLICY, true]);
    const again = policy.refresh();
    pending[2]?.resolve(ALLOWING);
    await again;
    expect([policy.policy, policy.stale]).toEqual([ALLOWING, false]);
  });
});
