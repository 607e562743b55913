// An incident's AI usage as `GET /api/incidents/:id/usage` answers it: the harnesses' usage by
// author and model and the summarizer's by model, each priced at list prices, with totals; and
// the same sums priced for insights. Pure: the stored sums and the price table in, the answer out.
import {
  type HarnessUsageSum,
  NO_TOKENS,
  type SummarizerUsageSum,
  TOKEN_KINDS,
  type TokenCounts,
  type UsageResponse,
} from '@sitrep/shared';
import type { HarnessUsageRow } from '../store/UsageLog.js';
import { type PriceTable, costOf } from './prices.js';

function total(lines: readonly { tokens: TokenCounts; costUsd: number | null }[]) {
  const tokens = { ...NO_TOKENS };
  let costUsd = 0;
  for (const line of lines) {
    for (const kind of TOKEN_KINDS) tokens[kind] += line.tokens[kind];
    costUsd += line.costUsd ?? 0;
  }
  return { tokens, costUsd };
}

/** Usage sums priced at list prices, with each side's totals and the models the table has no price for. */
export function pricedUsage<H extends HarnessUsageSum>(
  sums: { harness: readonly H[]; summarizer: readonly SummarizerUsageSum[] },
  prices: PriceTable,
) {
  const harness = sums.harness.map((r) => ({ ...r, costUsd: costOf(prices, r.model, r.tokens) }));
  const summarizer = sums.summarizer.map((r) => ({ ...r, costUsd: costOf(prices, r.model, r.tokens) }));
  const unpriced = new Set(
    [...harness, ...summarizer].filter((l) => l.costUsd === null).map((l) => l.model || '(unknown model)'),
  );
  return {
    harness,
    summarizer,
    totals: { harness: total(harness), summarizer: total(summarizer) },
    unpriced: [...unpriced].sort(),
  };
}

export function incidentUsage(
  incident: string,
  harnessRows: readonly HarnessUsageRow[],
  summarizerRows: readonly SummarizerUsageSum[],
  prices: PriceTable,
): UsageResponse {
  const priced = pricedUsage({ harness: harnessRows, summarizer: summarizerRows }, prices);
  return {
    incident,
    ...priced,
    harness: priced.harness.map((r) => ({
      author: { tokenId: r.tokenId, name: r.author },
      model: r.model,
      sessions: r.sessions,
      tokens: r.tokens,
      costUsd: r.costUsd,
      reportedCostUsd: r.reportedCostUsd,
    })),
    prices: 'list',
  };
}
