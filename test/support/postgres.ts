// A throwaway Postgres cluster for tests: initdb in a temp dir, pg_ctl on a free loopback port,
// removed afterwards. initdb refuses root, so as root the cluster runs as the `postgres` user.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from './childEnv.js';
import { freePort } from './net.js';

const execFileAsync = promisify(execFile);
/** Runs a program with an environment from the allow-list (a shell's PG* settings stay out). */
const run = (file: string, args: string[]) => execFileAsync(file, args, { env: childEnv() });

/** Where initdb and pg_ctl live: the PATH first, then Debian's versioned directories. */
export function findPostgresBin(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return null;
  const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = join(debian, v, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

export interface PostgresCluster {
  url: string;
  port: number;
  /** The server's data directory and its log file. */
  data: string;
  log: string;
  /** A fresh, empty database on the cluster; its URL. */
  createDatabase(name: string): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * Flush every commit to disk, as a production server does (benchmarks that compare durable
   * servers). Off by default: the test suite needs no crash safety from its throwaway cluster.
   */
  fsync?: boolean;
  /** More server settings, each given as `-c name=value` (a benchmark's statistics, say). */
  settings?: Readonly<Record<string, string>>;
}

export async function startPostgres({
  fsync = false,
  settings = {},
}: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'Postgres is not installed: initdb and pg_ctl were not found (apt-get install postgresql)',
    );
  }
  const asRoot = userInfo().uid === 0;
  const exec = async (cmd: string, args: string[]) => {
    const file = join(bin, cmd);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const more = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync ? 'on' : 'off'} -c max_connections=200${more.join('')}`;
  const log = join(dir, 'log');
  const start = async () => {
    await exec('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', 'start']);
  };
  const stop = async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    data,
    log,
    start,
    stop,
    async createDatabase(name) {
      const { default: postgres } = await import('postgres');
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`create database "${name}"`);
      } finally {
        await sql.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async remove() {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
