// The HTTP API's request and response bodies, shared by the server and its clients.
import { z } from 'zod';
import { ActorKind, Entry, EntryDraft, EntryId, EntryKind } from './entry.js';
import { IncidentId, IncidentSummary, Severity } from './incident.js';
import { RelatedIncident } from './memory.js';
import { ScenarioFields } from './scenario.js';
import { queryFlag } from './queryParams.js';
import { isoTime } from './storable.js';
import { Role } from './role.js';
import { CommanderView, RulesView, SummarizerStatus, Timeline } from './view.js';
import { Brief } from './brief.js';
import { LogPoint } from './exportDocument.js';
import { EntryReceipt } from './receipt.js';
import { ReviewFlag } from './review.js';
import { dataTypeSchema } from './sanitizer/dataTypes.js';
import { PRIVATE_TYPES, PrivateType } from './sanitizer/dataTypes.js';
import { Allowances, privacyPolicySchema } from './sanitizer/policy.js';

/** At most this many entries in one append; larger batches are split by the client. */
export const MAX_APPEND_BATCH = 500;

/**
 * An id given twice in one batch comes with the same entry each time (a retry folded into a
 * batch): only one could be stored, so two different ones would acknowledge what was not.
 */
const oneEntryPerId = (entries: readonly { id?: string | undefined }[]) => {
  const first = new Map<string, unknown>();
  return entries.every((e) => {
    if (e.id === undefined) return true;
    const seen = first.get(e.id);
    if (seen === undefined) first.set(e.id, e);
    return seen === undefined || JSON.stringify(seen) === JSON.stringify(e);
  });
};

export const AppendEntriesRequest = z.strictObject({
  entries: z
    .array(EntryDraft)
    .min(1)
    .max(MAX_APPEND_BATCH)
    .refine(oneEntryPerId, 'must not give one entry id to two different entries'),
});
export type AppendEntriesRequest = z.input<typeof AppendEntriesRequest>;

export const AppendEntriesResponse = z.object({
  entries: z.array(z.object({ id: EntryId, seq: z.number().int(), created: z.boolean() })),
});
export type AppendEntriesResponse = z.infer<typeof AppendEntriesResponse>;

export const EntryQuery = z.strictObject({
  kind: EntryKind.optional(),
  author: z.string().min(1).max(128).optional(),
  since: isoTime().optional(),
  after: EntryId.optional(),
  /** Full-text search over title, rationale and body (all the words, any order). */
  q: z.string().min(1).max(200).optional(),
  /** Only the entries flagged for review (a sentence blames or judges a person: review.ts). */
  flagged: queryFlag(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
/** An entries filter as the server reads it (the limit defaulted); clients may give any part of it. */
export type EntryQuery = z.output<typeof EntryQuery>;

/**
 * Entries with the receipts (by entry id) of those that have one (which token wrote each, when it
 * arrived) and the blame flags of those flagged for review.
 */
export const EntriesResponse = z.object({
  entries: z.array(Entry),
  receipts: z.record(z.string(), EntryReceipt),
  flags: z.record(z.string(), z.array(ReviewFlag)),
});

/** Receipts in log order, a page at a time; `after` is the `next` of the page before (more come while `more`). */
export const ReceiptsQuery = z.strictObject({
  after: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(5000),
});
export const ReceiptsResponse = z.object({
  receipts: z.record(z.string(), EntryReceipt),
  next: z.string().nullable(),
  more: z.boolean(),
});

/** A page of the incident list, most recently active first; `archived=true` lists the archived. */
export const IncidentListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next` of the page before. */
  cursor: z.string().min(1).max(100).optional(),
  archived: queryFlag(),
});

export const IncidentsResponse = z.object({
  incidents: z.array(IncidentSummary),
  next: z.string().nullable(),
});
export type IncidentsResponse = z.infer<typeof IncidentsResponse>;

/** Admin: takes an incident out of the default list (still readable) or puts it back. */
export const ArchiveRequest = z.strictObject({ archived: z.boolean() });

export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const CreateTokenRequest = z
  .strictObject({
    role: Role,
    incidentId: IncidentId.optional(),
    label: z.string().min(1).max(120),
    /** Whom the token is for: a person (the dashboard) or a harness. Presence shows it. */
    kind: ActorKind.default('human'),
    /** Seconds until the token expires; none means it lasts until revoked. */
    expiresIn: z
      .number()
      .int()
      .min(60)
      .max(366 * 24 * 3600)
      .optional(),
    /**
     * Reads only its own incident too (someone outside the team); any other token limited to an
     * incident reads every non-private incident as a viewer. Needs `incidentId`.
     */
    isolated: z.boolean().optional(),
  })
  .refine((r) => !r.isolated || r.incidentId !== undefined, {
    message: 'an isolated token must be limited to one incident (incidentId; --incident in the CLI)',
    path: ['isolated'],
  });
export type CreateTokenRequest = z.input<typeof CreateTokenRequest>;

/** A token's public id, the `<id>` in `sitrep_<id>_<secret>`. */
export const TokenId = z
  .string()
  .regex(/^[a-z0-9]{12}$/, 'must be a token id (12 lower-case letters and digits)');

export const TokenSummary = z.object({
  id: TokenId,
  role: Role,
  kind: ActorKind,
  incidentId: z.string().nullable(),
  /** Reads only its own incident (README "Visibility"). */
  isolated: z.boolean(),
  label: z.string(),
  /** Whom a connected harness's token is for (POST /api/incidents/:id/connect); null otherwise. */
  name: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummary>;

/** A token just made: the secret, shown only in this answer, and its summary. */
export const TokenCreated = z.object({ token: z.string(), summary: TokenSummary });
export type TokenCreated = z.infer<typeof TokenCreated>;

/**
 * A new incident (made or imported); a private one made by a token that is not an admin's comes
 * with a commander token limited to it, since the maker's own token cannot read it.
 */
export const CreateIncidentResponse = z.object({ incident: IncidentSummary, token: TokenCreated.optional() });
export type CreateIncidentResponse = z.infer<typeof CreateIncidentResponse>;

/**
 * `POST /api/drills`: a drill from exactly one of a scenario file's text, a scenario's fields, or
 * one of our incidents to replay (a drill of a private incident is private). A scenario drill's
 * id comes from its key (front matter id, else a hash of its content): sent again, the drill is
 * found, not made twice.
 */
export const CreateDrill = z
  .strictObject({
    /** Bounded by the body's limit; past SCENARIO_LIMITS.fileBytes it is request.too_large. */
    scenario: z.string().optional(),
    fields: ScenarioFields.optional(),
    fromIncident: IncidentId.optional(),
    severity: Severity.default('SEV3'),
    commander: z.string().min(1).max(128).optional(),
    private: z.boolean().optional(),
  })
  .refine(
    (d) => [d.scenario, d.fields, d.fromIncident].filter((x) => x !== undefined).length === 1,
    "give exactly one of scenario (a scenario file's text), fields or fromIncident",
  );
export type CreateDrill = z.input<typeof CreateDrill>;

/**
 * The drill, whether this request made it (`created: false`: a drill of the same scenario key
 * exists), the related past incidents the creator's token may read (per request, never stored in
 * the drill), and a private drill's keeper token when its maker is not an admin.
 */
export const CreateDrillResponse = CreateIncidentResponse.extend({
  created: z.boolean(),
  related: z.array(RelatedIncident),
});
export type CreateDrillResponse = z.infer<typeof CreateDrillResponse>;

/** Admin: makes an incident private or not (README "Visibility"); audited. */
export const PrivateRequest = z.strictObject({ private: z.boolean() });

export const AuditRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  incidentId: z.string().nullable(),
  tokenId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z.strictObject({
  incident: IncidentId.optional(),
  action: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const PurgeRequest = z.strictObject({ reason: z.string().min(1).max(500) });
export const PurgeResponse = z.object({
  purged: EntryId,
  seq: z.number().int(),
  rewritten: z.number().int(),
});

/** `at` is a sequence number or an ISO time; the answer is the document as of that point. */
export const ReplayQuery = z.strictObject({ at: LogPoint });

export const ReplayResponse = z.object({
  seq: z.number().int(),
  meta: z.record(z.string(), z.unknown()),
  entries: z.array(Entry),
});
export type ReplayResponse = z.infer<typeof ReplayResponse>;

/** The `view` root as the API returns it; a key not yet written is null. */
export const IncidentViewResponse = z.object({
  seq: z.number().int(),
  rules: RulesView.nullable(),
  timeline: Timeline.nullable(),
  commander: CommanderView.nullable(),
  summarizer: SummarizerStatus.nullable(),
});
export type IncidentViewResponse = z.infer<typeof IncidentViewResponse>;

/** The commander's andon cord for the LLM summarizer of one incident. */
export const SummarizerControl = z.strictObject({ paused: z.boolean() });

export const SummaryRun = z.object({
  at: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  latencyMs: z.number().int(),
  watermark: z.string().nullable(),
  error: z.string().nullable(),
  view: z.record(z.string(), z.unknown()).nullable(),
});
export const SummariesResponse = z.object({ summaries: z.array(SummaryRun) });
export const SummariesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** Who a token is, as `GET /api/me` says. */
export const Me = z.object({
  tokenId: z.string(),
  label: z.string(),
  role: Role,
  incidentId: IncidentId.nullable(),
  /** Reads only its own incident (README "Visibility"): other incidents are not found to it. */
  isolated: z.boolean(),
});
export type Me = z.infer<typeof Me>;

/**
 * Where the client's last brief left off: its `seq` (a log position), or, from clients older
 * than `seq`, its `watermark` (an entry id: the server takes the log position where it landed).
 */
export const BriefSince = z.union(
  [
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    z.number().int().min(0),
    EntryId,
  ],
  {
    error: "must be a log position (the last brief's seq) or an entry id",
  },
);

export const BriefQuery = z.strictObject({
  since: BriefSince.optional(),
  maxTokens: z.coerce.number().int().min(200).max(100_000).default(2_000),
});
export const BriefResponse = z.object({ brief: Brief, markdown: z.string() });
export type BriefResponse = z.infer<typeof BriefResponse>;

/**
 * What a client needs before it redacts for an incident (`GET /api/incidents/:id/sanitizer`,
 * tokens that may write it): the key placeholders are made under, the deployment's policy with
 * the incident's allowances applied, and those allowances.
 */
export const SanitizerSettings = z.object({
  key: z.string().min(1),
  policy: privacyPolicySchema,
  allowances: Allowances,
});
export type SanitizerSettings = z.infer<typeof SanitizerSettings>;

/**
 * One line of a scan of stored entries for what the sanitizer now catches (NDJSON): an entry
 * caught, with what it holds (type, the secret rule or the private type, how many; never the
 * text), or the progress so far; the last line is the progress with `done`.
 */
export const ScanFinding = z.object({
  type: dataTypeSchema,
  rule: z.string(),
  count: z.number().int().min(1),
});
export type ScanFinding = z.infer<typeof ScanFinding>;
export const ScanLine = z.union([
  z.object({ id: EntryId, kind: EntryKind, found: z.array(ScanFinding).min(1) }),
  z.object({
    scanned: z.number().int().min(0),
    total: z.number().int().min(0),
    caught: z.number().int().min(0),
    done: z.boolean(),
  }),
]);
export type ScanLine = z.infer<typeof ScanLine>;

/** Commander: the private data types the incident allows (the whole set; `[]` withdraws them all). */
export const AllowancesRequest = z.strictObject({ allow: z.array(PrivateType).max(PRIVATE_TYPES.length) });
export type AllowancesRequest = z.infer<typeof AllowancesRequest>;
