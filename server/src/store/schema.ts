// The SQL schema, in drizzle. One definition serves PGlite and Postgres; drizzle-kit generates
// the migrations in migrations/ from it.
import type { Entry, EntryFigures, MilestoneMeta, ReviewFlag, UsageSums } from '@sitrep/shared';
import type { PrivateType } from '@sitrep/shared/sanitizer';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Binary columns. Written as base64 text that Postgres decodes: PGlite turns a bytea parameter
 * into text in JavaScript, on the event loop (a 100k-entry snapshot's 12 MB stalled it for 4 to
 * 5 s; as base64 about 1 s), and postgres.js sends hex, twice the bytes. Reads go through
 * `encode(…, 'base64')` for the same reasons (Store.ts).
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (bytes) =>
    sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')`,
});

/** Postgres's text-search document; written only by the database (SearchIndex.ts, generated columns). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    kind: text('kind').notNull(),
    commander: text('commander'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last sequence number handed out; bumped under this row's lock. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /** The commander pulled the andon cord: no LLM runs for this incident until resumed. */
    summarizerPaused: boolean('summarizer_paused').notNull().default(false),
    /** The sequence number of the last purge: a snapshot of a state before it is not stored. */
    purgedSeq: bigint('purged_seq', { mode: 'number' }).notNull().default(0),
    /** Set while an admin has archived it: out of the default list, still readable. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /**
     * The key the sanitizer makes this incident's placeholders under (`newIncidentKey`): given to
     * tokens that may write the incident, never put in its document, views or exports. Null for
     * incidents made before it existed, until first asked for.
     */
    sanitizerKey: text('sanitizer_key'),
    /**
     * Private data types a commander allowed for this incident (sorted), over the deployment's
     * policy. Cross-incident search and related leave such an incident out (`withoutAllowances`).
     */
    allowances: jsonb('allowances').$type<PrivateType[]>().notNull().default([]),
    /**
     * A private incident (security, HR) is readable only by tokens limited to it and by admins, and
     * is not found for everyone else (store/visibility.ts). Set at creation; changed only by an
     * admin, audited. Never in the document's `meta`, so no socket can change it.
     */
    private: boolean('private').notNull().default(false),
    /** The title as a text-search document: "seen before" matches incident titles too. */
    search: tsvector('search').notNull().generatedAlwaysAs(sql.raw(`to_tsvector('simple', title)`)),
    /**
     * The meta's milestone times, mirrored from the document with the title and status, so
     * insights read them without loading documents; null until first mirrored (an incident made
     * before the column, until it is next loaded).
     */
    milestones: jsonb('milestones').$type<MilestoneMeta>(),
    /** When it was declared (`declaredAt` of the milestones): what insights filter and group by. */
    declaredAt: timestamp('declared_at', { withTimezone: true }),
  },
  (t) => [index('incidents_search').using('gin', t.search), index('incidents_declared').on(t.declaredAt)],
);

/**
 * What each incident's entries say in figures (`entryFigures`), as of the log position `seq`: kept
 * until the incident's last_seq passes it (an append or a purge), then computed again from the
 * entries projection, so insights never read every entry of every incident.
 */
export const incidentFigures = pgTable('incident_figures', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  figures: jsonb('figures').$type<EntryFigures>().notNull(),
});

/**
 * Each incident's AI usage summed for insights (`UsageSums`, before pricing) as of `sums_seq`.
 * `seq` counts the recordings of its usage (harness usage, summarizer runs), bumped in the
 * transaction that records each (`usageRecorded`); sums older than it are summed again when next
 * read. An incident without a row has no usage. A counter, not the newest row id: ids are handed
 * out before commit, so a row may commit after a later id was read.
 */
export const usageSums = pgTable('usage_sums', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  sumsSeq: bigint('sums_seq', { mode: 'number' }),
  sums: jsonb('sums').$type<UsageSums>(),
});

/** The append-only log: every accepted Yjs update, in per-incident sequence order. */
export const updates = pgTable(
  'updates',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    bytes: bytea('bytes').notNull(),
    tokenId: text('token_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.seq] })],
);

/**
 * The merged document state up to and including `seq`, cut into `part`s that are each deflated on
 * their own and at most 1 MiB (drivers move many small values much faster than one huge one, and
 * parts inflate side by side); the log after it is the tail.
 */
export const snapshots = pgTable(
  'snapshots',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    part: integer('part').notNull().default(0),
    bytes: bytea('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.seq, t.part] })],
);

/**
 * Which writer each Yjs client id belongs to: the token that first wrote under it, or null for
 * the server's own. The gate refuses new changes under a client id from anyone else, so nobody
 * can take the next clocks of another writer's client (which would make its own writes look
 * like resends). Filled in the same statement as the log rows that first use each id.
 */
export const clients = pgTable(
  'clients',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    client: bigint('client', { mode: 'number' }).notNull(),
    tokenId: text('token_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.client] })],
);

/** A query projection of the `entries` root, written in the same transaction as the log rows. */
export const entries = pgTable(
  'entries',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    id: text('id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    authorId: text('author_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    title: text('title'),
    body: text('body').notNull(),
    data: jsonb('data').$type<Entry>().notNull(),
    /**
     * The entry's receipt, the server's word beside the writer's `author` and `at`: the token
     * that wrote it (null for the server's own writes and imports), that token's label (or, for
     * an import, the label its export carried; null: no receipt), and when it arrived.
     */
    tokenId: text('token_id'),
    via: text('via'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The entry's blame flags (review.ts), `[]` when it blames no one, null while not yet checked
     * (rows from before flags were projected; `Store.flagUnchecked` fills them in). Derived,
     * never part of the entry: the entry stays as its writer wrote it.
     */
    blame: jsonb('blame').$type<ReviewFlag[]>(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.id] }),
    index('entries_incident_kind').on(t.incidentId, t.kind),
    index('entries_incident_author').on(t.incidentId, t.authorId),
    index('entries_incident_at').on(t.incidentId, t.at),
    // What landed after a point in the log: what the summarizer has not shown the model yet.
    index('entries_incident_seq').on(t.incidentId, t.seq),
    // The entries flagged for review, and the rows still to be checked: both few.
    index('entries_flagged').on(t.incidentId, t.id).where(sql`${t.blame} <> '[]'::jsonb`),
    index('entries_unchecked').on(t.incidentId, t.id).where(sql`${t.blame} is null`),
  ],
);

/**
 * Which words (the lexemes of `entry_search.search`) each incident's entries hold, and in which
 * kinds of entry (`kinds`: bit i set for `ENTRY_KINDS[i]`): what "seen before" counts a word's
 * incidents from, at most one small row per incident and word instead of every entry holding it.
 * Written only by the database, in the statement that changes `entry_search` (triggers of
 * migrations 0022 and 0023, the insert trigger's function as 0025 and 0026 left it), so after the
 * commit, in the search indexer's pass: an inserted entry adds its words, a deleted one (a purge)
 * takes out those no other entry of its incident holds.
 * `lexeme` sorts bytewise (collation "C"), so a stem's words are one index range.
 */
export const incidentTerms = pgTable(
  'incident_terms',
  {
    lexeme: text('lexeme').notNull(),
    /** No foreign key (since 0023): a key check per row written; rows come only from entry_search. */
    incidentId: text('incident_id').notNull(),
    kinds: integer('kinds').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lexeme, t.incidentId] })],
);

/**
 * The search index of the entries projection: each entry's weighted text-search document
 * (SearchIndex.ts says what goes into it) with what search filters and orders by. Maintained
 * after the commit, in batches, by the search indexer (server/src/memory/SearchIndexer.ts): it
 * lags the log by a bounded time and holds only durable entries. A purge deletes an entry's row
 * here in its own transaction.
 */
export const entrySearch = pgTable(
  'entry_search',
  {
    /** No foreign key: a key check per row cost the pass; rows come only from entries, which has one. */
    incidentId: text('incident_id').notNull(),
    id: text('id').notNull(),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    search: tsvector('search').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.id] }),
    // The newest entries first, across incidents: search's candidates for a common word.
    index('entry_search_at').on(t.at, t.id),
    // A short pending list (256 kB, not 4 MB): a search reads all of it, and on PGlite merging it
    // runs on the event loop; the indexer merges it whenever it has caught up (SearchIndex.ts).
    index('entry_search_search').using('gin', t.search).with({ gin_pending_list_limit: 256 }),
  ],
);

/**
 * How far each incident's log is in `entry_search`: every entry before `seq` is indexed, and of
 * the log row at `seq` those up to `entry` by id (all of them when null). An incident without a
 * row has nothing indexed yet.
 */
export const searchProgress = pgTable('search_progress', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  entry: text('entry'),
});

/** Access tokens. Only a hash of the secret is kept; the token is shown once, when made. */
export const tokens = pgTable('tokens', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').notNull(),
  /** Whom it is for: `human` or `harness`; a socket's presence says so whatever the client claims. */
  kind: text('kind').notNull().default('human'),
  /** Set when the token is limited to one incident. */
  incidentId: text('incident_id'),
  /**
   * An isolated token (someone outside the team) reads only its own incident; any other token
   * limited to one incident reads every incident it may see as a viewer (store/visibility.ts).
   */
  isolated: boolean('isolated').notNull().default(false),
  label: text('label').notNull(),
  /**
   * Whom a responder token made by "connect a harness" is for ("Priya"), sanitized: entries its
   * harness sends over /mcp and /hooks are written under this name, whatever the client says.
   */
  name: text('name'),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** Who did what: writes, refusals, token changes, purges, exports. Append-only. */
export const audit = pgTable(
  'audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action').notNull(),
    incidentId: text('incident_id'),
    tokenId: text('token_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('audit_incident_at').on(t.incidentId, t.at), index('audit_at').on(t.at)],
);

/**
 * Short leases that make one node at a time do an incident's derived work (views, summaries).
 * A lease is held until `expires_at`; its holder renews it, anyone may take an expired one.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Every commander view the LLM made: what it cost and what it said. */
export const summaries = pgTable(
  'summaries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    /** The newest entry the run saw. */
    watermark: text('watermark'),
    /** The stored view, or null when the run failed. */
    view: jsonb('view').$type<Record<string, unknown>>(),
    error: text('error'),
  },
  (t) => [index('summaries_incident_at').on(t.incidentId, t.at)],
);

/**
 * What a remote Claude Code harness's hooks keep between calls (`POST /hooks/claude-code`), per
 * token, incident and harness session: where its last brief left off, so the next says only
 * what changed, and the turns it ended. A local hook keeps the same in `~/.sitrep`.
 */
export const hookSessions = pgTable(
  'hook_sessions',
  {
    tokenId: text('token_id')
      .notNull()
      .references(() => tokens.id),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    sessionId: text('session_id').notNull(),
    /** The log position the last brief was made at; null before the first. */
    briefSeq: bigint('brief_seq', { mode: 'number' }),
    turns: integer('turns').notNull().default(0),
    lastTurnAt: timestamp('last_turn_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.incidentId, t.sessionId] })],
);

/**
 * The AI usage of responders' harnesses, one row per reported point and kind: tokens of a kind
 * (`input`, `output`, `cacheRead`, `cacheCreation`) or the cost the harness reported (`cost`),
 * per incident, token (the author), harness session and model. `tokens` and `cost_usd` are what
 * the row adds, so sums over any grouping are the usage. A point is counted once: the unique key
 * is its series and time span, so a retried export or a message sent again adds nothing.
 */
export const harnessUsage = pgTable(
  'harness_usage',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    tokenId: text('token_id')
      .notNull()
      .references(() => tokens.id),
    /** The harness's session (Claude Code's session.id); '' when it did not say. */
    sessionId: text('session_id').notNull(),
    /** '' when the harness did not say. */
    model: text('model').notNull(),
    kind: text('kind').notNull(),
    /** Where it came from: `otlp` (a metrics export) or `transcript` (the local hook read it). */
    source: text('source').notNull(),
    /** OTLP: a hash of the series (resource, scope, metric, attributes); transcript: the message id. */
    series: text('series').notNull(),
    /** The point's span in Unix nanoseconds (a transcript message: 0 and 0). */
    startNs: bigint('start_ns', { mode: 'bigint' }).notNull(),
    endNs: bigint('end_ns', { mode: 'bigint' }).notNull(),
    /** The point's value as sent: a cumulative point's running total, a delta point's delta. */
    value: doublePrecision('value').notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    /** When the usage happened (the point's time). */
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The series' other attributes, private data dropped (user.account_uuid, organization.id, ...). */
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('harness_usage_point').on(
      t.incidentId,
      t.tokenId,
      t.source,
      t.series,
      t.kind,
      t.startNs,
      t.endNs,
    ),
    index('harness_usage_incident_at').on(t.incidentId, t.at),
  ],
);
