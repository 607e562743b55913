// Opens the database: embedded PGlite in the data directory by default, a real Postgres through
// the `postgres` driver when DATABASE_URL is set. Both are configurations of one drizzle
// PgDatabase; migrations from migrations/ are applied before anything else runs.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGlite as PGliteClient } from '@electric-sql/pglite';
import { type Query, type SQL, fillPlaceholders } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { packageFiles } from '../packageFiles.js';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Runs one statement prepared (see `DatabaseHandle.prepared`): `query` made once, its parameters
 * `sql.placeholder`s that `values` fill on each call. The rows come back as objects.
 */
export type Prepared = (query: SQL, values: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /**
   * Listens on a channel; `onListen` runs each time the listener (re)connects, since
   * notifications sent while it was away are lost. PGlite is one process: nothing to hear.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<void>;
  /**
   * Sends notifications on a channel in one statement, so they arrive together and in order,
   * outside any transaction. PGlite is one process: nobody to tell.
   */
  notify(channel: string, payloads: readonly string[]): Promise<void>;
  /**
   * Runs one hot statement outside any transaction, prepared: postgres.js keeps its plan per
   * connection, PGlite's one session under a name (drizzle's `execute` parses and plans every
   * time). `query` is made once, its parameters `sql.placeholder`s that `values` fill on each
   * call: its text is rendered on the first call only (rendering it cost about as much of the
   * event loop per commit as postgres.js's whole round trip). The rows come back as objects.
   */
  prepared: Prepared;
  /**
   * Runs `work` in a transaction whose statements run prepared as `prepared`'s do, on the
   * transaction's connection (PGlite's one session): for a transaction run many times a second.
   */
  preparedTransaction<T>(work: (prepared: Prepared) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

/** A statement's text and parameters (placeholders among them), rendered once per statement. */
const rendered = new WeakMap<SQL, Query>();

/** `query` rendered (once) with its placeholders filled from `values`. */
function render(query: SQL, values: Record<string, unknown>): Query {
  let q = rendered.get(query);
  if (!q) rendered.set(query, (q = dialect.sqlToQuery(query)));
  return { sql: q.sql, params: fillPlaceholders(q.params, values) };
}

/** Rows from `db.execute`: postgres.js returns them as the result, PGlite under `rows`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
}

/**
 * postgres.js's options for a prepared statement: `simple` off too, or a statement with no
 * parameters goes by the simple protocol (its default then), parsed and planned on every call.
 */
const PREPARED = { prepare: true, simple: false } as const;

const migrationsFolder = fileURLToPath(packageFiles.migrations);

/**
 * Seconds before postgres.js tries a lost connection again, after `retries` failed tries: from
 * 30 ms, doubling, at most 2 s. Its default grows to 20 s (3^retries / 100), so after an outage of
 * a few seconds the connection that listens for purges, commits and revocations stayed away up to
 * 20 s after the database was back, the node deaf to purges meanwhile (postgresOutage.test).
 */
export function reconnectDelay(retries: number): number {
  return Math.min(0.03 * 2 ** retries, 2);
}

export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // fetch_types off: sitrep binds no array parameters, and postgres.js runs that first-connect
    // query from a promise nobody awaits, so an outage during it was an unhandled rejection.
    // JIT off: sitrep's statements are short, and compiling one whose estimate passed
    // jit_above_cost ("seen before" over a large corpus) took 100 to 250 ms of its 1.3 s.
    // standard_conforming_strings on, as on PGlite below: `literal` relies on it.
    const client = postgres(opts.databaseUrl, {
      max: 10,
      onnotice: () => {},
      connect_timeout: 10,
      fetch_types: false,
      connection: { jit: 'off', standard_conforming_strings: 'on' },
      backoff: reconnectDelay,
    });
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder });
    /** Runs a prepared statement on `conn` (the pool, or a transaction's connection). */
    const execute =
      (conn: Pick<typeof client, 'unsafe'>): Prepared =>
      async (query, values) => {
        const q = render(query, values);
        return conn.unsafe(q.sql, q.params as never[], PREPARED);
      };
    return {
      db,
      driver: 'postgres',
      listen: async (channel, onNotify, onListen) => {
        await client.listen(channel, onNotify, onListen);
      },
      notify: async (channel, payloads) => {
        if (payloads.length === 0) return;
        await client.unsafe(`select ${payloads.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ')}`, [
          channel,
          ...payloads,
        ]);
      },
      prepared: execute(client),
      preparedTransaction: async <T>(work: (prepared: Prepared) => Promise<T>) =>
        (await client.begin((tx) => work(execute(tx)))) as T,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await mkdir(opts.dataDir, { recursive: true });
  const dir = `${opts.dataDir}/pglite`;
  if (!existsSync(`${dir}/PG_VERSION`)) await initdb(dir);
  const client = await PGlite.create(dir);
  oneStatementATask(client);
  // `literal` relies on it (the default, made sure), as on Postgres above.
  await client.exec('set standard_conforming_strings = on');
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  const statements = new Map<string, string>(); // for a few fixed texts: never released
  let named = 0;
  /** Runs a prepared statement through `exec` (the session's, or a transaction's). */
  const execute =
    (exec: (query: string) => Promise<{ rows: unknown[] }[]>): Prepared =>
    async (query, values) => {
      const q = render(query, values);
      let name = statements.get(q.sql);
      if (!name) {
        // Not transactional: a statement prepared in a transaction that rolls back stays. Callers
        // that met the text unprepared at once each prepare a copy (sharing one pending PREPARE
        // could make a transaction wait on a session statement queued behind it): the first
        // recorded is kept, the others deallocated.
        const made = `sitrep_${named++}`;
        await exec(`prepare ${made} as ${q.sql}`);
        name = statements.get(q.sql);
        if (name) await exec(`deallocate ${made}`);
        else statements.set(q.sql, (name = made));
      }
      const args = q.params.length > 0 ? `(${q.params.map(literal).join(', ')})` : '';
      const [result] = await exec(`execute ${name}${args}`);
      return (result?.rows ?? []) as Record<string, unknown>[];
    };
  return {
    db,
    driver: 'pglite',
    listen: async () => {},
    notify: async () => {},
    prepared: execute((query) => client.exec(query)),
    preparedTransaction: (work) => client.transaction((tx) => work(execute((query) => tx.exec(query)))),
    close: () => client.close(),
  };
}

/**
 * Gives each of PGlite's statements (or transactions) a task of its own. PGlite runs a statement
 * on the event loop, and its lock hands over to the next waiting one in microtasks, so statements
 * queued meanwhile ran back to back as one task: four readers of 5,000 entries, each read a page
 * at a time, held the loop for as long as all their pages together. Now each waits its turn, in
 * order, and then for the loop to go round once (a transaction's statements run within its turn).
 */
function oneStatementATask(client: PGliteClient): void {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(run);
    tail = result.catch(() => {});
    return result;
  };
  const { query, exec, transaction } = client;
  client.query = ((...args: Parameters<typeof query>) =>
    inTurn(() => query.apply(client, args))) as typeof query;
  client.exec = (...args: Parameters<typeof exec>) => inTurn(() => exec.apply(client, args));
  client.transaction = ((...args: Parameters<typeof transaction>) =>
    inTurn(() => transaction.apply(client, args))) as typeof transaction;
}

/**
 * Makes a new PGlite data directory in a worker thread. PGlite's initdb grows memory (about 400
 * MB) that its instance keeps after it is closed, until a full collection that an idle server may
 * never run; the thread's memory goes when it ends.
 */
async function initdb(dir: string): Promise<void> {
  const made = new Worker(
    `const { workerData } = require('node:worker_threads');
    import(workerData.pglite).then(async ({ PGlite }) => (await PGlite.create(workerData.dir)).close());`,
    { eval: true, workerData: { pglite: import.meta.resolve('@electric-sql/pglite'), dir } },
  );
  await new Promise<void>((resolve, reject) => {
    made.once('error', reject);
    made.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`PGlite's initdb of ${dir} exited with code ${code}`)),
    );
  });
}

/**
 * A value as an SQL literal: a parameter for PGlite's `EXECUTE` of a prepared statement (PGlite's
 * parameterised `query` parses and plans the statement on every call: the append statement's plan
 * alone cost about 1.1 ms of the event loop per commit, and `EXECUTE` takes no bound parameters),
 * or a constant written into a prepared statement's text. It quotes by doubling `'` only, which
 * keeps backslashes literal with `standard_conforming_strings` on: openDatabase sets it on both
 * drivers.
 */
export function literal(value: unknown): string {
  if (value === null) return 'null';
  // A NUL would end the statement's text mid-literal; storable values never hold one.
  if (typeof value === 'string' && !value.includes('\0')) return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new TypeError(`no SQL literal for a ${typeof value} parameter`);
}
