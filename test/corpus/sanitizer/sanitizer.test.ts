// The whole sanitizer corpus through the pure sanitizer: every secret and every private datum
// caught, blame found on a held-out half of its sentences with recall and precision of at least
// 0.9, and at most 1% of near-misses changed. The figures are printed for BENCHMARKS and docs.
import { findBlame, sanitizeText } from '@sitrep/shared/sanitizer';
import { describe, expect, it } from 'vitest';
import { BLAMING, NEUTRAL } from './blame.js';
import { nearMissCorpus } from './nearMisses.js';
import { privateCorpus } from './privateData.js';
import { secretCorpus } from './secrets.js';
import { survives } from './survives.js';

const KEY = 'corpus-incident-key';

describe('sanitizer corpus', () => {
  it('catches every secret of 300+ samples across 60+ providers', async () => {
    const corpus = secretCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((s) => s.provider.replace(/^PEM .*/, 'PEM'))).size).toBeGreaterThanOrEqual(60);
    const missed: string[] = [];
    for (const s of corpus) {
      const { value, counts } = await sanitizeText(s.text, { key: KEY });
      if (survives(value, s.secret) || !counts.secret) missed.push(`${s.provider}: ${s.text.slice(0, 120)}`);
    }
    console.log(`secrets: ${corpus.length - missed.length}/${corpus.length} caught`);
    expect(missed).toEqual([]);
  });

  it('replaces every private datum of 200+ samples with a placeholder of its type', async () => {
    const corpus = privateCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const missed: string[] = [];
    for (const s of corpus) {
      const { value, counts } = await sanitizeText(s.text, { key: KEY });
      if (value.includes(s.datum) || !counts[s.type] || !value.includes(`[${s.type}-`))
        missed.push(`${s.type}: ${s.text} -> ${value}`);
    }
    const byType = new Map<string, number>();
    for (const s of corpus) byType.set(s.type, (byType.get(s.type) ?? 0) + 1);
    console.log(
      `private data: ${corpus.length - missed.length}/${corpus.length} caught`,
      Object.fromEntries(byType),
    );
    expect(missed).toEqual([]);
  });

  it('changes at most 1% of 300+ near-misses', async () => {
    const corpus = nearMissCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const changed: string[] = [];
    for (const text of corpus) {
      const { value } = await sanitizeText(text, { key: KEY });
      if (value !== text) changed.push(`${text.slice(0, 100)} -> ${value.slice(0, 100)}`);
    }
    console.log(`near-misses: ${changed.length}/${corpus.length} changed`, changed);
    expect(changed.length / corpus.length).toBeLessThanOrEqual(0.01);
  });

  it('flags blame with recall and precision of at least 0.9 on the held-out half', () => {
    expect(BLAMING).toHaveLength(100);
    expect(NEUTRAL).toHaveLength(100);
    const measure = (half: 0 | 1) => {
      const blaming = BLAMING.filter((_, i) => i % 2 === half);
      const neutral = NEUTRAL.filter((_, i) => i % 2 === half);
      const tp = blaming.filter((s) => findBlame(s).length > 0).length;
      const fp = neutral.filter((s) => findBlame(s).length > 0).length;
      return { recall: tp / blaming.length, precision: tp / (tp + fp) };
    };
    const tuned = measure(0);
    const held = measure(1);
    console.log(
      `blame: tuning half recall ${tuned.recall} precision ${tuned.precision}; held-out half ` +
        `recall ${held.recall} precision ${held.precision}`,
    );
    expect(held.recall).toBeGreaterThanOrEqual(0.9);
    expect(held.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('never rewrites a blaming sentence: it is flagged, with the sentence and why', async () => {
    for (const s of BLAMING.slice(0, 10)) {
      const { value, blame } = await sanitizeText(s, { key: KEY });
      expect(value).toBe(s);
      expect(blame[0]?.sentence).toBe(s);
      expect(blame[0]?.reasons.length).toBeGreaterThan(0);
    }
  });
});
