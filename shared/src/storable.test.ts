import { describe, expect, it } from 'vitest';
import { EntryDraft } from './entry.js';
import { containsUnstorable, cut, isoDay, isoTime, storableValue } from './storable.js';

describe('storableValue', () => {
  it('replaces NUL and unpaired surrogates in strings and keys, and keeps pairs and everything else', () => {
    const value = {
      body: 'a\u0000b \ud800 c \udc00\ud83d',
      title: 'pool 🔥 hot',
      refs: ['x\ud83d'],
      n: 3,
      ok: true,
      none: null,
      'k\u0000': 'v',
    };
    const repaired = storableValue(value);
    expect(repaired).toEqual({
      body: 'a\uFFFDb \uFFFD c \uFFFD\uFFFD',
      title: 'pool 🔥 hot',
      refs: ['x\uFFFD'],
      n: 3,
      ok: true,
      none: null,
      'k\uFFFD': 'v',
    });
    expect(containsUnstorable(value)).toBe(true);
    expect(containsUnstorable(repaired)).toBe(false);
  });

  it('makes a draft the schema refused into one it accepts', () => {
    const draft = {
      kind: 'note',
      body: 'tool output \u0000\udfff',
      author: { id: 'ana', name: 'Ana\ud800', kind: 'human' },
    };
    expect(EntryDraft.safeParse(draft).success).toBe(false);
    expect(EntryDraft.parse(storableValue(draft))).toMatchObject({
      body: 'tool output \uFFFD\uFFFD',
      author: { name: 'Ana\uFFFD' },
    });
  });
});

describe('cut', () => {
  it('keeps the first n units, one fewer where the cut would split a surrogate pair', () => {
    const s = 'ab🔥cd'; // the pair is units 2 and 3
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => cut(s, n))).toEqual([
      'a',
      'ab',
      'ab',
      'ab🔥',
      'ab🔥c',
      'ab🔥cd',
      'ab🔥cd',
    ]);
    expect(cut('\ud7ff\ud7ff', 1)).toBe('\ud7ff'); // just below the high surrogates: an ordinary unit
    expect(cut('\ue000\ue000', 1)).toBe('\ue000'); // just above the surrogates
    expect(cut('\udc00\udc00', 1)).toBe('\udc00'); // a low surrogate ends nothing it could split
  });
});

describe('isoTime', () => {
  it('takes what Postgres stores as written, and refuses the ISO times it cannot', () => {
    const ok = (s: string) => isoTime().safeParse(s).success;
    expect(
      [
        '2026-11-24T14:00:00Z',
        '2026-11-24T14:00:00+15:59',
        '2026-11-24T14:00:00-15:00',
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999Z',
        '0001-01-01T00:30:00-01:00',
      ].filter((t) => !ok(t)),
    ).toEqual([]);
    expect(
      [
        '0000-06-01T00:00:00Z',
        '2026-11-24T14:00:00+16:00',
        '2026-11-24T14:00:00-16:00',
        '0001-01-01T00:30:00+01:00',
        '9999-12-31T23:30:00-01:00',
        'yesterday',
      ].filter(ok),
    ).toEqual([]);
  });
});

describe('isoDay', () => {
  it('takes the days Postgres stores, and refuses year 0000 and days that are not', () => {
    const ok = (s: string) => isoDay().safeParse(s).success;
    expect(['0001-01-01', '2028-02-29', '9999-12-31'].filter((d) => !ok(d))).toEqual([]);
    expect(
      ['0000-01-01', '0000-12-31', '2026-02-29', '2026-13-01', '2026-11-01T00:00:00Z'].filter(ok),
    ).toEqual([]);
  });
});
