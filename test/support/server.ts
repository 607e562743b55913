// Real sitrep servers for tests, in this process, on a free loopback port, over PGlite in a temp
// dir or a fresh database on the run's throwaway Postgres cluster, each a copy of the run's empty
// migrated template (templates.ts).
import { constants } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@sitrep/shared';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { type DatabaseHandle, openDatabase } from '../../server/src/store/db.js';
import { type RunningServer, startServer } from '../../server/src/main.js';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

export interface TestStorage {
  backend: Backend;
  dataDir: string;
  databaseUrl: string | undefined;
  remove(): Promise<void>;
}

let databases = 0;

/** Empty storage, already migrated: a copy of the run's template (test/support/templates.ts). */
export async function testStorage(backend: Backend): Promise<TestStorage> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-test-'));
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    const { default: postgres } = await import('postgres');
    const admin = inject('postgresUrl');
    const name = `sitrep_${process.pid}_${++databases}`;
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`create database "${name}" template "${inject('postgresTemplate')}"`);
    } finally {
      await sql.end();
    }
    databaseUrl = admin.replace(/\/postgres$/, `/${name}`);
  } else {
    await cp(inject('pgliteTemplate'), join(dataDir, 'pglite'), {
      recursive: true,
      mode: constants.COPYFILE_FICLONE,
    });
  }
  return { backend, dataDir, databaseUrl, remove: () => rm(dataDir, { recursive: true, force: true }) };
}

/**
 * A database on `backend`, opened before the tests of the calling file or describe and closed
 * after them; the returned function gives it to a test.
 */
export function testDatabase(backend: Backend): () => DatabaseHandle {
  let storage: TestStorage | undefined;
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    storage = await testStorage(backend);
    handle = await openDatabase(storage);
  });
  afterAll(async () => {
    await handle?.close();
    await storage?.remove();
  });
  return () => {
    if (!handle) throw new Error('the test database opens before the tests');
    return handle;
  };
}

/** The bootstrap admin token of a server that made one. */
export function adminToken(server: RunningServer): string {
  if (!server.bootstrap) throw new Error('this server did not bootstrap an admin token');
  return server.bootstrap.token;
}

export function startTestServer(
  storage: TestStorage,
  port = 0,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const config = loadConfig({
    ...env,
    SITREP_PORT: String(port),
    SITREP_DATA_DIR: storage.dataDir,
    DATABASE_URL: storage.databaseUrl,
    SITREP_LOG_LEVEL: process.env.SITREP_TEST_LOG ?? 'silent',
  });
  return startServer(config, createLogger(config.logLevel));
}

/** Two nodes on one fresh Postgres database, and the first node's admin. */
export interface TwoNodes {
  a: RunningServer;
  b: RunningServer;
  admin: ApiClient;
  close(): Promise<void>;
}

export async function startTwoNodes(): Promise<TwoNodes> {
  const storage = await testStorage('postgres');
  const [a, b] = [await startTestServer(storage), await startTestServer(storage)];
  return {
    a,
    b,
    admin: new ApiClient(a.url, { token: adminToken(a) }),
    async close() {
      await Promise.all([a.close(), b.close()]);
      await storage.remove();
    },
  };
}

/**
 * Loads the incident's room and waits until the server's own writes to it (views, summaries)
 * have landed, so a test can compare the log or the document before and after something.
 */
export async function settle(server: RunningServer, incidentId: string): Promise<void> {
  const room = await server.rooms.open(incidentId);
  await server.views.settled(incidentId);
  await room.settle();
}

/** Polls until `check` returns a truthy value or throws once `timeoutMs` has passed. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A harness token the admin makes for a test (its secret and id), labelled as Claude Code's. */
export async function harnessToken(
  api: ApiClient,
  name: string,
  role: 'responder' | 'viewer',
  incidentId?: string,
): Promise<{ token: string; id: string }> {
  const made = await api.createToken({ role, label: `claude for ${name}`, kind: 'harness', incidentId });
  return { token: made.token, id: made.summary.id };
}

/** A running test server with its storage, bootstrap admin token and an admin API client. */
export interface Fixture {
  storage: TestStorage;
  server: RunningServer;
  token: string;
  api: ApiClient;
  /** Stops the server and starts it again on the same storage and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startFixture(
  backend: Backend = 'pglite',
  env: Record<string, string> = {},
): Promise<Fixture> {
  const storage = await testStorage(backend);
  const server = await startTestServer(storage, 0, env);
  const token = adminToken(server);
  const f: Fixture = {
    storage,
    server,
    token,
    api: new ApiClient(server.url, { token }),
    async restart() {
      const port = f.server.port;
      await f.server.close();
      f.server = await startTestServer(storage, port, env);
      f.api = new ApiClient(f.server.url, { token });
    },
    async close() {
      await f.server.close();
      await storage.remove();
    },
  };
  return f;
}
