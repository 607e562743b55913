// The SQL schema, in drizzle. One definition serves PGlite and Postgres; drizzle-kit generates
// the migrations in migrations/ from it.
import type { Entry } from '@sitrep/shared';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const incidents = pgTable('incidents', {
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
 * The merged document state up to and including `seq`, deflated and cut into `part`s of at most
 * 1 MiB (drivers move many small values much faster than one huge one); the log after it is the
 * tail.
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
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.id] }),
    index('entries_incident_kind').on(t.incidentId, t.kind),
    index('entries_incident_author').on(t.incidentId, t.authorId),
    index('entries_incident_at').on(t.incidentId, t.at),
    index('entries_search').using('gin', sql`to_tsvector('simple', coalesce(${t.title}, '') || ' ' || ${t.body})`),
  ],
);

/** Access tokens. Only a hash of the secret is kept; the token is shown once, when made. */
export const tokens = pgTable('tokens', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').notNull(),
  /** Set when the token is limited to one incident. */
  incidentId: text('incident_id'),
  label: text('label').notNull(),
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
