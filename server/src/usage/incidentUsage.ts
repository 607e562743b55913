// An incident's AI usage as `GET /api/incidents/:id/usage` answers it: the harnesses' usage by
// author and model and the summarizer's by model, each priced at list prices, with totals. Pure:
// the stored sums and the price table in, the answer out.
import { NO_TOKENS, TOKEN_KINDS, type TokenCounts, type UsageResponse } from '@sitrep/shared';
import type { SummarizerUsageRow } from '../store/SummaryLog.js';
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

export function incidentUsage(
  incident: string,
  harnessRows: readonly HarnessUsageRow[],
  summarizerRows: readonly SummarizerUsageRow[],
  prices: PriceTable,
): UsageResponse {
  const harness = harnessRows.map((r) => ({
    author: { tokenId: r.tokenId, name: r.author },
    model: r.model,
    sessions: r.sessions,
    tokens: r.tokens,
    costUsd: costOf(prices, r.model, r.tokens),
    reportedCostUsd: r.reportedCostUsd,
  }));
  const summarizer = summarizerRows.map((r) => ({ ...r, costUsd: costOf(prices, r.model, r.tokens) }));
  const unpriced = new Set(
    [...harness, ...summarizer].filter((l) => l.costUsd === null).map((l) => l.model || '(unknown model)'),
  );
  return {
    incident,
    harness,
    summarizer,
    totals: { harness: total(harness), summarizer: total(summarizer) },
    unpriced: [...unpriced].sort(),
    prices: 'list',
  };
}
