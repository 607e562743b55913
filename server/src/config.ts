// Server configuration: environment variables parsed once by one zod schema. A bad value stops
// start-up with a message that names the variable.
import { z } from 'zod';
import { SitrepError } from '@sitrep/shared';
import { type PrivacyPolicy, privacyPolicySchema } from '@sitrep/shared/sanitizer';
import { DEFAULT_PRICES, PriceTable } from './usage/prices.js';

/** Empty strings count as unset, as shells and compose files often export them. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** A comma-separated list; empty items dropped. */
const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** A JSON object, or undefined when unset; what the object holds is for the schema after it. */
const jsonText = (v: unknown, ctx: z.RefinementCtx): unknown => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    return z.NEVER;
  }
};

/**
 * The privacy policy, as `email=redact,phone=refuse` or as JSON (`{"card":"refuse"}`); a type
 * not named is redacted. Read into an object for privacyPolicySchema to check.
 */
const policyText = (v: unknown, ctx: z.RefinementCtx): unknown => {
  if (typeof v !== 'string' || v.trim() === '') return {};
  if (v.trim().startsWith('{')) return jsonText(v, ctx);
  const pairs = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split('=').map((p) => p.trim()));
  const bad = pairs.find((p) => p.length !== 2 || !p[0] || !p[1]);
  if (bad) {
    ctx.addIssue({
      code: 'custom',
      message: `"${bad.join('=')}" is not type=action (e.g. email=redact,card=refuse)`,
    });
    return z.NEVER;
  }
  return Object.fromEntries(pairs);
};

const Env = z.object({
  SITREP_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default('127.0.0.1')),
  SITREP_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(8787)),
  SITREP_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().min(1).default('./.sitrep')),
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  ANTHROPIC_API_KEY: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  ANTHROPIC_BASE_URL: z.preprocess(unsetIfEmpty, z.url().optional()),
  SITREP_SUMMARY_MODEL: z.preprocess(unsetIfEmpty, z.string().min(1).default('claude-sonnet-5-5')),
  SITREP_SUMMARY_DEBOUNCE_MS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(0).max(600_000).default(5_000),
  ),
  SITREP_SUMMARY_TOKENS_PER_HOUR: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(200_000)),
  SITREP_SUMMARY_MAX_INPUT_TOKENS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1_000).max(1_000_000).default(12_000),
  ),
  SITREP_SUMMARY_BREAKER_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().min(0.05).max(3_600).default(30),
  ),
  SITREP_SUMMARY_TIMEOUT_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().min(0.1).max(600).default(60)),
  SITREP_SNAPSHOT_EVERY: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1_000_000).default(1000),
  ),
  SITREP_IDLE_UNLOAD_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().min(0.05).max(86_400).default(600),
  ),
  SITREP_TOKEN_RECHECK_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().min(0.05).max(3_600).default(30),
  ),
  SITREP_ALLOWED_HOSTS: list.pipe(
    z.array(
      z
        .string()
        .regex(/^(\*|\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)$/, 'must be host names, .domain suffixes or *'),
    ),
  ),
  SITREP_ALLOWED_ORIGINS: list.pipe(
    z.array(
      z.union([
        z.literal('*'),
        z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins like https://sitrep.example.com, or *'),
      ]),
    ),
  ),
  SITREP_MAX_SOCKETS_PER_TOKEN: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(100_000).default(100),
  ),
  SITREP_PRESENCE_PER_SECOND: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1_000).default(10),
  ),
  SITREP_SYNC_REQUESTS_PER_MINUTE: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1_000_000).default(30),
  ),
  SITREP_IMPORT_MAX_MB: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(10).max(1024).default(64)),
  SITREP_INCIDENTS_PER_HOUR: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1_000_000).default(20),
  ),
  SITREP_PRIVACY_POLICY: z.preprocess(policyText, privacyPolicySchema),
  /** Prices per million tokens by model, as JSON (`{"claude-sonnet-4-5":{"input":3,...}}`), over the defaults. */
  SITREP_MODEL_PRICES: z.preprocess(jsonText, PriceTable.optional()),
  SITREP_LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  anthropic: { apiKey: string | undefined; baseUrl: string | undefined; model: string };
  summarizer: {
    /** Quiet time after the last change before an LLM run. */
    debounceMs: number;
    /** Input plus output tokens one incident may spend in an hour. */
    tokensPerHour: number;
    /** The most a run's request may hold (estimated); older new entries are left out first. */
    maxInputTokens: number;
    timeoutMs: number;
    /** How long the breaker stays open after it first opens; doubling on each reopening. */
    breakerCooldownMs: number;
  };
  logLevel: z.infer<typeof Env>['SITREP_LOG_LEVEL'];
  /** What the sanitizer does with each type of private data, before a commander's allowances for one incident. */
  privacy: PrivacyPolicy;
  /** List prices per million tokens by model (usage/prices.ts): the defaults with SITREP_MODEL_PRICES over them. */
  prices: PriceTable;
  /** Log rows between snapshots of a document. */
  snapshotEvery: number;
  /** A document nobody has used for this long is unloaded from memory. */
  idleUnloadMs: number;
  /**
   * How often a node asks the database whether the tokens of its open sockets still hold: a
   * revocation reaches every node at once by NOTIFY, and this catches one a node did not hear.
   */
  tokenRecheckMs: number;
  /** Host names and browser origins requests may come with, besides IP literals, localhost and the request's own origin. */
  allowedHosts: string[];
  allowedOrigins: string[];
  /** What one token or socket may use, so no client can take a node for itself. */
  limits: {
    /** Sockets one token may hold open on one node. */
    socketsPerToken: number;
    /** Presence updates per socket per second that go through; faster ones are merged. */
    presencePerSecond: number;
    /**
     * Sync step 1 and query-awareness requests (each) per socket per minute that are answered
     * once a socket's burst is spent; faster ones wait, the newest answered.
     */
    syncRequestsPerMinute: number;
    /** Incidents one token (not an admin's) may create or import in any hour. */
    incidentsPerHour: number;
    /** The largest import body: a JSON export of up to 100,000 entries. */
    importMaxBytes: number;
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new SitrepError('config.invalid', `invalid configuration:\n  ${lines.join('\n  ')}`, lines);
  }
  const e = parsed.data;
  return {
    host: e.SITREP_HOST,
    port: e.SITREP_PORT,
    dataDir: e.SITREP_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.SITREP_SUMMARY_MODEL },
    summarizer: {
      debounceMs: e.SITREP_SUMMARY_DEBOUNCE_MS,
      tokensPerHour: e.SITREP_SUMMARY_TOKENS_PER_HOUR,
      maxInputTokens: e.SITREP_SUMMARY_MAX_INPUT_TOKENS,
      timeoutMs: e.SITREP_SUMMARY_TIMEOUT_SECONDS * 1000,
      breakerCooldownMs: e.SITREP_SUMMARY_BREAKER_SECONDS * 1000,
    },
    logLevel: e.SITREP_LOG_LEVEL,
    privacy: e.SITREP_PRIVACY_POLICY,
    prices: { ...DEFAULT_PRICES, ...e.SITREP_MODEL_PRICES },
    snapshotEvery: e.SITREP_SNAPSHOT_EVERY,
    idleUnloadMs: e.SITREP_IDLE_UNLOAD_SECONDS * 1000,
    tokenRecheckMs: e.SITREP_TOKEN_RECHECK_SECONDS * 1000,
    allowedHosts: e.SITREP_ALLOWED_HOSTS,
    allowedOrigins: e.SITREP_ALLOWED_ORIGINS,
    limits: {
      socketsPerToken: e.SITREP_MAX_SOCKETS_PER_TOKEN,
      presencePerSecond: e.SITREP_PRESENCE_PER_SECOND,
      syncRequestsPerMinute: e.SITREP_SYNC_REQUESTS_PER_MINUTE,
      incidentsPerHour: e.SITREP_INCIDENTS_PER_HOUR,
      importMaxBytes: e.SITREP_IMPORT_MAX_MB * 1024 * 1024,
    },
  };
}
