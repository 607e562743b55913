// Runs the real `sitrep` executable as a child process, with an environment built from an
// allow-list: what a developer's shell holds (ANTHROPIC_API_KEY, DATABASE_URL, SITREP_TOKEN...)
// never reaches a child, so no test calls a real API or another database, and none depends on
// the machine it runs on.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SITREP_BIN = fileURLToPath(new URL('../../server/bin/sitrep.js', import.meta.url));

/** What a child may inherit: finding programs, the user, the locale and the temp dir. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

/** A child process's environment: the allowed variables of this one, then what the test sets. */
export function childEnv(set: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...set };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SITREP_BIN, ...args], {
      env: childEnv(opts.env),
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
export function startCli(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SITREP_BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
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
