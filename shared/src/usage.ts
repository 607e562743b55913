// AI usage of an incident: what the responders' harnesses spent (reported over OTLP, or read from
// a harness's transcript by the local hook) and what sitrep's summarizer spent, in tokens and
// money. The bodies of `POST` and `GET /api/incidents/:id/usage`.
import { z } from 'zod';
import { isoTime } from './storable.js';

/** The kinds of tokens a Claude model bills, as Claude Code's `type` attribute names them. */
export const TOKEN_KINDS = ['input', 'output', 'cacheRead', 'cacheCreation'] as const;
export const TokenKind = z.enum(TOKEN_KINDS);
export type TokenKind = z.infer<typeof TokenKind>;

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const TokenCounts = z.strictObject({
  input: Count,
  output: Count,
  cacheRead: Count,
  cacheCreation: Count,
});
export type TokenCounts = z.infer<typeof TokenCounts>;

export const NO_TOKENS: TokenCounts = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };

export const totalTokens = (t: TokenCounts): number => t.input + t.output + t.cacheRead + t.cacheCreation;

/** At most this many messages in one report; the hook sends a long backlog in several. */
export const MAX_USAGE_MESSAGES = 500;

/**
 * What a local hook read from its harness's transcript: the model messages of one session, each
 * counted once by its id however often it is sent.
 */
export const UsageReport = z.strictObject({
  sessionId: z.string().min(1).max(200),
  messages: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(200),
        model: z.string().min(1).max(200),
        at: isoTime(),
        tokens: TokenCounts,
      }),
    )
    .min(1)
    .max(MAX_USAGE_MESSAGES),
});
export type UsageReport = z.infer<typeof UsageReport>;

export const UsageReportResponse = z.object({
  /** Messages counted by this report; those counted before are not counted again. */
  counted: z.number().int().min(0),
});
export type UsageReportResponse = z.infer<typeof UsageReportResponse>;

/** Money in US dollars at list prices, or null when the price table has no price for the model. */
const Usd = z.number().min(0).nullable();

export const HarnessUsageLine = z.object({
  author: z.object({ tokenId: z.string(), name: z.string() }),
  model: z.string(),
  sessions: z.number().int().min(0),
  tokens: TokenCounts,
  costUsd: Usd,
  /** What the harness itself reported it cost (Claude Code's `claude_code.cost.usage`), when it did. */
  reportedCostUsd: z.number().min(0).nullable(),
});
export type HarnessUsageLine = z.infer<typeof HarnessUsageLine>;

export const SummarizerUsageLine = z.object({
  model: z.string(),
  runs: z.number().int().min(0),
  tokens: TokenCounts,
  costUsd: Usd,
});
export type SummarizerUsageLine = z.infer<typeof SummarizerUsageLine>;

const UsageTotal = z.object({ tokens: TokenCounts, costUsd: z.number().min(0) });

export const UsageResponse = z.object({
  incident: z.string(),
  harness: z.array(HarnessUsageLine),
  summarizer: z.array(SummarizerUsageLine),
  /** Sums of each side; the cost of models without a price is left out (see `unpriced`). */
  totals: z.object({ harness: UsageTotal, summarizer: UsageTotal }),
  /** Models used that the price table has no price for. */
  unpriced: z.array(z.string()),
  /** What the costs are: list prices per million tokens, as configured. */
  prices: z.literal('list'),
});
export type UsageResponse = z.infer<typeof UsageResponse>;

/**
 * An incident's usage summed before pricing, as a store keeps it for insights: the harnesses' by
 * token and model (without the token's name, which may change) and the summarizer's by model.
 */
export const UsageSums = z.object({
  harness: z.array(HarnessUsageLine.omit({ author: true, costUsd: true }).extend({ tokenId: z.string() })),
  summarizer: z.array(SummarizerUsageLine.omit({ costUsd: true })),
});
export type UsageSums = z.infer<typeof UsageSums>;
export type HarnessUsageSum = UsageSums['harness'][number];
export type SummarizerUsageSum = UsageSums['summarizer'][number];
export const NO_USAGE: UsageSums = { harness: [], summarizer: [] };
