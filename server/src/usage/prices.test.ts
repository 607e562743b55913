import { NO_TOKENS } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, costOf, priceOf } from './prices.js';

describe('model prices', () => {
  it('prices a dated model by its longest prefix', () => {
    expect(priceOf(DEFAULT_PRICES, 'claude-opus-4-5-20251101')).toMatchObject({ input: 5, output: 25 });
    expect(priceOf(DEFAULT_PRICES, 'claude-opus-4-1-20250805')).toMatchObject({ input: 15, output: 75 });
    expect(priceOf(DEFAULT_PRICES, 'claude-sonnet-4-5-20250929')).toMatchObject({ input: 3, cacheRead: 0.3 });
    expect(priceOf(DEFAULT_PRICES, 'claude-3-5-haiku-20241022')).toMatchObject({ input: 0.8, output: 4 });
  });

  it('reads a cloud provider’s model names from their claude-', () => {
    expect(priceOf(DEFAULT_PRICES, 'us.anthropic.claude-haiku-4-5-20251001-v1:0')).toMatchObject({
      input: 1,
    });
    expect(priceOf(DEFAULT_PRICES, 'claude-sonnet-4-5@20250929')).toMatchObject({ input: 3 });
  });

  it('matches a prefix only at a dash, and has no price for other models', () => {
    expect(priceOf({ 'claude-x': DEFAULT_PRICES['claude-sonnet'] as never }, 'claude-xl')).toBeNull();
    expect(priceOf(DEFAULT_PRICES, 'gpt-5')).toBeNull();
    expect(costOf(DEFAULT_PRICES, 'gpt-5', { ...NO_TOKENS, input: 10 })).toBeNull();
  });

  it('costs each kind of token at its price per million', () => {
    const tokens = { input: 1_000_000, output: 100_000, cacheRead: 2_000_000, cacheCreation: 400_000 };
    expect(costOf(DEFAULT_PRICES, 'claude-sonnet-4-5', tokens)).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 9);
  });
});
