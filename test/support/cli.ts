// Runs the real `sitrep` executable as a child process, with an environment built from the
// allow-list (childEnv.ts). By default the CLI bundled once for the run (globalSetup.ts, the
// installable package's bundle): these tests are about what the CLI does, and a process of it
// starts without tsx compiling and loading hundreds of source modules through its hooks (about
// 2 s of CPU each, most of a short command's time). How it runs from source, through tsx, is
// what SITREP_BIN is for; the installed package is package.test.ts's.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { childEnv } from './childEnv.js';

/** The repository's executable, which runs the TypeScript sources through tsx. */
export const SITREP_BIN = fileURLToPath(new URL('../../server/bin/sitrep.js', import.meta.url));
/** The bundled CLI's executable, built once for the run. */
export const SITREP_BUILT = inject('sitrepBuilt');

/** How a test starts sitrep: an executable through node, or an installed one. */
export interface Executable {
  command: string;
  args: string[];
}
const BUILT: Executable = { command: process.execPath, args: [SITREP_BUILT] };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { stdin?: string; env?: Record<string, string>; exe?: Executable; cwd?: string } = {},
): Promise<CliResult> {
  const exe = opts.exe ?? BUILT;
  return new Promise((resolve, reject) => {
    const child = spawn(exe.command, [...exe.args, ...args], {
      env: childEnv(opts.env),
      ...(opts.cwd !== undefined && { cwd: opts.cwd }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Starts a long-running command and resolves once a line of its stderr matches. */
export function startCli(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  exe: Executable = BUILT,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe.command, [...exe.args, ...args], {
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"sitrep ${args.join(' ')}" did not get ready:\n${stderr}`));
    }, 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = stderr.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stdout?.resume();
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`"sitrep ${args.join(' ')}" exited with ${code}:\n${stderr}`));
    });
  });
}

/** `sitrep serve` in a process of its own, on a test's storage (server.ts's testStorage). */
export interface ServeProcess {
  url: string;
  /** The bootstrap admin token it printed. */
  token: string;
  pid: number;
  /** Stops it (SIGTERM) and waits for it to exit. */
  close(): Promise<void>;
}

export async function serveProcess(
  storage: { dataDir: string; databaseUrl: string | undefined },
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const { child, match } = await startCli(
    ['serve', '--port', '0'],
    /running at (http:\S+)[\s\S]*admin token[^\n]*\n\s+(\S+)/,
    {
      ...env,
      SITREP_DATA_DIR: storage.dataDir,
      ...(storage.databaseUrl !== undefined && { DATABASE_URL: storage.databaseUrl }),
      SITREP_LOG_LEVEL: 'warn',
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('sitrep serve has no pid');
  return {
    url: match[1] ?? '',
    token: match[2] ?? '',
    pid,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
