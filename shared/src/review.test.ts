import { describe, expect, it } from 'vitest';
import type { Entry } from './entry.js';
import { blameReasons, reviewFlags, shareReviewFlags } from './review.js';

const entry = (extra: Partial<Entry>): Entry => ({
  v: 1,
  id: '01JD0000000000000000000001',
  kind: 'note',
  body: 'checkout p99 is back under 300 ms.',
  author: { id: 'dave', name: 'Dave', kind: 'human' },
  at: '2026-12-05T07:00:00.000Z',
  ...extra,
});

describe('review flags', () => {
  it('flags the sentences of the title, body and rationale that blame a person, with why', () => {
    const e = entry({
      kind: 'decision',
      title: "Roll back Lisa's deploy",
      body: 'The pool is saturated. Lisa broke prod by pushing straight to main.',
      rationale: 'Pure human error, again.',
    });
    expect(reviewFlags(e)).toEqual([
      {
        field: 'body',
        sentence: 'Lisa broke prod by pushing straight to main.',
        reasons: ['names a person as the cause'],
      },
      { field: 'rationale', sentence: 'Pure human error, again.', reasons: ['"human error"'] },
    ]);
    expect(blameReasons(reviewFlags(e))).toEqual(['names a person as the cause', '"human error"']);
  });

  it('does not read the author, tags or evidence as prose, nor flag what blames a system', () => {
    const e = entry({
      author: { id: 'x', name: 'Careless Whisper', kind: 'human' },
      tags: ['human error'],
      evidence: [{ label: 'Dave broke prod' }],
      body: 'Redis caused the spike; the cache should have expired.',
    });
    expect(reviewFlags(e)).toEqual([]);
  });

  it('checks an entry once: entries never change', () => {
    const e = entry({ body: 'Tom ignored the alert for forty minutes.' });
    expect(reviewFlags(e)).toBe(reviewFlags(e));
  });

  it("shares an entry's flags with its copy decoded again, and with nothing else", () => {
    const blaming = entry({ body: 'Tom ignored the alert for forty minutes.' });
    const copy = structuredClone(blaming);
    shareReviewFlags(blaming, copy);
    expect(reviewFlags(copy)).toBe(reviewFlags(blaming));
    const other = entry({ body: 'The pool is saturated.' });
    shareReviewFlags(blaming, other);
    expect(reviewFlags(other)).toEqual([]);
    const changed = { ...structuredClone(other), title: 'Tom ignored the alert.' };
    shareReviewFlags(other, changed);
    expect(reviewFlags(changed)).toHaveLength(1);
  });
});
