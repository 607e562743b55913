// Opens the database: embedded PGlite in the data directory by default, a real Postgres through
// the `postgres` driver when DATABASE_URL is set. Both are configurations of one drizzle
// PgDatabase; migrations from migrations/ are applied before anything else runs.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /**
   * Listens on a channel; `onListen` runs each time the listener (re)connects, since
   * notifications sent while it was away are lost. PGlite is one process: nothing to hear.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<void>;
  /**
   * Runs one hot statement outside any transaction, prepared: postgres.js keeps its plan per
   * connection (drizzle's `execute` parses and plans every time). The rows come back as objects.
   */
  prepared(query: SQL): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

export async function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    const client = postgres(opts.databaseUrl, { max: 10, onnotice: () => {}, connect_timeout: 10 });
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder });
    return {
      db,
      driver: 'postgres',
      listen: async (channel, onNotify, onListen) => {
        await client.listen(channel, onNotify, onListen);
      },
      prepared: async (query) => {
        const q = dialect.sqlToQuery(query);
        return client.unsafe(q.sql, q.params as never[], { prepare: true });
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await mkdir(opts.dataDir, { recursive: true });
  const client = await PGlite.create(`${opts.dataDir}/pglite`);
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  return {
    db,
    driver: 'pglite',
    listen: async () => {},
    prepared: async (query) => {
      const q = dialect.sqlToQuery(query);
      return (await client.query<Record<string, unknown>>(q.sql, q.params)).rows;
    },
    close: () => client.close(),
  };
}
