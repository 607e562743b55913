// Harness integration end to end: the real MCP SDK client over stdio against `sitrep mcp`, Claude
// Code hooks fed real hook JSON on stdin (with the server up and down), the offline queue killed
// mid-flush and run again, the brief, transcript import and `sitrep init claude-code`. `sitrep`
// is the CLI bundled once for the run (test/support/cli.ts): what is tested is what it does.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { NodeClient } from '@sitrep/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../support/childEnv.js';
import { SITREP_BUILT, runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { MCP_TOOLS, badInputProblems, textOf } from '../support/mcp.js';
import { freePort } from '../support/net.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

let f: Fixture;
let state: string;
let incident: string;
let env: Record<string, string>;

beforeAll(async () => {
  f = await startFixture('pglite');
  state = await mkdtemp(join(tmpdir(), 'sitrep-harness-'));
  incident = (await f.api.createIncident({ title: 'Harness incident' })).incident.id;
  env = {
    SITREP_URL: f.server.url,
    SITREP_TOKEN: f.token,
    SITREP_INCIDENT: incident,
    SITREP_STATE_DIR: state,
    SITREP_AUTHOR_ID: 'claude-1',
    SITREP_AUTHOR_NAME: 'Claude (Ana)',
  };
});
afterAll(async () => {
  await f.close();
  await rm(state, { recursive: true, force: true });
});

const count = async (id = incident) => (await f.api.listEntries(id, { limit: 5000 })).entries.length;

async function mcpClient(extra: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SITREP_BUILT, 'mcp'],
      env: childEnv({ ...env, ...extra }),
      stderr: 'pipe',
    }),
  );
  return client;
}

describe('incident memory for harnesses', () => {
  let past: string;
  let deadEnd: string;
  let mine: string;
  beforeAll(async () => {
    mine = (await f.api.createIncident({ title: 'Ledger slow' })).incident.id;
    past = (await f.api.createIncident({ title: 'Ledger writes failing: ledger-db out of connections' }))
      .incident.id;
    const theory = makeEntry('theory', {
      title: 'The ORM upgrade leaks connections',
      body: 'it went out that morning',
    });
    const cause = makeEntry('theory', {
      title: 'A cron job holds idle sessions',
      body: 'ledger-db pool full',
    });
    deadEnd = theory.id;
    await f.api.appendEntries(past, {
      entries: [
        makeEntry('finding', {
          body: 'ledger-api logs `FATAL: sorry, too many clients already` from ledger-db',
        }),
        theory,
        cause,
        makeEntry('rejection', {
          refs: [theory.id],
          body: 'no',
          rationale: 'rolling the ORM back changed nothing',
        }),
        makeEntry('decision', {
          title: 'Kill the cron job',
          body: 'done',
          refs: [cause.id],
          tags: ['confirms'],
        }),
      ],
    });
  });

  it('answers search_corpus and find_related_incidents through the real MCP client', async () => {
    const client = await mcpClient({ SITREP_INCIDENT: mine });
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
      return textOf(r);
    };
    const found = await call('search_corpus', { text: 'sorry, too many clients already' });
    expect(found).toContain(past);
    expect(found).toContain('**sorry**');
    expect(await call('search_corpus', { text: `'; drop table entries; --` })).toBe('nothing found');
    const bad = await client.callTool({ name: 'search_corpus', arguments: { text: '' } });
    expect(bad.isError).toBe(true);

    const pushed = await call('push_theory', {
      title: 'ORM upgrade leaking connections to ledger-db?',
      body: 'the ORM went out an hour ago; `FATAL: sorry, too many clients already`',
    });
    const theory = /recorded (\S+)/.exec(pushed)?.[1] ?? '';
    const related = await call('find_related_incidents', {});
    expect(related).toContain(past);
    expect(related).toContain('rejected: The ORM upgrade leaks connections');
    expect(related).toContain('rolling the ORM back changed nothing');
    expect(related).toContain('confirmed: A cron job holds idle sessions');
    const fate = await call('find_related_incidents', { entry: theory });
    expect(fate).toContain(`[${deadEnd}]`);
    await client.close();
  });

  it('answers bad arguments to the memory tools with a tool error, and keeps answering', async () => {
    const client = await mcpClient({ SITREP_INCIDENT: mine });
    try {
      expect(await badInputProblems(client)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('answers sitrep search and sitrep related', async () => {
    // Six runs that read only, at once.
    const run = (...args: string[]) => runCli(args, { env });
    const [search, json, related, none, empty, badLimit] = await Promise.all([
      run('search', 'ledger-db', '--kind', 'finding'),
      run('search', 'ledger-db', '--json'),
      run('related', mine),
      run('related', past, '--json'),
      run('search', ''),
      run('related', mine, '--limit', '99'),
    ]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain(past);
    expect((JSON.parse(json.stdout) as { incident: { id: string } }[]).map((r) => r.incident.id)).toContain(
      past,
    );
    expect(related.code, related.stderr).toBe(0);
    expect(related.stdout).toContain(`## Ledger writes failing`);
    expect(none.code).toBe(0);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('invalid search');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('limit');
  });
});

describe('MCP server', () => {
  it('lists every tool and the commander-view resource, and each push tool records an entry', async () => {
    const client = await mcpClient();
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(client.getServerVersion()).toMatchObject({ name: 'sitrep', version });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(MCP_TOOLS);
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
      return textOf(r);
    };
    const idOf = (t: string) => /recorded (\S+)/.exec(t)?.[1] ?? '';
    const theory = idOf(
      await call('push_theory', {
        title: 'Connection pool exhausted',
        body: 'waiters climb with traffic',
        confidence: 'medium',
      }),
    );
    const finding = idOf(
      await call('push_finding', {
        body: 'pool at 100/100, 340 waiters',
        refs: [theory],
        evidence: [{ label: 'pg_stat_activity' }],
      }),
    );
    const dns = idOf(await call('push_theory', { title: 'DNS resolver slow', body: 'lookups time out' }));
    const rejection = idOf(await call('reject_theory', { theory: dns, rationale: 'resolver p99 is 2 ms' }));
    await call('reopen_theory', { ref: rejection, rationale: 'p99 spikes to 5 s every 10 minutes' });
    await call('record_decision', {
      title: 'Raise the pool to 200',
      body: 'buys time',
      rationale: 'cheap and reversible',
      refs: [theory, finding],
    });
    await call('record_gap', { title: 'Why did pool alerts not fire?' });
    await call('record_dataset', {
      title: 'Pool metrics 14:00-15:00',
      body: 'CSV',
      evidence: [{ label: 'pool.csv', url: 'https://files.example.com/pool.csv' }],
    });
    await call('add_note', { body: 'handing over to the EU shift at 16:00' });
    expect(await count()).toBe(9);
    const authors = new Set(
      (await f.api.listEntries(incident)).entries.map(
        (e) => `${e.author.id}/${e.author.kind}/${e.author.harness}`,
      ),
    );
    expect([...authors]).toEqual(['claude-1/harness/mcp']);

    const theories = JSON.parse(
      await waitFor(async () => {
        const t = await call('list_theories', {});
        return t.includes('reopened') ? t : null;
      }, 'the theory states'),
    ) as { id: string; state: string }[];
    expect(theories.find((t) => t.id === dns)?.state).toBe('reopened');
    const found = JSON.parse(await call('search_entries', { text: 'waiters' })) as { id: string }[];
    expect(found.map((e) => e.id).sort()).toEqual([finding, theory].sort());
    expect(await call('get_brief', { maxTokens: 1000 })).toContain('Connection pool exhausted');

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual([
      'sitrep://incidents/{incident}/commander-view',
    ]);
    const resource = await client.readResource({ uri: `sitrep://incidents/${incident}/commander-view` });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toHaveProperty('rules');
    await client.close();
  });

  it('answers bad tool input with an MCP error and writes nothing', async () => {
    const client = await mcpClient();
    const before = await count();
    // Each answered as a tool error naming the bad field (a thrown error would be a crash or a
    // closed transport, not an answer), and the server is still there for the next call.
    const bad: [string, Record<string, unknown>, string][] = [
      ['push_theory', { body: 'no title' }, 'at title'],
      ['reject_theory', { theory: 'not-an-id', rationale: 'x' }, 'at theory'],
      ['push_finding', { body: 'x', confidence: 'certain' }, 'at confidence'],
      ['record_decision', { title: 'line one\nline two', body: 'x', rationale: 'y' }, 'at title'],
    ];
    for (const [name, args, field] of bad) {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(textOf(r), name).toMatch(new RegExp(`Input validation error: .*${field}`));
    }
    const leak = await client.callTool({
      name: 'reject_theory',
      arguments: { theory: '01JZZZZZZZZZZZZZZZZZZZZZZZ', rationale: 'no such theory' },
    });
    expect(leak.isError).toBe(true);
    expect(textOf(leak)).toContain('unknown entries');
    expect(await count()).toBe(before);
    await client.close();
  });
});

/** Runs `sitrep hook <event>` with `input` on stdin (left open with `open`); resolves with its output and time. */
function hook(
  event: string,
  input: unknown,
  extra: Record<string, string> = {},
  open = false,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SITREP_BUILT, 'hook', event], {
      env: childEnv({ ...env, ...extra }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    if (open) child.stdin.write(text);
    else child.stdin.end(text);
  });
}

describe('Claude Code hooks', () => {
  const base = { session_id: 'abc123', transcript_path: '/tmp/t.jsonl', cwd: tmpdir() };

  it('adds the brief as additional context on SessionStart and UserPromptSubmit', async () => {
    for (const input of [
      { ...base, hook_event_name: 'SessionStart', source: 'startup' },
      { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'what is broken?' },
    ]) {
      const r = await hook(input.hook_event_name, input);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        hookSpecificOutput: { hookEventName: string; additionalContext: string };
      };
      expect(out.hookSpecificOutput.hookEventName).toBe(input.hook_event_name);
      expect(out.hookSpecificOutput.additionalContext).toContain('# sitrep brief: Harness incident');
    }
  });

  it('refuses bad hook input with a message and a non-blocking exit', async () => {
    const r = await hook('UserPromptSubmit', 'not json');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('not JSON');
    // Answered without reading stdin, which it leaves open: one line, no stack from the stopped read.
    expect(await hook('Bogus', {}, {}, true)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'sitrep: unknown hook event "Bogus" (one of SessionStart, UserPromptSubmit, Stop)\n',
    });
  });

  it('finishes in its budget when the harness never closes stdin, and a damaged turns file does not fail a Stop', async () => {
    const own = { SITREP_STATE_DIR: join(state, 'budget') };
    const open = await hook('UserPromptSubmit', base, own, true);
    expect(open).toMatchObject({ code: 1, stdout: '' });
    expect(open.stderr).toContain('gave up after 4000 ms');
    const turns = join(own.SITREP_STATE_DIR, 'turns', `${incident}.json`);
    expect((await hook('Stop', base, own)).code).toBe(0);
    await writeFile(turns, '');
    expect(await hook('Stop', base, own)).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(turns, 'utf8'))).toMatchObject({ turns: 1 });
  });

  it("Stop sends the model usage the session's transcript gained, each message once", async () => {
    const transcript = join(state, 'usage-session.jsonl');
    const assistant = (id: string, input: number, output: number) =>
      JSON.stringify({
        type: 'assistant',
        sessionId: 's-usage',
        timestamp: '2026-12-05T14:02:11.123Z',
        message: {
          id,
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [{ type: 'text', text: 'Looking at the pool.' }],
          usage: {
            input_tokens: input,
            output_tokens: output,
            cache_read_input_tokens: 1000,
            cache_creation_input_tokens: 0,
          },
        },
      });
    const user = JSON.stringify({ type: 'user', message: { role: 'user', content: 'why?' } });
    await writeFile(
      transcript,
      [user, assistant('msg_a', 10, 1), assistant('msg_a', 10, 90), assistant('msg_b', 20, 30)].join('\n') +
        '\n',
    );
    const stop = {
      ...base,
      session_id: 's-usage',
      transcript_path: transcript,
      hook_event_name: 'Stop',
      stop_hook_active: false,
    };
    const own = { SITREP_STATE_DIR: join(state, 'usage-state') };
    const sonnet = async () =>
      (await f.api.usage(incident)).harness.find((l) => l.model === 'claude-sonnet-4-5-20250929')?.tokens;

    expect((await hook('Stop', stop, own)).code).toBe(0);
    expect(await sonnet()).toEqual({ input: 30, output: 120, cacheRead: 2000, cacheCreation: 0 });
    await writeFile(transcript, `${assistant('msg_c', 5, 5)}\n`, { flag: 'a' });
    expect((await hook('Stop', stop, own)).code).toBe(0);
    expect(await sonnet()).toEqual({ input: 35, output: 125, cacheRead: 3000, cacheCreation: 0 });
    // Where it left off forgotten: the whole transcript is sent again and counted once.
    await rm(join(own.SITREP_STATE_DIR, 'usage'), { recursive: true });
    expect((await hook('Stop', stop, own)).code).toBe(0);
    expect(await sonnet()).toEqual({ input: 35, output: 125, cacheRead: 3000, cacheCreation: 0 });
  });

  it('with the server down: bounded time, a clear message, the queue kept; Stop flushes once it is back', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const r = await hook(
      'UserPromptSubmit',
      { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'hi' },
      { SITREP_URL: down },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/sitrep: .*(reach|answer)/);
    expect(r.ms).toBeLessThan(8_000);
    // An MCP push while the server is down is queued on disk.
    const client = await mcpClient({ SITREP_URL: down });
    const pushed = await client.callTool({
      name: 'add_note',
      arguments: { body: 'written while sitrep was down' },
    });
    expect(textOf(pushed)).toMatch(/^queued /);
    await client.close();
    const queueDir = join(state, 'queue', incident);
    expect((await readdir(queueDir)).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const stopDown = await hook(
      'Stop',
      { ...base, hook_event_name: 'Stop', stop_hook_active: false },
      { SITREP_URL: down },
    );
    expect(stopDown.code).toBe(1);
    expect(stopDown.stderr).toContain('stay queued');
    expect((await readdir(queueDir)).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const stop = await hook('Stop', { ...base, hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop.code, stop.stderr).toBe(0);
    expect((await readdir(queueDir)).filter((n) => n.endsWith('.json'))).toHaveLength(0);
    expect((await f.api.listEntries(incident, { q: 'sitrep was down' })).entries).toHaveLength(1);
    expect(JSON.parse(await readFile(join(state, 'turns', `${incident}.json`), 'utf8'))).toMatchObject({
      turns: 2,
      session: 'abc123',
    });
  });
});

describe('Node SDK', () => {
  it('sends text a harness gathered with NUL and lone surrogates replaced by U+FFFD', async () => {
    const id = (await f.api.createIncident({ title: 'SDK repair' })).incident.id;
    const client = new NodeClient({
      url: f.server.url,
      token: f.token,
      incident: id,
      author: { id: 'claude-1', name: 'Claude', kind: 'harness' },
      stateDir: join(state, 'sdk'),
    });
    const pushed = await client.push([
      { kind: 'finding', title: 'cut \ud83d', body: 'tool output \u0000\udfff' },
    ]);
    expect(pushed).toMatchObject({ queued: [], rejected: [] });
    expect((await f.api.listEntries(id)).entries.map((e) => [e.id, e.title, e.body])).toEqual([
      [pushed.durable[0], 'cut \uFFFD', 'tool output \uFFFD\uFFFD'],
    ]);
  });
});

describe('offline queue', () => {
  it('sets aside only the entries refused for what they are, and keeps all when the token is wrong', async () => {
    const id = (await f.api.createIncident({ title: 'Queue refusals' })).incident.id;
    const options = {
      url: f.server.url,
      incident: id,
      author: { id: 'claude-1', name: 'Claude', kind: 'harness' as const },
      stateDir: join(state, 'refusals'),
    };
    const wrong = new NodeClient({ ...options, token: `${f.token.slice(0, -4)}AAAA` });
    const findings = [1, 2, 3].map((n) => wrong.entry({ kind: 'finding', body: `pool at ${n}00/100` }));
    const typo = wrong.entry({
      kind: 'rejection',
      body: 'not the pool',
      rationale: 'mistyped',
      refs: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'],
    });
    await wrong.queue.add([...findings, typo]);
    const refused = await wrong.flush();
    expect(refused).toMatchObject({
      durable: [],
      queued: [...findings, typo].map((e) => e.id),
      error: expect.stringContaining('not valid'),
    });
    const right = new NodeClient({ ...options, token: f.token });
    const flushed = await right.flush();
    expect(flushed).toMatchObject({
      durable: findings.map((e) => e.id),
      queued: [],
      rejected: [typo.id],
      error: expect.stringContaining('unknown entries'),
    });
    expect((await f.api.listEntries(id)).entries.map((e) => e.id)).toEqual(findings.map((e) => e.id));
    expect(await right.flush()).toEqual({ durable: [], queued: [] });
  });

  it('lands every entry exactly once when the flushing process is killed midway and run again', async () => {
    const id = (await f.api.createIncident({ title: 'Queue crash' })).incident.id;
    const qenv = childEnv({ ...env, SITREP_INCIDENT: id, SITREP_STATE_DIR: join(state, 'crash') });
    const worker = new URL('../support/queueWorker.ts', import.meta.url).pathname;
    const run = (args: string[]): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
        env: qenv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const done = (child: ChildProcess) =>
      new Promise<string>((resolve) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => (out += d));
        child.on('close', () => resolve(out));
      });
    expect(await done(run(['fill', '3000']))).toContain('queued 3000');
    const flushing = run(['flush']);
    await waitFor(async () => (await count(id)) >= 500, 'the first batch to land', 30_000);
    flushing.kill('SIGKILL');
    await done(flushing);
    const landed = await count(id);
    expect(landed).toBeLessThan(3000); // killed midway
    const again = JSON.parse(await done(run(['flush']))) as {
      durable: number;
      queued: number;
      error: string | null;
    };
    expect(again).toMatchObject({ queued: 0, error: null });
    const entries = (await f.api.listEntries(id, { limit: 5000 })).entries;
    expect(entries).toHaveLength(3000);
    expect(new Set(entries.map((e) => e.body)).size).toBe(3000);
  });
});

describe('CLI for harnesses', () => {
  it('briefs with a budget, remembers what this client has seen, and says --json', async () => {
    const cli = (args: string[]) => runCli(args, { env });
    const first = await cli(['brief', incident, '--max-tokens', '400']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.length / 4).toBeLessThanOrEqual(420);
    await f.api.appendEntries(incident, {
      entries: [makeEntry('finding', { body: 'a brand new finding for the brief' })],
    });
    const second = await cli(['brief', incident, '--json']);
    const brief = JSON.parse(second.stdout) as { changes: { text: string }[] };
    expect(brief.changes.map((c) => c.text)).toEqual(['a brand new finding for the brief']);
    expect((await cli(['brief', incident, '--max-tokens', '10'])).code).toBe(2);
  });

  /** Writes `text` to a file and imports it as a transcript dated 2026-11-24; the CLI's answer. */
  const importTranscript = async (name: string, text?: string) => {
    const file = join(state, name);
    if (text !== undefined) await writeFile(file, text);
    return runCli(['import', incident, file, '--format', 'transcript', '--date', '2026-11-24'], { env });
  };
  const transcriptPoints = async () => (await f.api.listEntries(incident, { kind: 'transcript' })).entries;

  it('imports a transcript, one attributed entry per point', async () => {
    const r = await importTranscript(
      'bridge.txt',
      '[14:02] Sam: roll back now\n[14:03] Priya: latency is dropping\n  p99 at 400 ms\n',
    );
    expect(r).toMatchObject({ code: 0, stdout: `imported 2 transcript points into ${incident}\n` });
    expect((await transcriptPoints()).map((p) => [p.author.name, p.body, p.at])).toEqual([
      ['Sam', 'roll back now', '2026-11-24T14:02:00.000Z'],
      ['Priya', 'latency is dropping\np99 at 400 ms', '2026-11-24T14:03:00.000Z'],
    ]);
    // The same import again (a retry) adds nothing twice.
    const again = await importTranscript('bridge.txt');
    expect(again).toMatchObject({
      code: 0,
      stdout: `imported 0 transcript points into ${incident} (2 were there already)\n`,
    });
    expect(await transcriptPoints()).toHaveLength(2);
  });

  it('imports a transcript holding NUL with U+FFFD in its place', async () => {
    const r = await importTranscript('broken.txt', '[14:05] Sam: binary \u0000 junk here\n');
    expect(r).toMatchObject({ code: 0, stdout: `imported 1 transcript points into ${incident}\n` });
    expect((await transcriptPoints()).map((p) => p.body)).toContain('binary \uFFFD junk here');
  });

  it('sets a project up for Claude Code, merging with its settings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-project-'));
    await writeFile(
      join(dir, '.mcp.json'),
      JSON.stringify({ mcpServers: { other: { command: 'other-mcp' } } }),
    );
    const r = await runCli(
      [
        'init',
        'claude-code',
        '--incident',
        incident,
        '--dir',
        dir,
        '--server',
        f.server.url,
        '--token',
        f.token,
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const mcp = JSON.parse(await readFile(join(dir, '.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { args?: string[] }>;
    };
    expect(Object.keys(mcp.mcpServers).sort()).toEqual(['other', 'sitrep']);
    expect(mcp.mcpServers.sitrep?.args).toEqual([SITREP_BUILT, 'mcp']);
    const settings = JSON.parse(await readFile(join(dir, '.claude', 'settings.json'), 'utf8')) as {
      hooks: Record<string, unknown[]>;
    };
    expect(Object.keys(settings.hooks).sort()).toEqual(['SessionStart', 'Stop', 'UserPromptSubmit']);
    expect(JSON.parse(await readFile(join(dir, '.sitrep.json'), 'utf8'))).toMatchObject({
      url: f.server.url,
      incident,
    });
    expect(await readFile(join(dir, '.sitrep.json'), 'utf8')).not.toContain(f.token);
    // The hook as Claude Code would run it: from the project, with no SITREP_* variables but the state dir.
    const plain = childEnv({ SITREP_STATE_DIR: state });
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [SITREP_BUILT, 'hook', 'SessionStart'], { env: plain, cwd: dir });
      let s = '';
      child.stdout.on('data', (d: Buffer) => (s += d));
      child.on('close', () => resolve(s));
      child.stdin.end(JSON.stringify({ session_id: 'x', hook_event_name: 'SessionStart', cwd: dir }));
    });
    expect(JSON.parse(out).hookSpecificOutput.additionalContext).toContain('Harness incident');
    await rm(dir, { recursive: true, force: true });
  });
});
