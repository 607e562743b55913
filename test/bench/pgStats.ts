// What a benchmark's throwaway Postgres cluster did in the measured window, statement by statement
// and process by process (FANOUT_PG_STATS=1): pg_stat_statements (track = all, so a trigger's
// statements are counted inside the statement that fired them), the tables' row and maintenance
// counters, WAL, checkpoints, the autovacuum runs the server logged with their CPU, and each of the
// cluster's processes' CPU sampled from /proc, so that Postgres's CPU is put on a statement or on
// a background process (autovacuum, checkpointer, WAL writer). For finding where the CPU goes,
// not for the benchmark's figures: its own connection and queries cost the cluster a few ms.
import { readdir, readFile } from 'node:fs/promises';
import postgres from 'postgres';
import type { PostgresCluster } from '../support/postgres.js';
import { statFields, ticks } from './proc.js';
import { printTable } from './table.js';

/** The cluster's settings for these statistics (startPostgres's `settings`). */
export const PG_STATS_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.max': '1000',
  log_autovacuum_min_duration: '0',
  log_checkpoints: 'on',
} as const;

/** A process of the cluster: its title (ps) and user + system CPU seconds, from /proc. */
interface Sample {
  title: string;
  cpu: number;
}

async function stat(pid: number): Promise<{ ppid: number; cpu: number } | null> {
  const line = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!line) return null;
  return { ppid: Number(statFields(line)[1]), cpu: ticks(line, [11, 12]) };
}

async function title(pid: number): Promise<string> {
  const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmd.replaceAll('\0', ' ').trim();
}

/** The cluster's background processes, by the title each gives itself. */
const BACKGROUND = [
  'autovacuum worker',
  'autovacuum launcher',
  'checkpointer',
  'background writer',
  'walwriter',
  'logical replication launcher',
  'archiver',
];

/** A process's kind from its title: a background process by name, a backend by its pid. */
function kind(pid: number, t: string): string {
  const named = BACKGROUND.find((b) => t.startsWith(`postgres: ${b}`));
  if (named) return named === 'autovacuum worker' ? 'autovacuum workers' : named;
  return t.startsWith('postgres: ') ? `backend ${pid}` : 'postmaster';
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

const TABLES = `select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, n_dead_tup, n_live_tup,
  autovacuum_count, autoanalyze_count, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch,
  pg_total_relation_size(relid) as bytes from pg_stat_user_tables`;
const CLUSTER = `select w.wal_records, w.wal_fpi, w.wal_bytes, b.checkpoints_timed, b.checkpoints_req,
  b.buffers_checkpoint, b.buffers_clean, b.buffers_backend, d.xact_commit, d.blks_read, d.blks_hit
  from pg_stat_wal w, pg_stat_bgwriter b, pg_stat_database d where d.datname = current_database()`;

export class PgStats {
  private readonly sql;
  private ownPid = 0;
  /** Each process's CPU when the window opened (0 for one started since) and when last sampled. */
  private readonly first = new Map<number, Sample>();
  private readonly last = new Map<number, Sample>();
  private timer: NodeJS.Timeout | null = null;
  private postmaster = 0;
  private tables = new Map<string, Row>();
  private cluster: Row = {};
  private logFrom = 0;

  private constructor(private readonly pg: PostgresCluster) {
    this.sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  }

  /** Opens the statistics of a cluster started with PG_STATS_SETTINGS, before the load. */
  static async open(pg: PostgresCluster): Promise<PgStats> {
    const stats = new PgStats(pg);
    await stats.sql.unsafe('create extension if not exists pg_stat_statements');
    const [own] = await stats.sql.unsafe('select pg_backend_pid() as pid');
    stats.ownPid = num(own?.pid);
    const pm = await readFile(`${pg.data}/postmaster.pid`, 'utf8');
    stats.postmaster = Number(pm.split('\n')[0]);
    return stats;
  }

  /**
   * Samples the cluster's processes (the postmaster and its children) into `last`; one not in
   * `first` yet is put there with its CPU now, or with none when `started` (it began in the window).
   */
  private async sample(started: boolean): Promise<void> {
    const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(Number);
    await Promise.all(
      pids.map(async (pid) => {
        const s = await stat(pid);
        if (!s || (pid !== this.postmaster && s.ppid !== this.postmaster)) return;
        const t = this.last.get(pid)?.title ?? (await title(pid));
        this.last.set(pid, { title: t, cpu: s.cpu });
        if (!this.first.has(pid)) this.first.set(pid, { title: t, cpu: started ? 0 : s.cpu });
      }),
    );
  }

  /** Opens the window: statements reset, counters read, processes sampled every 100 ms. */
  async start(): Promise<void> {
    await this.sql.unsafe('select pg_stat_statements_reset()');
    this.tables = new Map((await this.sql.unsafe(TABLES)).map((r) => [String(r.relname), r]));
    [this.cluster = {}] = await this.sql.unsafe(CLUSTER);
    this.logFrom = (await readFile(this.pg.log)).byteLength;
    await this.sample(false);
    this.timer = setInterval(() => void this.sample(true), 100);
  }

  /** Closes the window and prints what happened in it, then closes the connection. */
  async report(label: string): Promise<void> {
    this.stopSampling();
    await this.sample(true);
    await new Promise((r) => setTimeout(r, 1100)); // backends flush their table counters within a second
    const out = (s: string) => console.log(s);
    out(`\n### Postgres in the measured window: ${label}`);

    const byKind = new Map<string, number>();
    for (const [pid, end] of this.last) {
      const start = this.first.get(pid);
      if (!start || pid === this.ownPid) continue;
      const k = kind(pid, end.title);
      byKind.set(k, (byKind.get(k) ?? 0) + end.cpu - start.cpu);
    }
    const activity = new Map(
      (
        await this.sql.unsafe(
          "select pid, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q from pg_stat_activity",
        )
      ).map((r) => [`backend ${num(r.pid)}`, String(r.q)]),
    );
    out(
      '\nCPU s by process (sampled every 100 ms; a process that ended between samples loses its last part):',
    );
    printTable(
      ['process', 'CPU s', 'last statement'],
      [...byKind]
        .filter(([, s]) => s > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([k, s]) => [k, s.toFixed(2), activity.get(k) ?? '']),
    );

    const statements = await this.sql.unsafe(`select calls, total_exec_time, total_plan_time, rows,
      shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, wal_records, wal_fpi,
      wal_bytes, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q
      from pg_stat_statements order by total_exec_time desc limit 20`);
    out('\nStatements by execution time:');
    printTable(
      [
        'calls',
        'exec ms',
        'plan ms',
        'rows',
        'hit',
        'read',
        'dirtied',
        'written',
        'WAL recs',
        'FPI',
        'WAL bytes',
        'top',
        'query',
      ],
      statements.map((r) => [
        String(r.calls),
        num(r.total_exec_time).toFixed(1),
        num(r.total_plan_time).toFixed(1),
        String(r.rows),
        String(r.shared_blks_hit),
        String(r.shared_blks_read),
        String(r.shared_blks_dirtied),
        String(r.shared_blks_written),
        String(r.wal_records),
        String(r.wal_fpi),
        String(r.wal_bytes),
        r.toplevel ? 'y' : 'n',
        String(r.q),
      ]),
    );

    const fields = [
      'n_tup_ins',
      'n_tup_upd',
      'n_tup_hot_upd',
      'n_tup_del',
      'autovacuum_count',
      'autoanalyze_count',
      'seq_scan',
      'seq_tup_read',
      'idx_scan',
      'idx_tup_fetch',
      'bytes',
    ];
    const tables = (await this.sql.unsafe(TABLES))
      .map((r) => {
        const before = this.tables.get(String(r.relname)) ?? {};
        return [
          String(r.relname),
          ...fields.map((f) => num(r[f]) - num(before[f])),
          num(r.n_live_tup),
          num(r.n_dead_tup),
        ];
      })
      .filter((r) => r.slice(1, -2).some((v) => v !== 0));
    out('\nTables (changes in the window; live and dead rows at its end):');
    printTable(
      ['table', ...fields, 'live', 'dead'],
      tables.map((r) => r.map(String)),
    );

    const [cluster = {} as Row] = await this.sql.unsafe(CLUSTER);
    out('\nCluster (changes in the window):');
    out(
      Object.keys(cluster)
        .map((k) => `${k} ${num(cluster[k]) - num(this.cluster[k])}`)
        .join(', '),
    );

    const log = (await readFile(this.pg.log)).subarray(this.logFrom).toString('utf8');
    const runs = [
      ...log.matchAll(
        /automatic (vacuum|analyze) of table "([^"]+)"[\s\S]*?system usage: CPU: user: ([\d.]+) s, system: ([\d.]+) s/g,
      ),
    ];
    out('\nAutovacuum runs logged in the window (CPU s):');
    for (const m of runs) out(`- ${m[1]} ${m[2]}: ${(Number(m[3]) + Number(m[4])).toFixed(2)}`);
    for (const m of log.matchAll(/checkpoint (starting|complete)[^\n]*/g)) out(`- ${m[0]}`);
    await this.close();
  }

  private stopSampling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops sampling and closes the connection (again: nothing), whether or not it reported. */
  async close(): Promise<void> {
    this.stopSampling();
    await this.sql.end();
  }
}
