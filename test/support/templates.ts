// The storage every test's storage starts as, made once per run: an empty PGlite data directory
// and an empty Postgres database, each made and migrated by the server's own openDatabase, as a
// first start makes them. A fresh PGlite directory cost a first start 8.1 to 13.8 s of CPU (PGlite's
// initdb, then every migration) and a copy of this one 1.6 s (copy, then open); a database made from
// the template skips the migrations. A broken initdb or migration still fails the run, here. The
// templates are made in a child process (this file run through tsx): vitest's global setup runs
// in a module runner without import.meta.resolve, which the server's initdb thread needs.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childEnv } from './childEnv.js';

export interface StorageTemplates {
  /** The PGlite data directory (what a server keeps in `<dataDir>/pglite`). */
  pglite: string;
  /** The template database's name on the cluster. */
  postgres: string;
  remove(): Promise<void>;
}

const TEMPLATE_DATABASE = 'sitrep_template';
const SELF = fileURLToPath(import.meta.url);

export async function makeTemplates(postgresUrl: string): Promise<StorageTemplates> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-template-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const { default: postgres } = await import('postgres');
    const sql = postgres(postgresUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`create database "${TEMPLATE_DATABASE}"`);
    } finally {
      await sql.end();
    }
    const databaseUrl = postgresUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
    await promisify(execFile)(process.execPath, ['--import', 'tsx', SELF, dir, databaseUrl], {
      env: childEnv(),
    });
  } catch (err) {
    await remove();
    throw err;
  }
  return { pglite: join(dir, 'pglite'), postgres: TEMPLATE_DATABASE, remove };
}

/** In the child: opens (makes and migrates) both, and closes them. */
async function make(dataDir: string, databaseUrl: string): Promise<void> {
  const { openDatabase } = await import('../../server/src/store/db.js');
  const opened = await Promise.all([openDatabase({ dataDir }), openDatabase({ dataDir, databaseUrl })]);
  await Promise.all(opened.map((db) => db.close()));
}

const [, script, dataDir, databaseUrl] = process.argv;
if (script === SELF && dataDir && databaseUrl) await make(dataDir, databaseUrl);
