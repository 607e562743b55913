// Incident memory's API shapes: search across incidents (`GET /api/search`) and "seen before"
// (`GET /api/incidents/:id/related`). The server ranks (server/src/memory); clients (CLI, MCP
// tools, the brief, the dashboard) read these shapes.
import { z } from 'zod';
import { Entry, EntryId, EntryKind } from './entry.js';
import { IncidentId, IncidentKind, Severity, Status } from './incident.js';
import { queryFlag } from './queryParams.js';

/** At most this many bytes of query text; more is a 400, as is an empty query. */
export const MAX_QUERY_BYTES = 1024;

const utf8 = new TextEncoder();
const queryText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((q) => utf8.encode(q).length <= MAX_QUERY_BYTES, `must be at most ${MAX_QUERY_BYTES} bytes`);

/**
 * `GET /api/search`: `q` is plain text (quotes, operators, `:*` and SQL are words, never syntax);
 * `incident` narrows to one incident; drills are included (marked by `incident.kind`) unless
 * `drills=false`.
 */
export const SearchQuery = z.strictObject({
  q: queryText,
  kind: EntryKind.optional(),
  status: Status.optional(),
  incident: IncidentId.optional(),
  drills: queryFlag(true),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.output<typeof SearchQuery>;

/** The incident a memory result belongs to, as much as a reader needs to judge it. */
export const MemoryIncident = z.object({
  id: IncidentId,
  title: z.string(),
  status: Status,
  severity: Severity,
  kind: IncidentKind,
});
export type MemoryIncident = z.infer<typeof MemoryIncident>;

export const SearchResult = z.object({
  incident: MemoryIncident,
  entry: Entry,
  score: z.number(),
  /** The matching words in context, matches wrapped in `**`; plain text otherwise. */
  snippet: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const SearchResponse = z.object({ results: z.array(SearchResult) });
export type SearchResponse = z.infer<typeof SearchResponse>;

/** `GET /api/incidents/:id/related`: incidents like this one, or (`entry`) like one of its entries. */
export const RelatedQuery = z.strictObject({
  entry: EntryId.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  /** Drills are left out of "seen before" unless asked for. */
  drills: queryFlag(),
});
export type RelatedQuery = z.output<typeof RelatedQuery>;

/** A theory rejected in a related incident, with the rationale given then. */
export const RejectedTheory = z.object({
  theory: Entry,
  rationale: z.string().nullable(),
});
export type RejectedTheory = z.infer<typeof RejectedTheory>;

/** What happened in a related incident: its confirmed cause, dead ends, decisions and open follow-ups. */
export const RelatedOutcome = z.object({
  confirmed: z.array(Entry),
  rejected: z.array(RejectedTheory),
  decisions: z.array(Entry),
  /** Actions and gaps not yet done or answered. */
  openActions: z.array(Entry),
});
export type RelatedOutcome = z.infer<typeof RelatedOutcome>;

/**
 * Set on a related incident whose cause is like the best match's, when that raised its score:
 * the best match, and words the two causes share.
 */
export const RelatedCause = z.object({ incident: IncidentId, terms: z.array(z.string()) });
export type RelatedCause = z.infer<typeof RelatedCause>;

export const RelatedIncident = z.object({
  incident: MemoryIncident,
  score: z.number(),
  /**
   * Why it matched: shared distinctive terms (words and pairs of words, generic ones left out),
   * service names and error strings, and the cause it shares with the best match, if any.
   */
  why: z.object({
    terms: z.array(z.string()),
    services: z.array(z.string()),
    errors: z.array(z.string()),
    cause: RelatedCause.optional(),
  }),
  outcome: RelatedOutcome,
});
export type RelatedIncident = z.infer<typeof RelatedIncident>;

export const RelatedResponse = z.object({ related: z.array(RelatedIncident) });
export type RelatedResponse = z.infer<typeof RelatedResponse>;
