// What a benchmark reads of processes from /proc: CPU seconds, memory, and the processes of a
// throwaway Postgres cluster, so that the database's share of the work is counted too.
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import type { PostgresCluster } from '../support/postgres.js';

/** The processes of a throwaway Postgres cluster (postmaster and its children). */
export function pgPids(pg: PostgresCluster): number[] {
  const out = spawnSync('pgrep', ['-f', `postgres .*-p ${pg.port} `], { encoding: 'utf8' }).stdout;
  const main = out.split('\n').filter(Boolean).map(Number);
  const kids = main.flatMap((pid) =>
    spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number),
  );
  return [...main, ...kids];
}

/**
 * CPU seconds (user + system) a process has used, from /proc, with its children that exited
 * (a Postgres backend that ends during the run is still counted, through the postmaster).
 */
async function cpuSeconds(pid: number): Promise<number> {
  return ticks(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''), [11, 12, 13, 14]);
}

/** The fields of a /proc stat line after its name (0: the state, 1: the parent's id, ...). */
export const statFields = (stat: string): string[] => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

/** Fields of a /proc stat line after its name, summed, in seconds (ticks of 10 ms). */
export function ticks(stat: string, fields: readonly number[]): number {
  const all = statFields(stat);
  return fields.reduce((sum, i) => sum + Number(all[i] ?? 0), 0) / 100;
}

/**
 * CPU seconds (user + system) each thread of a process has used, by thread id: the main thread's
 * id is the process's. A thread that ended is no longer listed (the process's total still counts
 * it). Throws when the process's threads cannot be read, rather than report none.
 */
export async function threadCpu(pid: number): Promise<Map<number, number>> {
  const tids: string[] = await readdir(`/proc/${pid}/task`).catch(() => []);
  if (!tids.includes(String(pid))) throw new Error(`cannot read the threads of process ${pid}`);
  const stats = await Promise.all(
    tids.map(async (tid) => {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
      return [Number(tid), ticks(stat, [11, 12])] as const;
    }),
  );
  return new Map(stats);
}

export async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU seconds the processes have used between them. */
export async function cpuOf(pids: readonly number[]): Promise<number> {
  return (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
}
