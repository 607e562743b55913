// The sitrep CLI as a user runs it: a child process against a real server.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiClient, type Entry } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/main.js';
import { SITREP_BIN, runCli, startCli } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { type TestStorage, adminToken, startTestServer, testStorage } from '../support/server.js';

let storage: TestStorage;
let server: RunningServer;
let api: ApiClient;
let env: Record<string, string>;

beforeAll(async () => {
  storage = await testStorage('pglite');
  server = await startTestServer(storage);
  const token = adminToken(server);
  api = new ApiClient(server.url, { token });
  env = {
    SITREP_URL: server.url,
    SITREP_TOKEN: token,
    SITREP_AUTHOR_ID: 'cli-user',
    SITREP_AUTHOR_NAME: 'Cli User',
  };
});
afterAll(async () => {
  await server.close();
  await storage.remove();
});

describe('sitrep CLI', () => {
  it('creates an incident, pushes from flags and stdin, and lists entries', async () => {
    const created = await runCli(['incident', 'create', '--title', 'Queue backlog', '--severity', 'SEV2'], {
      env,
    });
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^queue-backlog-[0-9a-f]{6}$/);

    const theory = await runCli(
      [
        'push',
        id,
        '--kind',
        'theory',
        '--title',
        'Consumer deadlock',
        '--body',
        'threads stuck',
        '--harness',
        'claude-code',
      ],
      { env },
    );
    expect(theory.code).toBe(0);
    const theoryId = theory.stdout.trim();
    expect(theoryId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const rejection = JSON.stringify({
      kind: 'rejection',
      body: 'thread dump is clean',
      refs: [theoryId],
      rationale: 'no lock waits',
    });
    const fromStdin = await runCli(['push', id, '--file', '-'], { env, stdin: rejection });
    expect(fromStdin.code).toBe(0);

    const listed = await runCli(['entries', id, '--json'], { env });
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as Entry[];
    expect(entries.map((e) => [e.kind, e.author.id])).toEqual([
      ['theory', 'cli-user'],
      ['rejection', 'cli-user'],
    ]);
    expect(entries[0]?.author).toEqual({
      id: 'cli-user',
      name: 'Cli User',
      kind: 'harness',
      harness: 'claude-code',
    });

    const human = await runCli(['entries', id, '--kind', 'rejection'], { env });
    expect(human.stdout).toContain('thread dump is clean');
    expect(human.stdout.trim().split('\n')).toHaveLength(1);

    const none = await runCli(['entries', id, '--kind', 'dataset'], { env });
    expect([none.code, none.stdout, none.stderr.trim()]).toEqual([0, '', 'no entries match']);
    const audited = await runCli(['audit', '--incident', id], { env });
    expect(audited.stdout).toMatch(/incident\.create .* \{"title":"Queue backlog"\}/);
    const noAudit = await runCli(['audit', '--incident', id, '--action', 'purge'], { env });
    expect([noAudit.code, noAudit.stdout, noAudit.stderr.trim()]).toEqual([0, '', 'no audit records match']);
  });

  it('makes a private incident, hands its maker a token for it, and lets an admin change it; isolated tokens need --incident', async () => {
    const commander = (await api.createToken({ role: 'commander', label: 'cli ic' })).token;
    const made = await runCli(['incident', 'create', '--title', 'Badge misuse', '--private'], {
      env: { ...env, SITREP_TOKEN: commander },
    });
    expect(made.code).toBe(0);
    const id = made.stdout.trim();
    const keeper = /^(sitrep_\S+)$/m.exec(made.stderr)?.[1] ?? '';
    expect(made.stderr).toContain('private: your token cannot read it');
    await expect(new ApiClient(server.url, { token: commander }).getIncident(id)).rejects.toMatchObject({
      code: 'incident.not_found',
    });
    expect((await new ApiClient(server.url, { token: keeper }).getIncident(id)).incident.private).toBe(true);
    const off = await runCli(['incident', 'private', id, '--off'], { env });
    expect([off.code, off.stdout.trim()]).toEqual([0, `${id} is no longer private`]);
    expect((await new ApiClient(server.url, { token: commander }).getIncident(id)).incident.private).toBe(
      false,
    );
    expect((await runCli(['incident', 'private', id], { env })).code).toBe(0);
    const refused = await runCli(['incident', 'private', id, '--off'], {
      env: { ...env, SITREP_TOKEN: commander },
    });
    expect(refused.code).toBe(1);
    const isolated = await runCli(['token', 'create', '--role', 'viewer', '--label', 'x', '--isolated'], {
      env,
    });
    expect(isolated.code).toBe(2);
    expect(isolated.stderr).toContain('isolated');
    const ok = await runCli(
      ['token', 'create', '--role', 'viewer', '--label', 'guest', '--incident', id, '--isolated'],
      {
        env,
      },
    );
    expect([ok.code, ok.stderr]).toEqual([0, expect.stringContaining(`on ${id}, isolated`)]);
    expect((await runCli(['token', 'list'], { env })).stdout).toMatch(/isolated guest/);
  });

  it('pushes an entry from a JSON file', async () => {
    const { incident } = await api.createIncident({ title: 'file push' });
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-cli-'));
    const file = join(dir, 'entry.json');
    await writeFile(file, JSON.stringify({ kind: 'gap', title: 'No traces for the worker', body: '' }));
    const res = await runCli(['push', incident.id, '--file', file], { env });
    await rm(dir, { recursive: true });
    expect(res.code).toBe(0);
    expect((await api.listEntries(incident.id)).entries[0]).toMatchObject({
      id: res.stdout.trim(),
      kind: 'gap',
    });
  });

  it('pushes an entry whose JSON escapes a lone surrogate, with U+FFFD in its place', async () => {
    const { incident } = await api.createIncident({ title: 'lone surrogate push' });
    const res = await runCli(['push', incident.id, '--file', '-'], {
      env,
      stdin: '{"kind":"note","body":"tool said \\ud83d then stopped"}',
    });
    expect(res.code, res.stderr).toBe(0);
    expect((await api.listEntries(incident.id)).entries[0]).toMatchObject({
      id: res.stdout.trim(),
      body: 'tool said \uFFFD then stopped',
    });
  });

  it.each([
    ['an unknown kind', ['push', '{id}', '--kind', 'rumour', '--body', 'x'], /--kind/],
    ['a missing kind', ['push', '{id}', '--body', 'x'], /needs --kind/],
    ['a rejection without refs', ['push', '{id}', '--kind', 'rejection', '--body', 'no'], /refs/],
    ['a bad incident id', ['push', 'Not An Id', '--kind', 'note', '--body', 'x'], /incident id/],
    ['an unknown flag', ['push', '{id}', '--kind', 'note', '--body', 'x', '--colour', 'red'], /colour/],
    ['an unknown command', ['frobnicate'], /unknown command/],
    ['a bad --since', ['entries', '{id}', '--since', 'yesterday'], /--since/],
  ])('refuses %s with a message and exit code 2, writing nothing', async (_name, args, message) => {
    const { incident } = await api.createIncident({ title: 'cli refusals' });
    const res = await runCli(
      args.map((a) => a.replace('{id}', incident.id)),
      { env },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect((await api.getIncident(incident.id)).incident.lastSeq).toBe(1);
  });

  it('says so and exits 1 when the server refuses or cannot be reached', async () => {
    const missing = await runCli(['push', 'no-such-incident', '--kind', 'note', '--body', 'x'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no incident no-such-incident/);
    const down = await runCli(['entries', 'demo'], {
      env: { ...env, SITREP_URL: `http://127.0.0.1:${await freePort()}` },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach sitrep/);
  });

  it('loads the sanitizer only in a command that sanitizes', async () => {
    // Its rules and parsers (secretlint, phone numbers, IBANs) were a third of every client
    // command's start, a Claude Code hook's and `sitrep mcp`'s included, needed or not.
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-cli-loads-'));
    try {
      const hooks = join(dir, 'hooks.mjs');
      const register = join(dir, 'register.mjs');
      await writeFile(
        hooks,
        `import { appendFileSync } from 'node:fs';
        export async function load(url, context, next) {
          appendFileSync(process.env.LOADED_LOG, url + '\\n');
          return next(url, context);
        }`,
      );
      await writeFile(
        register,
        `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`,
      );
      const loaded = async (name: string, args: string[]) => {
        const log = join(dir, `${name}.log`);
        const res = await runCli(args, {
          env: { ...env, LOADED_LOG: log },
          exe: { command: process.execPath, args: ['--import', register, SITREP_BIN] },
        });
        expect(res.code, res.stderr).toBe(0);
        const urls = (await readFile(log, 'utf8')).split('\n');
        return ['@secretlint', 'libphonenumber-js', 'ibantools'].filter((p) =>
          urls.some((u) => u.includes(p)),
        );
      };
      const { incident } = await api.createIncident({ title: 'What loads' });
      expect(await loaded('search', ['search', 'anything', '--json'])).toEqual([]);
      expect(await loaded('entries', ['entries', incident.id, '--json'])).toEqual([]);
      // The hook sees them where they are needed: a push sanitizes what it sends.
      expect(await loaded('push', ['push', incident.id, '--kind', 'note', '--body', 'x', '--check'])).toEqual(
        ['@secretlint', 'libphonenumber-js', 'ibantools'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serve --demo starts with the demo incident and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-serve-'));
    const port = await freePort();
    const { child, match } = await startCli(
      ['serve', '--demo', '--port', String(port)],
      /running at (http:\S+)/,
      {
        SITREP_DATA_DIR: dataDir,
        SITREP_LOG_LEVEL: 'warn',
      },
    );
    try {
      expect(match[1]).toBe(`http://127.0.0.1:${port}`);
      const demo = new ApiClient(match[1] ?? '', {
        token: (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim(),
      });
      const { entries } = await demo.listEntries('demo');
      expect(entries.map((e) => e.kind)).toEqual(
        expect.arrayContaining([
          'finding',
          'theory',
          'rejection',
          'decision',
          'gap',
          'dataset',
          'action',
          'transcript',
        ]),
      );
      expect(entries.filter((e) => e.kind === 'theory')).toHaveLength(2);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration naming the variable', async () => {
    const res = await runCli(['serve'], { env: { SITREP_PORT: 'eighty' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/SITREP_PORT/);
  });
});
