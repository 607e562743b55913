// Starts one throwaway Postgres 15 cluster for the whole run; tests make their own databases on it.
// A missing Postgres fails the run: storage tests are never skipped.
import type { TestProject } from 'vitest/node';
import { type PostgresCluster, startPostgres } from './postgres.js';

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPostgres();
  project.provide('postgresUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.remove();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
