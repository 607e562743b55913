// The model price table: list prices in US dollars per million tokens of each kind, by model name
// prefix, and the cost of some tokens under it. The defaults are Anthropic's published list prices
// for the Claude models (SITREP_MODEL_PRICES overrides or adds models); they are list prices,
// not what a contract or a plan bills.
import { TOKEN_KINDS, type TokenCounts } from '@sitrep/shared';
import { z } from 'zod';

const PerMillion = z.number().min(0).max(10_000);

export const ModelPrice = z.strictObject({
  input: PerMillion,
  output: PerMillion,
  cacheRead: PerMillion,
  cacheCreation: PerMillion,
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Model name prefixes (`claude-sonnet-4-5` also prices `claude-sonnet-4-5-20250929`) to prices. */
export const PriceTable = z.record(
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'must be a model name or prefix (lowercase, digits, . and -)'),
  ModelPrice,
);
export type PriceTable = z.infer<typeof PriceTable>;

const price = (input: number, output: number): ModelPrice => ({
  input,
  output,
  // Anthropic bills a cache read at a tenth of input and a (5-minute) cache write at 1.25 times.
  cacheRead: input / 10,
  cacheCreation: input * 1.25,
});

/**
 * List prices per million tokens (USD). The bare family names (`claude-opus`, ...) price models
 * newer than this table at the family's latest price; set SITREP_MODEL_PRICES when they differ.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-opus': price(5, 25),
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-3-opus': price(15, 75),
  'claude-sonnet': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-3-5-sonnet': price(3, 15),
  'claude-haiku': price(1, 5),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
  'claude-3-haiku': { input: 0.25, output: 1.25, cacheRead: 0.03, cacheCreation: 0.3 },
};

/**
 * The price of a model: the longest key that is the model's name or a prefix of it ending at a
 * `-`. A cloud provider's name (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`,
 * `claude-sonnet-4-5@20250929`) is read from its `claude-`.
 */
export function priceOf(table: PriceTable, model: string): ModelPrice | null {
  const at = model.indexOf('claude-');
  const name = (at > 0 ? model.slice(at) : model).toLowerCase().replace('@', '-');
  let best: string | null = null;
  for (const key of Object.keys(table))
    if ((name === key || name.startsWith(`${key}-`)) && key.length > (best?.length ?? -1)) best = key;
  return best === null ? null : (table[best] ?? null);
}

/** What the tokens cost at the model's list price, or null when the table has no price for it. */
export function costOf(table: PriceTable, model: string, tokens: TokenCounts): number | null {
  const p = priceOf(table, model);
  if (!p) return null;
  let usd = 0;
  for (const kind of TOKEN_KINDS) usd += (tokens[kind] * p[kind]) / 1_000_000;
  return usd;
}
