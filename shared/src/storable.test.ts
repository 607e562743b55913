import { describe, expect, it } from 'vitest';
import { EntryDraft } from './entry.js';
import { containsUnstorable, storableValue } from './storable.js';

describe('storableValue', () => {
  it('replaces NUL and unpaired surrogates in strings and keys, and keeps pairs and everything else', () => {
    const value = { body: 'a\u0000b \ud800 c \udc00\ud83d', title: 'pool 🔥 hot', refs: ['x\ud83d'], n: 3, ok: true, none: null, ['k\u0000']: 'v' };
    const repaired = storableValue(value);
    expect(repaired).toEqual({ body: 'a\uFFFDb \uFFFD c \uFFFD\uFFFD', title: 'pool 🔥 hot', refs: ['x\uFFFD'], n: 3, ok: true, none: null, ['k\uFFFD']: 'v' });
    expect(containsUnstorable(value)).toBe(true);
    expect(containsUnstorable(repaired)).toBe(false);
  });

  it('makes a draft the schema refused into one it accepts', () => {
    const draft = { kind: 'note', body: 'tool output \u0000\udfff', author: { id: 'ana', name: 'Ana\ud800', kind: 'human' } };
    expect(EntryDraft.safeParse(draft).success).toBe(false);
    expect(EntryDraft.parse(storableValue(draft))).toMatchObject({ body: 'tool output \uFFFD\uFFFD', author: { name: 'Ana\uFFFD' } });
  });
});
