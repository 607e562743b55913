// Storage for incidents, the update log and the entries projection. Knows SQL, not sockets:
// the room hands it accepted updates and the entries they add, and reads the log back.
import {
  type Entry,
  type EntryQuery,
  type EntryReceipt,
  type IncidentMeta,
  IncidentKind,
  type IncidentSummary,
  type Receipt,
  type ReviewFlag,
  type TokenSummary,
  SitrepError,
  arrivalSkewed,
  bySize,
  declaredAt,
  reviewFlags,
} from '@sitrep/shared';
import type { PrivateType } from '@sitrep/shared/sanitizer';
import {
  type SQL,
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  sql,
} from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { CLIENT_TAKEN, atStorageEdge } from './faults.js';
import { type Database, type DatabaseHandle, literal, openDatabase, rowsOf } from './db.js';
import { type AuditEvent, AuditLog, auditRow } from './AuditLog.js';
import { HookSessions } from './HookSessions.js';
import {
  audit,
  clients,
  entries,
  entrySearch,
  incidents,
  snapshots,
  summaries,
  tokens,
  updates,
} from './schema.js';
import { SnapshotUnpacker, packSnapshot, snapshotsToKeep } from './snapshotCodec.js';
import { MemoryIndex } from './MemoryIndex.js';
import { SearchIndex, matchingEntries } from './SearchIndex.js';
import { OutcomeFigures } from './OutcomeFigures.js';
import { ALLOWANCES_CHANNEL, PrivacySettings } from './PrivacySettings.js';
import { SummaryLog } from './SummaryLog.js';
import { UsageLog } from './UsageLog.js';
import { type NewToken, TOKEN_CHANNEL, TokenStore, toTokenSummary, tokenCreated } from './TokenStore.js';
import {
  type Reader,
  VISIBILITIES,
  VISIBILITY_CHANNEL,
  type Visibility,
  readableAs,
  readableBy,
  visibilityOf,
} from './visibility.js';
import type { LogAppend, LogRow, PurgeBy, Snapshot, UpdateLog } from './UpdateLog.js';
import { type LogWrites, jsonText, logBytes, logWrites } from './logWrites.js';

/** The channel on which every commit announces `incident:seq` to the other nodes. */
export const LOG_CHANNEL = 'sitrep_log';

/** The channel on which a purge announces its incident: what nodes keep of it must go. */
export const PURGE_CHANNEL = 'sitrep_purge';

/** The channel on which nodes relay presence to each other: said, never stored. */
export const PRESENCE_CHANNEL = 'sitrep_presence';

/** Projection rows checked for blame per statement by `flagUnchecked`. */
const FLAG_PAGE_ROWS = 500;

/** Rows read per page when a purge rewrites the log. */
const PAGE_ROWS = 1000;

/**
 * Reads a bytea column as base64 text: Postgres otherwise sends bytea as hex, twice the bytes,
 * and a 100k-entry snapshot then takes twice as long to fetch and decode.
 */
const base64Of = (column: AnyPgColumn) =>
  sql<string>`encode(${column}, 'base64')`.mapWith((b64: string): Uint8Array => Buffer.from(b64, 'base64'));

/**
 * Stored bytes one read of the log or of a snapshot fetches at most (a larger row is read alone).
 * PGlite runs each statement on the event loop, about 20 to 40 ms a MiB here: reading a large
 * incident's log in one statement held every socket and request of the node for 0.1 to 0.4 s.
 * Postgres runs it in its own process and Node only decodes the answer, so its pages are larger:
 * a 100k-entry snapshot (16 MB stored) took 58 round trips at 256 KiB, each waiting for the last.
 */
const READ_PAGE_BYTES = { pglite: 256 * 1024, postgres: 4 * 1024 * 1024 } as const;
/**
 * Pages of a snapshot read at once. PGlite reads on the event loop: one at a time. Postgres reads
 * in processes of its own: the next pages are encoded there while this one is decoded here (the
 * 100k snapshot's 16 MB read in 250 to 270 ms with every page at once, 310 to 350 one by one).
 */
const SNAPSHOT_PAGES_READ_AT_ONCE = { pglite: 1, postgres: 3 } as const;
/**
 * Lets I/O callbacks run before the next page is read. PGlite answers in microtasks, so a loop of
 * reads would otherwise run as one task however small each page is.
 */
const betweenPages = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rows whose sizes are listed at a time, to plan the pages that read them. */
const LIST_ROWS = 10_000;

/** A column's stored size in bytes (from its header: not read whole). */
const sizeOf = (column: AnyPgColumn) => sql<number>`octet_length(${column})`.mapWith(Number);

/**
 * What reading an entry's row costs, in bytes, from headers (nothing read whole): its stored JSON
 * (compressed, when large) and the raw length of its body, the bulk of a large entry and what a
 * compressed one inflates back to.
 */
const entrySize = sql<number>`pg_column_size(${entries.data}) + octet_length(${entries.body})`.mapWith(
  Number,
);

/**
 * Entry bytes one read of entries fetches at most (a larger entry is read alone). Less than a log
 * page: PGlite turns each into objects (JSON) on the event loop, and four readers of 5,000 entries
 * each wait for the others' pages, as /healthz waits for them all.
 */
const ENTRY_PAGE_BYTES = 64 * 1024;

/** Consecutive runs of listed rows whose sizes add up to at most `most` bytes (a larger row alone). */
function pages<T extends { size: number }>(
  listed: readonly T[],
  most: number,
): { first: T; last: T; length: number }[] {
  const out: { first: T; last: T; length: number }[] = [];
  let bytes = Infinity;
  for (const row of listed) {
    const page = out.at(-1);
    if (!page || bytes + row.size > most) {
      out.push({ first: row, last: row, length: 1 });
      bytes = row.size;
    } else {
      page.last = row;
      page.length++;
      bytes += row.size;
    }
  }
  return out;
}

/** Log bytes one append statement carries at most; a larger commit takes several in one transaction. */
const STATEMENT_BYTES = 8 * 1024 * 1024;

/** What one append statement is run with: its row count, its incident, its rows as JSON text. */
type AppendValues = {
  n: number;
  incident: string;
  writes: string;
};

/**
 * The append statement: ONE statement (one round trip, atomic without a transaction) that bumps
 * the incident's last_seq (taking its row lock, so commit order is sequence order), then inserts
 * the log rows, the entries projection (with each entry's blame flags), the audit rows numbered
 * from it (a `write` per token's update, an `incident.meta` per change of the meta, whoever made
 * it) and the client ids first written, and notifies the other nodes (delivered at commit).
 * Everything travels as one JSON parameter, the update bytes in base64, parsed once as jsonb (`->`
 * on `json` parses the text again at every use, which cost Postgres about 0.1 ms of CPU per entry).
 * Its one row holds the first sequence number (none when there is no such incident). The column
 * names are schema.ts's. Over `sql.placeholder`s it is the statement prepared once (APPEND);
 * over values, the same statement for a transaction.
 */
function appendQuery(p: Record<keyof AppendValues, unknown>): SQL {
  return sql`
    with inc as (
      update ${incidents} set last_seq = last_seq + ${p.n}::bigint, updated_at = now()
      where id = ${p.incident}::text returning last_seq - ${p.n}::bigint as base
    ), w as (
      select inc.base + w.i as seq, w.x->>'b' as b, w.x->>'t' as t, w.x->'e' as e, w.x->'f' as f, w.x->'c' as c, w.x->'r' as r,
        w.x->'m' as m,
        -- The writer's token label once per write, not once per entry row (a subplan each).
        (select k.label from ${tokens} k where k.id = w.x->>'t') as via
      from inc, jsonb_array_elements(${p.writes}::jsonb) with ordinality as w(x, i)
    ), log_rows as (
      insert into ${updates} (incident_id, seq, bytes, token_id)
      select ${p.incident}::text, w.seq, decode(w.b, 'base64'), w.t from w
    ), entry_rows as (
      insert into ${entries} (incident_id, id, seq, kind, author_id, at, title, body, data, token_id, via, blame)
      select ${p.incident}::text, v->>'id', w.seq, v->>'kind', v->'author'->>'id', (v->>'at')::timestamptz, v->>'title', v->>'body', v,
        w.t, w.via, w.f->((j - 1)::int)
      from w, jsonb_array_elements(w.e) with ordinality as ev(v, j)
    ), audit_rows as (
      insert into ${audit} (action, incident_id, token_id, detail)
      select 'write', ${p.incident}::text, w.t,
        jsonb_strip_nulls(jsonb_build_object('seq', w.seq, 'entries', jsonb_array_length(w.e), 'redactions', w.r))
      from w where w.t is not null
    ), meta_rows as (
      insert into ${audit} (action, incident_id, token_id, detail)
      select 'incident.meta', ${p.incident}::text, w.t, jsonb_build_object('seq', w.seq) || w.m
      from w where jsonb_typeof(w.m) = 'object'
    ), claims as (
      select (v->>'client')::bigint as client, v->>'tokenId' as token_id from w, jsonb_array_elements(w.c) as v
    ), claim_rows as (
      insert into ${clients} (incident_id, client, token_id)
      select distinct on (client) ${p.incident}::text, client, token_id from claims
      on conflict (incident_id, client) do update set token_id = ${clients}.token_id
      returning client, token_id
    )
    select (base + 1)::text as first, pg_notify(${LOG_CHANNEL}::text, ${p.incident}::text || ':' || (base + ${p.n}::bigint)),
      -- A claim of an id that is someone else's fails the whole statement (a cast error names it).
      (select min((${sql.raw(literal(CLIENT_TAKEN))} || r.client)::int) from claim_rows r join claims q using (client)
        where r.token_id is distinct from q.token_id) as taken
    from inc`;
}

/** The append statement as the hot path prepares it: made (and rendered) once, not per commit. */
const APPEND = appendQuery({
  n: sql.placeholder('n'),
  incident: sql.placeholder('incident'),
  writes: sql.placeholder('writes'),
});

/** Runs the append statement in a transaction. */
const appendIn =
  (tx: Database) =>
  (values: AppendValues): Promise<unknown> =>
    tx.execute(appendQuery(values));

/**
 * Appends a statement's log rows (see appendQuery) through `run`; resolves with the first
 * sequence number, incident.not_found when there is no such incident.
 */
async function appendStatement(
  run: (values: AppendValues) => Promise<unknown>,
  incidentId: string,
  statement: LogWrites,
): Promise<number> {
  const result = await run({ n: statement.rows, incident: incidentId, writes: jsonText(statement) });
  const first = rowsOf(result)[0]?.first;
  if (typeof first !== 'string') throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
  return Number(first);
}

/** The incident row's columns that mirror the document's meta. */
function metaColumns(meta: IncidentMeta) {
  return {
    title: meta.title,
    severity: meta.severity,
    status: meta.status,
    kind: meta.kind,
    commander: meta.commander ?? null,
    milestones: {
      createdAt: meta.createdAt,
      startedAt: meta.startedAt ?? null,
      detectedAt: meta.detectedAt ?? null,
      acknowledgedAt: meta.acknowledgedAt ?? null,
      mitigatedAt: meta.mitigatedAt ?? null,
      resolvedAt: meta.resolvedAt ?? null,
    },
    declaredAt: new Date(declaredAt(meta)),
  };
}

/** The incident columns a summary is made of, by their names in a row. */
const SUMMARY_COLUMNS = {
  id: incidents.id,
  title: incidents.title,
  severity: incidents.severity,
  status: incidents.status,
  kind: incidents.kind,
  commander: incidents.commander,
  createdAt: incidents.createdAt,
  updatedAt: incidents.updatedAt,
  lastSeq: incidents.lastSeq,
  archivedAt: incidents.archivedAt,
  private: incidents.private,
};
type SummaryRow = Pick<typeof incidents.$inferSelect, keyof typeof SUMMARY_COLUMNS>;

/**
 * `readableIncident`'s statement for each kind of reader (store/visibility.ts), made once: the
 * upgrade of every socket and every request for an incident run it, so it is prepared (see
 * `DatabaseHandle.prepared`: PGlite parsed and planned it on every call), the incident's id and
 * the reader's own incident its placeholders.
 */
const READABLE_INCIDENT = Object.fromEntries(
  VISIBILITIES.map((visibility) => [
    visibility,
    sql`select ${sql.join(Object.values(SUMMARY_COLUMNS), sql`, `)} from ${incidents}
      where ${incidents.id} = ${sql.placeholder('id')} and ${readableAs(visibility, sql.placeholder('own'))}`,
  ]),
) as Record<Visibility, SQL>;

/** A row of READABLE_INCIDENT as the drivers return it, through the columns' own mappings. */
function summaryRow(raw: Record<string, unknown>): SummaryRow {
  return Object.fromEntries(
    Object.entries(SUMMARY_COLUMNS).map(([key, column]) => {
      const value = raw[column.name];
      return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value as never)];
    }),
  ) as SummaryRow;
}

function toSummary(row: SummaryRow): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity as IncidentSummary['severity'],
    status: row.status as IncidentSummary['status'],
    kind: row.kind as IncidentSummary['kind'],
    commander: row.commander,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastSeq: row.lastSeq,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    private: row.private,
  };
}

/** Who creates an incident (an HTTP create or an import), and how many an hour they may. */
export interface Creator {
  /** The audit record of the creation, written in its transaction; counted by the quota. */
  audit: AuditEvent & { action: 'incident.create' | 'import'; tokenId: string };
  /** Incidents this token may create in any hour; null: no limit (admins). */
  perHour: number | null;
  /**
   * A token for the creator, limited to the new incident, written (and its creation audited) in
   * the incident's transaction: how a creator who is not an admin keeps reading a private one.
   */
  keeper?: Omit<NewToken, 'incidentId'> | null;
}

/** An incident just made, and the token made with it for its creator (`Creator.keeper`), if any. */
export interface CreatedIncident {
  incident: IncidentSummary;
  keeper: TokenSummary | null;
}

export interface IncidentPage {
  incidents: IncidentSummary[];
  /** The cursor of the next page, or null on the last. */
  next: string | null;
}

/** A position in the list, most recently active first: `<updated_at in µs since 1970>.<id>`. */
const CURSOR = /^(\d{1,20})\.([a-z0-9-]{1,64})$/;

/** The projection's receipt columns. */
const receiptColumns = {
  id: entries.id,
  tokenId: entries.tokenId,
  via: entries.via,
  receivedAt: entries.receivedAt,
};

/** The receipts of projection rows that have one (a `via`), by entry id. */
function receiptsOf(
  rows: readonly { id: string; at: string; tokenId: string | null; via: string | null; receivedAt: Date }[],
): Record<string, EntryReceipt> {
  const out: Record<string, EntryReceipt> = {};
  for (const r of rows) {
    if (r.via === null) continue;
    const receivedAt = r.receivedAt.toISOString();
    out[r.id] = { via: r.via, receivedAt, tokenId: r.tokenId, skewed: arrivalSkewed(r.at, receivedAt) };
  }
  return out;
}

/** Throws quota.exceeded when `by` has created `perHour` incidents in the last hour. */
async function checkCreationQuota(tx: Database, by: Creator): Promise<void> {
  // One creation of a token at a time, on any node: parallel requests cannot all see room.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sitrep.create.${by.audit.tokenId}`}))`);
  if (by.perHour === null) return;
  const [row] = await tx
    .select({ n: count(), oldest: sql<string | null>`min(${audit.at})::text` })
    .from(audit)
    .where(
      and(
        eq(audit.tokenId, by.audit.tokenId),
        inArray(audit.action, ['incident.create', 'import']),
        sql`${audit.at} > now() - interval '1 hour'`,
      ),
    );
  if (!row || row.n < by.perHour) return;
  const retryAfterSeconds = row.oldest
    ? Math.max(1, Math.ceil((Date.parse(row.oldest) + 3_600_000 - Date.now()) / 1000))
    : 3600;
  throw new SitrepError(
    'quota.exceeded',
    `this token has created ${row.n} incidents in the last hour, the most it may ` +
      `(SITREP_INCIDENTS_PER_HOUR); try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
    { limit: by.perHour, retryAfterSeconds },
  );
}

export class Store implements UpdateLog {
  readonly driver: DatabaseHandle['driver'];
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly summaries: SummaryLog;
  readonly privacy: PrivacySettings;
  readonly memory: MemoryIndex;
  readonly hookSessions: HookSessions;
  readonly usage: UsageLog;
  readonly figures: OutcomeFigures;
  readonly searchIndex: SearchIndex;
  private readonly db: Database;
  /** Called after each commit that moved an incident's log on (see `afterCommit`). */
  private readonly committed: (() => Promise<void> | void)[] = [];

  constructor(private readonly handle: DatabaseHandle) {
    this.db = handle.db;
    this.driver = handle.driver;
    this.tokens = atStorageEdge(new TokenStore(handle.db));
    this.audit = atStorageEdge(new AuditLog(handle.db));
    this.summaries = atStorageEdge(new SummaryLog(handle.db));
    this.privacy = atStorageEdge(new PrivacySettings(handle.db));
    this.memory = atStorageEdge(new MemoryIndex(handle.db));
    this.hookSessions = atStorageEdge(new HookSessions(handle.db));
    this.usage = atStorageEdge(new UsageLog(handle.db));
    this.figures = atStorageEdge(new OutcomeFigures(handle.db, this.usage, this.summaries));
    this.searchIndex = atStorageEdge(new SearchIndex(handle));
  }

  /**
   * Calls `listener` after every commit of this store that moved an incident's log on (an
   * append, a creation, a purge): what is maintained after the commit (the search index) has
   * work. The write resolves once the listeners have (the commit is durable before they run).
   * Commits of other nodes are heard through `listenForCommits`.
   */
  afterCommit(listener: () => Promise<void> | void): void {
    this.committed.push(listener);
  }

  private async tellCommitted(): Promise<void> {
    for (const listener of this.committed) await listener();
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  /** Writes the audit counts still open (best effort: the database may be the reason for closing). */
  async close(): Promise<void> {
    await this.audit.close().catch(() => {});
    await this.handle.close();
  }

  /**
   * Creates the incident row and its first log rows (the meta update; for an import, all of its
   * content) in one transaction: an incident exists whole or not at all. The rows come as their
   * statements (logWrites.ts's creationWrites), which an import's worker makes off the event loop.
   */
  async createIncident(
    id: string,
    meta: IncidentMeta,
    first: readonly LogWrites[],
    opts: {
      /** The sanitizer key its placeholders were (and will be) made under. */
      sanitizerKey: string;
      /** Readable only by admins and tokens limited to it (store/visibility.ts). */
      private?: boolean;
      by?: Creator | null;
      receipts?: Readonly<Record<string, Receipt>>;
      /** Private data types it allows from the start (an import's), audited as `incident.allow` by `by`. */
      allowances?: readonly PrivateType[];
    },
  ): Promise<CreatedIncident> {
    const { sanitizerKey, by = null, receipts = {}, allowances = [] } = opts;
    const created = await this.db.transaction(async (tx) => {
      if (by) await checkCreationQuota(tx, by);
      const created = await tx
        .insert(incidents)
        .values({
          id,
          ...metaColumns(meta),
          createdAt: new Date(meta.createdAt),
          sanitizerKey,
          private: opts.private ?? false,
          allowances: [...allowances],
        })
        .onConflictDoNothing()
        .returning();
      const row = created[0];
      if (!row) throw new SitrepError('incident.exists', `incident ${id} already exists`);
      for (const statement of first) {
        await betweenPages();
        await appendStatement(appendIn(tx), id, statement);
      }
      // An import keeps the receipts its export carried: the label, never a token of this server.
      const kept = Object.entries(receipts).map(([entry, r]) => ({ entry, via: r.via, at: r.receivedAt }));
      if (kept.length > 0) {
        await tx.execute(sql`
          update ${entries} set token_id = null, via = r.via, received_at = r.at::timestamptz
          from jsonb_to_recordset(${JSON.stringify(kept)}::jsonb) as r(entry text, via text, at text)
          where ${entries.incidentId} = ${id} and ${entries.id} = r.entry`);
      }
      if (by) await tx.insert(audit).values(auditRow(by.audit));
      if (by && allowances.length > 0)
        await tx.insert(audit).values(
          auditRow({
            action: 'incident.allow',
            incidentId: id,
            tokenId: by.audit.tokenId,
            detail: { allowances, added: allowances, removed: [] },
          }),
        );
      const [keeper] = by?.keeper
        ? await tx
            .insert(tokens)
            .values({ ...by.keeper, incidentId: id })
            .returning()
        : [];
      if (by && keeper)
        await tx.insert(audit).values(
          auditRow({
            action: 'token.create',
            incidentId: id,
            tokenId: by.audit.tokenId,
            detail: tokenCreated(keeper),
          }),
        );
      return {
        incident: toSummary({ ...row, lastSeq: first.reduce((n, w) => n + w.rows, 0) }),
        keeper: keeper ? toTokenSummary(keeper) : null,
      };
    });
    await this.tellCommitted();
    return created;
  }

  /**
   * Appends updates to an incident's log and projects their entries, in one transaction. The
   * sequence numbers are taken under the incident's row lock, so commit order is sequence order.
   */
  async appendUpdates(incidentId: string, items: readonly LogAppend[]): Promise<number[]> {
    if (items.length === 0) return [];
    const parts = bySize(items, STATEMENT_BYTES, Infinity, logBytes);
    const first = await (parts.length === 1
      ? appendStatement((values) => this.handle.prepared(APPEND, values), incidentId, logWrites(items))
      : this.db.transaction(async (tx) => {
          // Every part is written; the group's first seq is its first part's.
          const starts: number[] = [];
          for (const part of parts)
            starts.push(await appendStatement(appendIn(tx), incidentId, logWrites(part)));
          return starts[0] ?? 0;
        }));
    await this.tellCommitted();
    return items.map((_, i) => first + i);
  }

  /** Tells the other nodes, when the transaction commits, that the log has grown to `seq`. */
  private async announce(tx: Database, incidentId: string, seq: number): Promise<void> {
    await tx.execute(sql`select pg_notify(${LOG_CHANNEL}, ${`${incidentId}:${seq}`})`);
  }

  /** Calls `onCommit(incident, seq)` for every commit any node makes; see DatabaseHandle.listen. */
  listenForCommits(onCommit: (incidentId: string, seq: number) => void, onListen: () => void): Promise<void> {
    return this.handle.listen(
      LOG_CHANNEL,
      (payload) => {
        const at = payload.lastIndexOf(':');
        const seq = Number(payload.slice(at + 1));
        if (at > 0 && Number.isSafeInteger(seq)) onCommit(payload.slice(0, at), seq);
      },
      onListen,
    );
  }

  /**
   * Calls `onPurged(incidentId)` for every purge on any node; `onListen` runs each time the
   * listener (re)connects, since notifications sent while it was away are lost.
   */
  listenForPurges(onPurged: (incidentId: string) => void, onListen: () => void): Promise<void> {
    return this.handle.listen(PURGE_CHANNEL, onPurged, onListen);
  }

  /**
   * Calls `onRevoked(tokenId)` for every token revoked on any node; `onListen` runs each time the
   * listener (re)connects, since notifications sent while it was away are lost.
   */
  listenForRevocations(onRevoked: (tokenId: string) => void, onListen: () => void): Promise<void> {
    return this.handle.listen(TOKEN_CHANNEL, onRevoked, onListen);
  }

  /**
   * Calls `onChanged(incidentId)` for every change of an incident's allowances on any node;
   * `onListen` runs each time the listener (re)connects, since notifications sent while it was
   * away are lost.
   */
  listenForAllowances(onChanged: (incidentId: string) => void, onListen: () => void): Promise<void> {
    return this.handle.listen(ALLOWANCES_CHANNEL, onChanged, onListen);
  }

  /**
   * Calls `onChanged(incidentId)` for every change of an incident's privacy on any node;
   * `onListen` runs each time the listener (re)connects, since notifications sent while it was
   * away are lost.
   */
  listenForVisibility(onChanged: (incidentId: string) => void, onListen: () => void): Promise<void> {
    return this.handle.listen(VISIBILITY_CHANNEL, onChanged, onListen);
  }

  /** Says presence to the other nodes (see PresenceRelay); one statement, so its parts stay together. */
  publishPresence(payloads: readonly string[]): Promise<void> {
    return this.handle.notify(PRESENCE_CHANNEL, payloads);
  }

  /** Calls `onPayload` with what the other nodes say of presence. */
  listenForPresence(onPayload: (payload: string) => void): Promise<void> {
    return this.handle.listen(PRESENCE_CHANNEL, onPayload, () => {});
  }

  /** The last sequence number of each of these incidents. */
  async lastSeqs(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select({ id: incidents.id, lastSeq: incidents.lastSeq })
      .from(incidents)
      .where(inArray(incidents.id, [...ids]));
    return new Map(rows.map((r) => [r.id, r.lastSeq]));
  }

  /**
   * Purges leaked data from an incident's storage, in one transaction: every log row is passed to
   * `rewrite` (null keeps it), the entry's projection row and the snapshots are removed, and
   * `finalUpdate` is appended so nodes holding the document apply the purge too.
   */
  async purgeEntry(
    incidentId: string,
    entryId: string,
    rewrite: (bytes: Uint8Array) => Uint8Array | null,
    finalUpdate: Uint8Array,
    audited: PurgeBy,
  ): Promise<{ seq: number; rewritten: number }> {
    const purged = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ lastSeq: incidents.lastSeq })
        .from(incidents)
        .where(eq(incidents.id, incidentId))
        .for('update');
      if (!row) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
      let rewritten = 0;
      for (let after = 0; ; ) {
        const page = await tx
          .select({ seq: updates.seq, bytes: base64Of(updates.bytes) })
          .from(updates)
          .where(and(eq(updates.incidentId, incidentId), gt(updates.seq, after)))
          .orderBy(asc(updates.seq))
          .limit(PAGE_ROWS);
        for (const r of page) {
          const bytes = rewrite(r.bytes);
          if (!bytes) continue;
          await tx
            .update(updates)
            .set({ bytes })
            .where(and(eq(updates.incidentId, incidentId), eq(updates.seq, r.seq)));
          rewritten++;
        }
        if (page.length < PAGE_ROWS) break;
        after = page.at(-1)?.seq ?? after;
      }
      await tx.delete(entries).where(and(eq(entries.incidentId, incidentId), eq(entries.id, entryId)));
      // Out of search at once; an indexing pass in flight has finished (SearchIndex.pass).
      await tx
        .delete(entrySearch)
        .where(and(eq(entrySearch.incidentId, incidentId), eq(entrySearch.id, entryId)));
      await tx.delete(snapshots).where(eq(snapshots.incidentId, incidentId));
      // Stored LLM views that cite it may quote it too.
      await tx
        .update(summaries)
        .set({ view: null, error: 'removed: the view cited a purged entry' })
        .where(
          and(eq(summaries.incidentId, incidentId), sql`${summaries.view}::text like ${`%${entryId}%`}`),
        );
      const seq = row.lastSeq + 1;
      await tx.insert(updates).values({ incidentId, seq, bytes: finalUpdate, tokenId: audited.tokenId });
      await tx
        .update(incidents)
        .set({ lastSeq: seq, purgedSeq: seq, updatedAt: new Date() })
        .where(eq(incidents.id, incidentId));
      await this.announce(tx, incidentId, seq);
      await tx.execute(sql`select pg_notify(${PURGE_CHANNEL}, ${incidentId})`);
      await tx.insert(audit).values(
        auditRow({
          action: 'purge',
          incidentId,
          tokenId: audited.tokenId,
          detail: { entry: entryId, reason: audited.reason, rewritten, seq },
        }),
      );
      return { seq, rewritten };
    });
    await this.tellCommitted();
    return purged;
  }

  /**
   * Stores the merged document state as of `seq`, packed, and thins older snapshots (see
   * `snapshotsToKeep`). A snapshot never replaces log rows. Resolves with the packed parts.
   */
  async writeSnapshot(incidentId: string, seq: number, state: Uint8Array): Promise<Uint8Array[]> {
    const parts = await packSnapshot(state);
    await this.db.transaction(async (tx) => {
      await tx
        .insert(snapshots)
        .values(parts.map((bytes, part) => ({ incidentId, seq, part, bytes })))
        .onConflictDoNothing();
      const seqs = await tx
        .selectDistinct({ seq: snapshots.seq })
        .from(snapshots)
        .where(eq(snapshots.incidentId, incidentId));
      const keep = snapshotsToKeep(seqs.map((r) => r.seq));
      const drop = seqs.map((r) => r.seq).filter((s) => !keep.has(s));
      if (drop.length > 0)
        await tx
          .delete(snapshots)
          .where(and(eq(snapshots.incidentId, incidentId), inArray(snapshots.seq, drop)));
      // Last, so the row is held only until the commit: a purge (which holds it for update) that
      // committed meanwhile, on any node, deleted every snapshot before its own; this one, built
      // from an earlier state, must not come back after it.
      const [row] = await tx
        .select({ purgedSeq: incidents.purgedSeq })
        .from(incidents)
        .where(eq(incidents.id, incidentId))
        .for('share');
      if (row && seq < row.purgedSeq)
        throw new SitrepError(
          'storage.conflict',
          `a purge at ${row.purgedSeq} came after the state of snapshot ${seq}`,
        );
    });
    return parts;
  }

  /**
   * The newest snapshot, or the newest at or before `atSeq`, inflated (not joined). Its parts are read a page
   * at a time (see READ_PAGE_BYTES); a snapshot thinned or purged meanwhile is noticed by a page
   * that comes back short, and the newest one is read again.
   */
  async latestSnapshot(incidentId: string, atSeq?: number): Promise<Snapshot | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const newest = this.newestSnapshot(incidentId, atSeq);
      const listed = await this.db
        .select({ seq: snapshots.seq, part: snapshots.part, size: sizeOf(snapshots.bytes) })
        .from(snapshots)
        .where(and(eq(snapshots.incidentId, incidentId), eq(snapshots.seq, newest)))
        .orderBy(asc(snapshots.part));
      const seq = listed[0]?.seq;
      if (seq === undefined) return null;
      /** A page's parts; null when it came back short (the snapshot is gone). */
      const read = async (page: { first: { part: number }; last: { part: number }; length: number }) => {
        await betweenPages();
        const rows = await this.db
          .select({ bytes: base64Of(snapshots.bytes) })
          .from(snapshots)
          .where(
            and(
              eq(snapshots.incidentId, incidentId),
              eq(snapshots.seq, seq),
              gte(snapshots.part, page.first.part),
              lte(snapshots.part, page.last.part),
            ),
          )
          .orderBy(asc(snapshots.part));
        return rows.length === page.length ? rows.map((r) => r.bytes) : null;
      };
      const planned = pages(listed, READ_PAGE_BYTES[this.driver]);
      const reads: Promise<Uint8Array[] | null>[] = [];
      const parts: Uint8Array[] = [];
      // Each page is inflated while the next ones are read.
      const unpacker = new SnapshotUnpacker();
      for (const [i] of planned.entries()) {
        while (reads.length < Math.min(planned.length, i + SNAPSHOT_PAGES_READ_AT_ONCE[this.driver])) {
          const reading = read(planned[reads.length] as (typeof planned)[number]);
          reading.catch(() => {}); // one read after a short page is never awaited
          reads.push(reading);
        }
        const got = await reads[i];
        if (!got) break;
        parts.push(...got);
        unpacker.add(got);
      }
      if (parts.length === listed.length) return { seq, state: await unpacker.state(), parts };
    }
    throw new SitrepError(
      'storage.conflict',
      `the snapshots of ${incidentId} kept changing while they were read`,
    );
  }

  /** The statement of the newest snapshot's sequence number (or the newest at or before `atSeq`). */
  private newestSnapshot(incidentId: string, atSeq: number | undefined) {
    return this.db
      .select({
        seq: sql<number | null>`max(${snapshots.seq})`.mapWith((s) => (s === null ? null : Number(s))),
      })
      .from(snapshots)
      .where(
        and(
          eq(snapshots.incidentId, incidentId),
          atSeq === undefined ? undefined : lte(snapshots.seq, atSeq),
        ),
      );
  }

  async latestSnapshotSeq(incidentId: string, atSeq?: number): Promise<number | null> {
    const [row] = await this.newestSnapshot(incidentId, atSeq);
    return row?.seq ?? null;
  }

  /** The last sequence number committed at or before `time`; 0 when none was. */
  async seqAt(incidentId: string, time: Date): Promise<number> {
    const [row] = await this.db
      .select({ seq: updates.seq })
      .from(updates)
      .where(and(eq(updates.incidentId, incidentId), lte(updates.createdAt, time)))
      .orderBy(desc(updates.seq))
      .limit(1);
    return row?.seq ?? 0;
  }

  /** Whose each Yjs client id is (null: the server's); only `only` when given. */
  async clientOwners(incidentId: string, only?: readonly number[]): Promise<Map<number, string | null>> {
    const rows = await this.db
      .select({ client: clients.client, tokenId: clients.tokenId })
      .from(clients)
      .where(and(eq(clients.incidentId, incidentId), only ? inArray(clients.client, [...only]) : undefined));
    return new Map(rows.map((r) => [r.client, r.tokenId]));
  }

  /** The log after `afterSeq` (up to `upToSeq`), in sequence order, read a page at a time (see READ_PAGE_BYTES). */
  async readLog(incidentId: string, afterSeq = 0, upToSeq?: number): Promise<LogRow[]> {
    const range = (after: number, upTo: number | undefined) =>
      and(
        eq(updates.incidentId, incidentId),
        gt(updates.seq, after),
        upTo === undefined ? undefined : lte(updates.seq, upTo),
      );
    const out: LogRow[] = [];
    for (let after = afterSeq; ; ) {
      const listed = await this.db
        .select({ seq: updates.seq, size: sizeOf(updates.bytes) })
        .from(updates)
        .where(range(after, upToSeq))
        .orderBy(asc(updates.seq))
        .limit(LIST_ROWS);
      for (const page of pages(listed, READ_PAGE_BYTES[this.driver])) {
        await betweenPages();
        out.push(
          ...(await this.db
            .select({ seq: updates.seq, bytes: base64Of(updates.bytes) })
            .from(updates)
            .where(range(page.first.seq - 1, page.last.seq))
            .orderBy(asc(updates.seq))),
        );
      }
      const last = listed.at(-1);
      if (!last || listed.length < LIST_ROWS) return out;
      after = last.seq;
    }
  }

  async getIncident(id: string): Promise<IncidentSummary | null> {
    const [row] = await this.db.select().from(incidents).where(eq(incidents.id, id));
    return row ? toSummary(row) : null;
  }

  /** How many incidents there are of each kind, archived and private ones too (for /metrics). */
  async countIncidents(): Promise<Record<IncidentKind, number>> {
    const rows = await this.db
      .select({ kind: incidents.kind, n: count() })
      .from(incidents)
      .groupBy(incidents.kind);
    const counts = Object.fromEntries(IncidentKind.options.map((k) => [k, 0])) as Record<
      IncidentKind,
      number
    >;
    for (const { kind, n } of rows) counts[IncidentKind.parse(kind)] = n;
    return counts;
  }

  /** The incident if `reader` may read it (store/visibility.ts); null when it may not or there is none. */
  async readableIncident(id: string, reader: Reader): Promise<IncidentSummary | null> {
    const [row] = await this.handle.prepared(READABLE_INCIDENT[visibilityOf(reader)], {
      id,
      own: reader.incidentId,
    });
    return row ? toSummary(summaryRow(row)) : null;
  }

  /**
   * A page of the incidents `reader` may read, most recently active first: archived ones or the
   * others, from `cursor` on (a position from the page before; an incident active since moves to
   * the front and is not seen again on later pages).
   */
  async listIncidents(q: {
    limit: number;
    cursor?: string | undefined;
    archived: boolean;
    reader: Reader;
  }): Promise<IncidentPage> {
    const at = q.cursor ? CURSOR.exec(q.cursor) : null;
    if (q.cursor && !at)
      throw new SitrepError('request.invalid', 'invalid query: cursor: not a cursor from an earlier page');
    const micros = sql<string>`(extract(epoch from ${incidents.updatedAt}) * 1000000)::bigint::text`;
    const rows = await this.db
      .select({ row: incidents, micros })
      .from(incidents)
      .where(
        and(
          q.archived ? isNotNull(incidents.archivedAt) : isNull(incidents.archivedAt),
          readableBy(q.reader),
          at
            ? sql`(${incidents.updatedAt}, ${incidents.id}) < (timestamptz 'epoch' + ${at[1]}::bigint * interval '1 microsecond', ${at[2]})`
            : undefined,
        ),
      )
      .orderBy(desc(incidents.updatedAt), desc(incidents.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      incidents: page.map((r) => toSummary(r.row)),
      next: rows.length > q.limit && last ? `${last.micros}.${last.row.id}` : null,
    };
  }

  /** Archives or unarchives an incident, audited in the same transaction; null when there is none. */
  async setArchived(id: string, archived: boolean, tokenId: string): Promise<IncidentSummary | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(incidents)
        .set({ archivedAt: archived ? sql`coalesce(${incidents.archivedAt}, now())` : null })
        .where(eq(incidents.id, id))
        .returning();
      if (!row) return null;
      await tx.insert(audit).values(
        auditRow({
          action: archived ? 'incident.archive' : 'incident.unarchive',
          incidentId: id,
          tokenId,
          detail: {},
        }),
      );
      return toSummary(row);
    });
  }

  /**
   * Makes an incident private or not (store/visibility.ts), audited as `incident.private` and
   * announced to every node (VISIBILITY_CHANNEL, at commit), whose sockets on it are checked
   * again; null when there is no such incident.
   */
  async setPrivate(id: string, isPrivate: boolean, tokenId: string): Promise<IncidentSummary | null> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx
        .select({ private: incidents.private })
        .from(incidents)
        .where(eq(incidents.id, id))
        .for('update');
      if (!before) return null;
      const [row] = await tx
        .update(incidents)
        .set({ private: isPrivate })
        .where(eq(incidents.id, id))
        .returning();
      if (!row) return null;
      await tx.insert(audit).values(
        auditRow({
          action: 'incident.private',
          incidentId: id,
          tokenId,
          detail: { private: isPrivate, was: before.private },
        }),
      );
      await tx.execute(sql`select pg_notify(${VISIBILITY_CHANNEL}, ${id})`);
      return toSummary(row);
    });
  }

  /** Mirrors the document's meta into the incident row, for listing and insights without loading documents. */
  async updateIncidentMeta(id: string, meta: IncidentMeta): Promise<void> {
    await this.db.update(incidents).set(metaColumns(meta)).where(eq(incidents.id, id));
  }

  /** Incidents whose milestone times were never mirrored (made before the columns), by id after `after`. */
  async unmirrored(after: string, limit: number): Promise<{ id: string; lastSeq: number }[]> {
    return this.db
      .select({ id: incidents.id, lastSeq: incidents.lastSeq })
      .from(incidents)
      .where(and(isNull(incidents.milestones), gt(incidents.id, after)))
      .orderBy(asc(incidents.id))
      .limit(limit);
  }

  /**
   * Mirrors the milestone times of `meta` into a row that has none yet; false when it has them
   * (its room mirrored a newer meta meanwhile, which this older read must not replace).
   */
  async fillMilestones(id: string, meta: IncidentMeta): Promise<boolean> {
    const { milestones, declaredAt } = metaColumns(meta);
    const rows = await this.db
      .update(incidents)
      .set({ milestones, declaredAt })
      .where(and(eq(incidents.id, id), isNull(incidents.milestones)))
      .returning({ id: incidents.id });
    return rows.length > 0;
  }

  /** Ids of the entries that landed in the log after `seq`. */
  async entryIdsAfter(incidentId: string, seq: number): Promise<Set<string>> {
    const rows = await this.db
      .select({ id: entries.id })
      .from(entries)
      .where(and(eq(entries.incidentId, incidentId), gt(entries.seq, seq)));
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The newest `limit` entries (by log position) that landed after `seq`, each with its position,
   * and how many landed after it in all.
   */
  async newestAfter(
    incidentId: string,
    seq: number,
    limit: number,
  ): Promise<{ newest: Map<string, number>; total: number }> {
    const after = and(eq(entries.incidentId, incidentId), gt(entries.seq, seq));
    const [counted] = await this.db.select({ n: count() }).from(entries).where(after);
    const rows = await this.db
      .select({ id: entries.id, seq: entries.seq })
      .from(entries)
      .where(after)
      .orderBy(desc(entries.seq))
      .limit(limit);
    return { newest: new Map(rows.map((r) => [r.id, r.seq])), total: counted?.n ?? 0 };
  }

  /** The log position where an entry landed, or null when the incident has no such entry (or it was purged). */
  async entrySeq(incidentId: string, entryId: string): Promise<number | null> {
    const [row] = await this.db
      .select({ seq: entries.seq })
      .from(entries)
      .where(and(eq(entries.incidentId, incidentId), eq(entries.id, entryId)));
    return row?.seq ?? null;
  }

  /**
   * Entries in id order, with the receipts of those that have one and the flags of those flagged
   * for review. Read a page at a time (see ENTRY_PAGE_BYTES), listed first by stored size: one
   * statement for the 5,000 the API gives at most held a PGlite node for 0.3 to 0.4 s.
   */
  async listEntries(
    incidentId: string,
    f: EntryQuery,
  ): Promise<{
    entries: Entry[];
    receipts: Record<string, EntryReceipt>;
    flags: Record<string, ReviewFlag[]>;
  }> {
    const filter = and(
      eq(entries.incidentId, incidentId),
      f.kind ? eq(entries.kind, f.kind) : undefined,
      f.author ? eq(entries.authorId, f.author) : undefined,
      f.since ? gte(entries.at, new Date(f.since)) : undefined,
      f.after ? gt(entries.id, f.after) : undefined,
      // Title, rationale and body; exact, though the search index may lag (SearchIndex.ts).
      f.q ? matchingEntries(incidentId, sql`plainto_tsquery('simple', ${f.q})`) : undefined,
      // The entries_flagged index's condition (a row not yet checked is not flagged yet).
      f.flagged ? sql`${entries.blame} <> '[]'::jsonb` : undefined,
    );
    const listed = await this.db
      .select({ id: entries.id, size: entrySize })
      .from(entries)
      .where(filter)
      .orderBy(asc(entries.id))
      .limit(f.limit);
    const rows = [];
    for (const page of pages(listed, ENTRY_PAGE_BYTES)) {
      await betweenPages();
      rows.push(
        ...(await this.db
          .select({ data: entries.data, blame: entries.blame, ...receiptColumns })
          .from(entries)
          .where(and(filter, gte(entries.id, page.first.id), lte(entries.id, page.last.id)))
          .orderBy(asc(entries.id))),
      );
    }
    const flags: Record<string, ReviewFlag[]> = {};
    for (const r of rows) {
      const blame = r.blame ?? reviewFlags(r.data);
      if (blame.length > 0) flags[r.id] = blame;
    }
    return {
      entries: rows.map((r) => r.data),
      receipts: receiptsOf(rows.map((r) => ({ ...r, at: r.data.at }))),
      flags,
    };
  }

  /**
   * Checks the projection rows not checked for blame yet (written before flags were projected)
   * and stores their flags, a page at a time with I/O let through between pages, until none is
   * left or `stopped()`; resolves with how many it checked. Nodes sweeping at once write the
   * same flags.
   */
  async flagUnchecked(stopped: () => boolean = () => false): Promise<number> {
    let total = 0;
    while (!stopped()) {
      await betweenPages();
      const rows = await this.db
        .select({ incidentId: entries.incidentId, id: entries.id, data: entries.data })
        .from(entries)
        .where(isNull(entries.blame))
        .limit(FLAG_PAGE_ROWS);
      if (rows.length === 0) break;
      const checked = rows.map((r) => ({ i: r.incidentId, e: r.id, f: reviewFlags(r.data) }));
      await this.db.execute(sql`
        update ${entries} set blame = r.f
        from jsonb_to_recordset(${JSON.stringify(checked)}::jsonb) as r(i text, e text, f jsonb)
        where ${entries.incidentId} = r.i and ${entries.id} = r.e and ${entries.blame} is null`);
      total += rows.length;
    }
    return total;
  }

  /**
   * Receipts in log order after `cursor` (`<seq>.<entry id>` of the last one read), a page at a
   * time: what the dashboard shows beside the entries it has. `next` is the cursor after this
   * page (the one given when it is empty); `more` says the page was full.
   */
  async receiptsAfter(
    incidentId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ receipts: Record<string, EntryReceipt>; next: string | null; more: boolean }> {
    const from = cursor ? /^(\d{1,15})\.([0-9A-HJKMNP-TV-Z]{26})$/.exec(cursor) : null;
    if (cursor && !from)
      throw new SitrepError('request.invalid', 'invalid query: after: not a cursor from an earlier page');
    const rows = await this.db
      .select({ seq: entries.seq, at: sql<string>`${entries.data}->>'at'`, ...receiptColumns })
      .from(entries)
      .where(
        and(
          eq(entries.incidentId, incidentId),
          isNotNull(entries.via),
          from ? sql`(${entries.seq}, ${entries.id}) > (${Number(from[1])}, ${from[2]})` : undefined,
        ),
      )
      .orderBy(asc(entries.seq), asc(entries.id))
      .limit(limit);
    const last = rows.at(-1);
    return {
      receipts: receiptsOf(rows),
      next: last ? `${last.seq}.${last.id}` : (cursor ?? null),
      more: rows.length === limit,
    };
  }

  /** The receipts of an incident's entries as of `upToSeq`, by entry id in id order, as an export carries them. */
  async exportReceipts(incidentId: string, upToSeq: number): Promise<Record<string, Receipt>> {
    const rows = await this.db
      .select({ id: entries.id, via: entries.via, receivedAt: entries.receivedAt })
      .from(entries)
      .where(and(eq(entries.incidentId, incidentId), isNotNull(entries.via), lte(entries.seq, upToSeq)))
      .orderBy(asc(entries.id));
    return Object.fromEntries(
      rows.map((r) => [r.id, { via: r.via ?? '', receivedAt: r.receivedAt.toISOString() }]),
    );
  }
}

/** Opens the store; whatever its methods (and those of its parts) throw leaves as a SitrepError (see atStorageEdge). */
export async function openStore(opts: { databaseUrl?: string | undefined; dataDir: string }): Promise<Store> {
  return atStorageEdge(new Store(await openDatabase(opts)));
}
