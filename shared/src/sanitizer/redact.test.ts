// The outgoing scan's cost: a whole value (an export of 20,000 entries holds ~160,000 strings) goes
// through the scanner in one call, whose cost is mostly per call; one call per string held a node
// for 21 s (issue 21).
import { describe, expect, it, vi } from 'vitest';
import { firstSecret, redactValue } from './redact.js';
import { findSecrets } from './scanner.js';

vi.mock('./scanner.js', async (load) => {
  const real = await load<typeof import('./scanner.js')>();
  return { ...real, findSecrets: vi.fn(real.findSecrets) };
});

describe('the scanner is called once per value', () => {
  it('once for a value of many strings, with or without a secret in them', async () => {
    const entries = Array.from({ length: 2_000 }, (_, i) => ({
      id: `e${i}`,
      body: `finding ${i}`,
      tags: ['a', 'b'],
      author: { name: `r${i % 7}` },
    }));
    const calls = vi.mocked(findSecrets);
    calls.mockClear();
    expect((await redactValue({ entries })).redactions).toBe(0);
    expect(calls).toHaveBeenCalledTimes(1);

    const leaked = {
      entries: [...entries, { id: 'x', body: 'password= hunter2hunter2', tags: [], author: { name: 'x' } }],
    };
    calls.mockClear();
    expect((await redactValue(leaked)).redactions).toBe(1);
    expect(calls).toHaveBeenCalledTimes(1);

    calls.mockClear();
    await firstSecret([leaked]);
    expect(calls).toHaveBeenCalledTimes(1);
  });
});
