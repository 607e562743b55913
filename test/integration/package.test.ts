// The installable package as a responder gets it: the tarball `pnpm package` makes, installed
// with `npm install -g` into an empty prefix, offline and with an empty npm cache (so nothing can
// come from the registry or this machine's cache: the tarball is all there is), then the
// installed `sitrep` serving, and its client commands, hooks and MCP server run against it the
// way Claude Code runs them (the commands `sitrep init` wrote). Needs the built dashboard, as
// `pnpm test` makes it first.
import { type ChildProcess, execFile } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ApiClient } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type BuiltPackage,
  CLIENT_COMMANDS,
  buildPackage,
  serverPartsReached,
} from '../../scripts/package.js';
import { WORKER_FROM_BYTES } from '../../server/src/room/SnapshotCache.js';
import { childEnv } from '../support/childEnv.js';
import { type Executable, runCli, startCli } from '../support/cli.js';
import { largeEntries, makeEntry } from '../support/clients.js';

const run = promisify(execFile);

let tmp: string;
let built: BuiltPackage;
let prefix: string;
let sitrep: Executable;
/** The environment of every installed command: a home of its own (its ~/.sitrep), nothing else. */
let env: Record<string, string>;
let server: ChildProcess | undefined;
let url: string;
let admin: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sitrep-package-'));
  built = await buildPackage(join(tmp, 'package'), tmp);
  prefix = join(tmp, 'prefix');
  const home = join(tmp, 'home');
  env = { HOME: home };
  await run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--cache', join(tmp, 'npm-cache'), '--offline'].concat([
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      built.tarball,
    ]),
    { env: childEnv(env) },
  );
  sitrep = { command: join(prefix, 'bin', 'sitrep'), args: [] };
  const started = await startCli(
    ['serve', '--port', '0'],
    /running at (http:\S+)[\s\S]*admin token[^\n]*\n\s+(\S+)/,
    { ...env, SITREP_DATA_DIR: join(tmp, 'data'), SITREP_SNAPSHOT_EVERY: '2', SITREP_LOG_LEVEL: 'warn' },
    sitrep,
  );
  server = started.child;
  url = started.match[1] ?? '';
  admin = started.match[2] ?? '';
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs the installed `sitrep`; fails the test with its stderr unless it exits 0. */
async function ok(
  args: string[],
  opts: { stdin?: string; cwd?: string; token?: string } = {},
): Promise<string> {
  const r = await runCli(args, {
    exe: sitrep,
    env: { ...env, SITREP_URL: url, SITREP_TOKEN: opts.token ?? admin },
    ...(opts.stdin !== undefined && { stdin: opts.stdin }),
    ...(opts.cwd !== undefined && { cwd: opts.cwd }),
  });
  expect(r.code, `sitrep ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

describe('the installable package', () => {
  it('keeps every client command off the server in the bundle', () => {
    expect(CLIENT_COMMANDS).toEqual(
      expect.arrayContaining(['push', 'brief', 'mcp', 'hook', 'init', 'version']),
    );
    for (const command of CLIENT_COMMANDS)
      expect(serverPartsReached(built.metafile, command), command).toEqual([]);
    // What the check would see: serve reaches the gate, the room, the store and their packages.
    const served = serverPartsReached(built.metafile, 'serve');
    for (const part of ['server/src/gate/', 'server/src/room/', 'server/src/store/', 'node_modules/hono/'])
      expect(
        served.some((p) => p.includes(part)),
        part,
      ).toBe(true);
    expect(served).toContain('@electric-sql/pglite');
  });

  it('installs from the tarball alone: the bundle, the assets and PGlite, no TypeScript', async () => {
    expect(await readdir(join(prefix, 'lib', 'node_modules'))).toEqual(['sitrep']);
    const pkg = join(prefix, 'lib', 'node_modules', 'sitrep');
    expect((await readdir(join(pkg, 'node_modules'))).filter((n) => !n.startsWith('.'))).toEqual([
      '@electric-sql',
    ]);
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(manifest.dependencies as object)).toEqual(['@electric-sql/pglite']);
    const files = (await readdir(pkg, { recursive: true })).filter((f) => !f.startsWith('node_modules'));
    expect(files.filter((f) => /\.(ts|mts|cts)$/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/sitrep.js', 'dist/sitrep.js', 'web/dist/index.html']));
    expect(files.some((f) => /^migrations\/.+\.sql$/.test(f))).toBe(true);
    const code = await Promise.all(
      files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(pkg, f), 'utf8')),
    );
    expect(code.filter((c) => /(from\s*|import\(\s*)['"](tsx|typescript)(\/[^'"]*)?['"]/.test(c))).toEqual(
      [],
    );
  });

  it('prints its version', async () => {
    const root = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await ok(['--version'])).toBe(root.version);
    expect(built.tarball.endsWith(`sitrep-${root.version}.tgz`)).toBe(true);
  });

  it('serves the dashboard and its assets from the package', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${url}${asset}`)).status).toBe(200);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true, storage: 'pglite' });
  });

  it('sets a project up, and its hooks, MCP server, push, brief and export run from the install', async () => {
    const incident = await ok(['incident', 'create', '--title', 'Checkout latency']);
    const token = await ok(
      ['token', 'create', '--role', 'responder', '--label', 'claude for ana', '--kind', 'harness'].concat([
        '--incident',
        incident,
      ]),
    );
    const project = join(tmp, 'project');
    await ok([
      'init',
      'claude-code',
      '--incident',
      incident,
      '--token',
      token,
      '--dir',
      project,
      '--server',
      url,
    ]);
    const installed = join(prefix, 'lib', 'node_modules', 'sitrep', 'bin', 'sitrep.js');

    // The hook commands as Claude Code runs them: the line init wrote, through a shell, JSON on stdin.
    const settings = JSON.parse(await readFile(join(project, '.claude', 'settings.json'), 'utf8')) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    const hook = async (event: string, input: Record<string, unknown>) => {
      const command = settings.hooks[event]?.[0]?.hooks[0]?.command ?? '';
      expect(command).toContain(installed);
      const r = await runCli([], {
        exe: { command: '/bin/sh', args: ['-c', command] },
        env,
        cwd: project,
        stdin: JSON.stringify({
          session_id: 's1',
          transcript_path: join(tmp, 't.jsonl'),
          cwd: project,
          ...input,
        }),
      });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    const finding = await ok(['push', incident, '--kind', 'finding', '--body', 'p99 at 4 s since 14:02'], {
      cwd: project,
      token,
    });
    expect(finding).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await ok(['brief', incident], { token })).toContain('# sitrep brief: Checkout latency');

    const start = JSON.parse(
      await hook('SessionStart', { hook_event_name: 'SessionStart', source: 'startup' }),
    ) as {
      hookSpecificOutput: { additionalContext: string };
    };
    expect(start.hookSpecificOutput.additionalContext).toContain('Checkout latency');

    // The MCP server as .mcp.json says to start it, in the project, through the real SDK client.
    const mcp = (
      JSON.parse(await readFile(join(project, '.mcp.json'), 'utf8')) as {
        mcpServers: { sitrep: { command: string; args: string[] } };
      }
    ).mcpServers.sitrep;
    expect(mcp.args).toEqual([installed, 'mcp']);
    const client = new Client({ name: 'package-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: mcp.command,
        args: mcp.args,
        cwd: project,
        env: childEnv(env),
        stderr: 'pipe',
      }),
    );
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['push_theory', 'get_brief']));
      const pushed = await client.callTool({
        name: 'push_theory',
        arguments: { title: 'Connection pool exhausted', body: 'waits on the pool since the deploy' },
      });
      expect(pushed.isError, JSON.stringify(pushed.content)).toBeFalsy();
      const brief = await client.callTool({ name: 'get_brief', arguments: {} });
      expect(JSON.stringify(brief.content)).toContain('Connection pool exhausted');
    } finally {
      await client.close();
    }

    const prompt = JSON.parse(
      await hook('UserPromptSubmit', { hook_event_name: 'UserPromptSubmit', prompt: 'what changed?' }),
    ) as { hookSpecificOutput: { additionalContext: string } };
    expect(prompt.hookSpecificOutput.additionalContext).toContain('Connection pool exhausted');
    await hook('Stop', { hook_event_name: 'Stop', stop_hook_active: false });

    // An HTML export runs in the document worker and inlines report.css: both from the bundle.
    const html = await ok(['export', incident, '--format', 'html']);
    expect(html).toContain('Connection pool exhausted');
    expect(html).toMatch(/<style>[^<]*color-scheme/);
  }, 90_000);

  it('builds the snapshots of a document past WORKER_FROM_BYTES in the worker, from the bundle', async () => {
    const api = new ApiClient(url, { token: admin });
    const incident = (await api.createIncident({ title: 'A large incident' })).incident.id;
    const large = largeEntries(WORKER_FROM_BYTES, 'packaged');
    for (let i = 0; i < large.length; i += 32)
      await api.appendEntries(incident, { entries: large.slice(i, i + 32) });
    // Rows past SITREP_SNAPSHOT_EVERY (2) after it: a snapshot built from the last one and those rows.
    for (const body of ['after', 'it'])
      await api.appendEntries(incident, { entries: [makeEntry('finding', { body })] });
    await vi.waitFor(
      async () =>
        expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
          /sitrep_snapshots_total\{built="worker",outcome="ok"\} [1-9]/,
        ),
      { timeout: 20_000, interval: 200 },
    );
  }, 60_000);
});
