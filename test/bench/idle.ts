// Benchmark: what an idle `sitrep serve` holds. On PGlite and on Postgres, each a child process:
// the store alone (opened and migrated, servers/storeAlone.ts), `serve`, and `serve --demo` (the
// demo incident seeded and its room loaded), each on a fresh data directory or database and then
// started again on it (PGlite's first start runs initdb). RSS after IDLE_SECONDS (10) of quiet.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../support/postgres.js';
import { freePort } from '../support/net.js';
import { launch, stop } from './child.js';
import { memory } from './proc.js';
import { sitrepBuilt } from './sitrepBuilt.js';
import { printTable } from './table.js';

const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);

const sitrep = await sitrepBuilt();
const WHAT: { name: string; args: string[]; ready: string }[] = [
  { name: 'store alone', args: ['--import', 'tsx', 'test/bench/servers/storeAlone.ts'], ready: 'store open' },
  { name: 'serve', args: [sitrep, 'serve'], ready: 'sitrep is running' },
  { name: 'serve --demo', args: [sitrep, 'serve', '--demo'], ready: 'sitrep is running' },
];

/** RSS in MB of `args` started on `env` and left idle. */
async function idleRss(args: string[], ready: string, env: Record<string, string>): Promise<number> {
  const child = await launch(
    args,
    { SITREP_PORT: String(await freePort()), SITREP_LOG_LEVEL: 'warn', ...env },
    ready,
  );
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const { rss } = await memory(child.pid ?? -1);
  await stop(child);
  return rss;
}

async function main() {
  const rows: string[][] = [];
  const pg = await startPostgres();
  try {
    for (const backend of ['pglite', 'postgres'] as const) {
      for (const [i, w] of WHAT.entries()) {
        const dir = await mkdtemp(join(tmpdir(), 'sitrep-idle-'));
        const env: Record<string, string> = { SITREP_DATA_DIR: dir };
        if (backend === 'postgres') env.DATABASE_URL = await pg.createDatabase(`idle_${i}`);
        const first = await idleRss(w.args, w.ready, env);
        const again = await idleRss(w.args, w.ready, env);
        rows.push([backend, w.name, first.toFixed(0), again.toFixed(0)]);
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await pg.remove();
  }
  printTable(['storage', 'process', 'RSS MB, first start', 'RSS MB, started again'], rows);
  console.log(`\nRSS after ${IDLE_SECONDS} s idle; node ${process.version}; on core 0`);
}

await main();
