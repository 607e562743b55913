// Starts one throwaway Postgres 15 cluster for the whole run; tests make their own databases on it.
// A missing Postgres fails the run: storage tests are never skipped. Also makes, once, the empty
// migrated storage every test's storage starts as (test/support/templates.ts), and the `sitrep`
// executable the tests' child processes run (test/support/cli.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildLinked } from '../../scripts/package.js';
import { type PostgresCluster, startPostgres } from './postgres.js';
import { type StorageTemplates, makeTemplates } from './templates.js';

let cluster: PostgresCluster | undefined;
let templates: StorageTemplates | undefined;
let build: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPostgres();
  project.provide('postgresUrl', cluster.url);
  templates = await makeTemplates(cluster.url);
  project.provide('pgliteTemplate', templates.pglite);
  project.provide('postgresTemplate', templates.postgres);
  build = await mkdtemp(join(tmpdir(), 'sitrep-build-'));
  project.provide('sitrepBuilt', await buildLinked(join(build, 'sitrep')));
}

export async function teardown(): Promise<void> {
  await templates?.remove();
  await cluster?.remove();
  if (build) await rm(build, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** A PGlite data directory made and migrated by the server's own code, copied for each test's storage. */
    pgliteTemplate: string;
    /** A database on the cluster migrated by the server's own code, the template of each test's database. */
    postgresTemplate: string;
    /** The bundled CLI's executable (scripts/package.ts buildLinked), built once for the run. */
    sitrepBuilt: string;
  }
}
