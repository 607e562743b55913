import { describe, expect, it } from 'vitest';
import { PART_CHARS, Reassembly, toParts } from './PresenceRelay.js';

describe('presence relay framing', () => {
  it('cuts a message into payloads Postgres takes and puts it back together', () => {
    const text = JSON.stringify({ t: 'update', i: 'x', u: 'A'.repeat(3 * PART_CHARS + 5) });
    const parts = toParts('ab12', 7, text);
    expect(parts).toHaveLength(4);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const r = new Reassembly();
    expect(parts.slice(0, -1).map((p) => r.hear(p))).toEqual([null, null, null]);
    expect(r.hear(parts.at(-1) ?? '')).toEqual({ node: 'ab12', text });
    expect(r.hear(toParts('cd34', 1, 'short')[0] ?? '')).toEqual({ node: 'cd34', text: 'short' });
  });

  it('drops a message whose parts do not come in order, and what is not a part', () => {
    const parts = toParts('ab12', 1, 'x'.repeat(2 * PART_CHARS + 1));
    const r = new Reassembly();
    expect([parts[0], parts[2], parts[1]].map((p) => r.hear(p ?? ''))).toEqual([null, null, null]);
    expect(r.hear('not a part')).toBeNull();
  });
});
