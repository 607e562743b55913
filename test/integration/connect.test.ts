// "Connect a harness" against a real server: POST /api/incidents/:id/connect for every kind of
// token, bad bodies, the responder's name sanitized onto the token, the setup files parsed and
// checked against the shapes their harnesses document (shared/src/connect.ts cites them), and a
// round trip: the minted token and the URLs in the setup work, with the hook bodies as Claude
// Code posts them and the headers as it fills them in.
import { ApiClient, ConnectResponse, HOOK_EVENTS, type HarnessSetup, TOKEN_ENV } from '@sitrep/shared';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { Authenticator } from '../../server/src/auth/Authenticator.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHook, expandMcpJson, headerVariables, postHttpHook } from '../support/harnessConfig.js';
import { runCli } from '../support/cli.js';
import { hookJson } from '../support/hookInput.js';
import { claudeCode } from '../support/claudeCodeTelemetry.js';
import { textOf } from '../support/mcp.js';
import { BACKENDS, type Fixture, adminToken, startFixture } from '../support/server.js';

type Role = 'viewer' | 'responder' | 'commander';

const fileOf = (setup: HarnessSetup | undefined, path: string) => {
  const file = setup?.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the ${setup?.harness} setup`);
  return file;
};

describe.each(BACKENDS)('connect a harness (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  let other: string;
  const tokens: Record<string, string> = {};
  const as = (name: string) => new ApiClient(f.server.url, { token: tokens[name] });
  const post = (token: string | undefined, body: unknown, id = incident) =>
    fetch(`${f.server.url}/api/incidents/${id}/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const tokenCount = async () => (await f.api.listTokens()).tokens.length;

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
    other = (await f.api.createIncident({ title: 'Search is slow' })).incident.id;
    const make = async (name: string, role: Role, incidentId?: string) => {
      tokens[name] = (await f.api.createToken({ role, label: name, incidentId })).token;
    };
    await make('viewer', 'viewer');
    await make('responder', 'responder', incident);
    await make('commander', 'commander', incident);
    await make('anyCommander', 'commander');
    await make('otherCommander', 'commander', other);
  });
  afterAll(() => f.close());

  it('mints a responder token limited to the incident that carries the name, and shows it once', async () => {
    const made = await as('commander').connect(incident, { name: 'Priya', harness: 'claude-code' });
    expect(made.token.summary).toMatchObject({
      role: 'responder',
      kind: 'harness',
      incidentId: incident,
      isolated: false,
      name: 'Priya',
    });
    expect(made.token.summary.expiresAt).not.toBeNull();
    expect(made.incident).toBe(incident);
    expect(made.server).toBe(f.server.url);
    expect(made.setups.map((s) => s.harness)).toEqual(['claude-code']);
    // The token is in the one export line, in no file of the setup, and nowhere in a listing.
    expect(made.export).toMatchObject({ path: null, language: 'shell', secret: true });
    expect(made.export.text).toBe(`export ${TOKEN_ENV}='${made.token.token}'\n`);
    for (const file of made.setups.flatMap((s) => s.files)) {
      expect(file.text).not.toContain(made.token.token);
      expect(file.secret).toBe(false);
    }
    const listed = (await f.api.listTokens()).tokens.find((t) => t.id === made.token.summary.id);
    expect(listed).toMatchObject({ name: 'Priya', incidentId: incident });
    expect(JSON.stringify(await f.api.listTokens())).not.toContain(made.token.token);
    // The authenticator knows the name: /mcp and /hooks write under it.
    const principal = await new Authenticator(f.server.store).authenticate(made.token.token);
    expect(principal).toMatchObject({ name: 'Priya', role: 'responder', incidentId: incident });
  });

  it('answers the setup of every harness when none is named', async () => {
    const made = await as('commander').connect(incident, { name: 'Sam' });
    expect(made.setups.map((s) => s.harness)).toEqual(['claude-code', 'codex', 'generic']);
    expect(made.token.summary.label).toBe('harness for Sam');
  });

  it('lets a commander of the incident, a commander of all and an admin connect; refuses the rest', async () => {
    const allowed: [string, string | undefined][] = [
      ['commander of this incident', tokens.commander],
      ['commander of every incident', tokens.anyCommander],
      ['admin', undefined],
    ];
    for (const [who, token] of allowed) {
      const res = await post(token ?? adminToken(f.server), { name: 'Ana', harness: 'codex' });
      expect(res.status, who).toBe(201);
    }
    const before = await tokenCount();
    const refused: [string, string | undefined, number, string][] = [
      ['no token', undefined, 401, 'auth.missing'],
      ['a viewer', tokens.viewer, 403, 'auth.forbidden'],
      ['a responder of this incident', tokens.responder, 403, 'auth.forbidden'],
      ['a commander of another incident', tokens.otherCommander, 403, 'auth.forbidden'],
      [
        'a wrong token',
        'sitrep_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        401,
        'auth.invalid',
      ],
    ];
    for (const [who, token, status, code] of refused) {
      const res = await post(token, { name: 'Mallory' });
      expect(res.status, who).toBe(status);
      expect(await res.json(), who).toMatchObject({ error: { code } });
    }
    const missing = await post(tokens.anyCommander, { name: 'Ana' }, 'no-such-incident');
    expect(missing.status).toBe(404);
    expect(await tokenCount()).toBe(before);
  });

  it('refuses bad bodies with 400 and mints nothing', async () => {
    const before = await tokenCount();
    const bad: [string, unknown][] = [
      ['not JSON', '{"name": '],
      ['no name', {}],
      ['an empty name', { name: '   ' }],
      ['a name too long', { name: 'x'.repeat(81) }],
      ['a name that is not a string', { name: 42 }],
      ['an unknown harness', { name: 'Ana', harness: 'vim' }],
      ['an unknown field', { name: 'Ana', role: 'admin' }],
      ['an array', [{ name: 'Ana' }]],
    ];
    for (const [what, body] of bad) {
      const res = await post(tokens.commander, body);
      expect(res.status, what).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code, what).toMatch(/^request\./);
    }
    expect(await tokenCount()).toBe(before);
  });

  it("sanitizes the responder's name as any free text: private data never reaches the token", async () => {
    const made = await as('commander').connect(incident, { name: 'Priya priya.raman@example.com' });
    expect(made.token.summary.name).toMatch(/^Priya \[email-[0-9a-f]+\]$/);
    expect(made.token.summary.label).not.toContain('example.com');
    const audit = await f.api.listAudit({ incident, action: 'token.create' });
    expect(JSON.stringify(audit)).not.toContain('priya.raman@example.com');
    expect((await new Authenticator(f.server.store).authenticate(made.token.token)).name).toBe(
      made.token.summary.name,
    );
  });

  describe('the setup files, as their harnesses document them', () => {
    let made: ConnectResponse;
    beforeAll(async () => {
      made = await as('commander').connect(incident, { name: 'Priya' });
    });
    const setup = (h: string) => made.setups.find((s) => s.harness === h);

    it('Claude Code .mcp.json: an http server at <server>/mcp, the token from SITREP_TOKEN', () => {
      const mcp = JSON.parse(fileOf(setup('claude-code'), '.mcp.json').text);
      expect(Object.keys(mcp)).toEqual(['mcpServers']);
      expect(mcp.mcpServers.sitrep).toEqual({
        type: 'http',
        url: `${f.server.url}/mcp?incident=${incident}`,
        headers: { Authorization: `Bearer \${SITREP_TOKEN}` },
      });
      expect(expandMcpJson(mcp, { SITREP_TOKEN: 'abc' }).mcpServers.sitrep.headers.Authorization).toBe(
        'Bearer abc',
      );
    });

    it('Claude Code settings: an http hook per event, its header variables all allowed; telemetry env', () => {
      const settings = JSON.parse(fileOf(setup('claude-code'), '.claude/settings.json').text);
      expect(Object.keys(settings.hooks)).toEqual([...HOOK_EVENTS]);
      for (const event of HOOK_EVENTS) {
        const groups = settings.hooks[event] as { matcher?: string; hooks: HttpHook[] }[];
        expect(groups).toHaveLength(1);
        const [hook] = groups[0]?.hooks ?? [];
        expect(hook).toEqual({
          type: 'http',
          url: `${f.server.url}/hooks/claude-code?incident=${incident}`,
          headers: { Authorization: `Bearer \${SITREP_TOKEN}` },
          allowedEnvVars: ['SITREP_TOKEN'],
          timeout: 10,
        });
        // A variable not in allowedEnvVars is sent empty: every one used must be listed.
        for (const v of Object.values(hook?.headers ?? {}).flatMap(headerVariables))
          expect(hook?.allowedEnvVars).toContain(v);
      }
      expect(settings.env).toEqual({
        CLAUDE_CODE_ENABLE_TELEMETRY: '1',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: f.server.url,
        OTEL_RESOURCE_ATTRIBUTES: `sitrep.incident=${incident}`,
      });
      // settings `env` is not expanded: the header with the token is made in the shell.
      const header = setup('claude-code')?.files.find((x) => x.title === 'Telemetry header');
      expect(header?.text).toBe('export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $SITREP_TOKEN"\n');
    });

    it('Codex config.toml: [mcp_servers.sitrep] with url and bearer_token_env_var, no inline token', () => {
      const toml = parseToml(fileOf(setup('codex'), '~/.codex/config.toml').text);
      expect(toml).toEqual({
        mcp_servers: {
          sitrep: { url: `${f.server.url}/mcp?incident=${incident}`, bearer_token_env_var: 'SITREP_TOKEN' },
        },
      });
      expect(fileOf(setup('codex'), 'AGENTS.md').text).toContain('get_brief');
    });

    it('a generic MCP client: the URL and the header, and a check it can run', () => {
      const [file] = setup('generic')?.files ?? [];
      expect(file?.text).toContain(`${f.server.url}/mcp?incident=${incident}`);
      expect(file?.text).toContain('Authorization: Bearer $SITREP_TOKEN');
    });

    it('round trip: the minted token and the hook URL from the settings work as Claude Code uses them', async () => {
      const settings = JSON.parse(fileOf(setup('claude-code'), '.claude/settings.json').text);
      const hookOf = (event: string): HttpHook => settings.hooks[event][0].hooks[0];
      const env = { [TOKEN_ENV]: made.token.token };

      const start = await postHttpHook(hookOf('SessionStart'), hookJson.SessionStart('s-connect'), env);
      expect(start.status).toBe(200);
      const answer = (await start.json()) as { hookSpecificOutput: { additionalContext: string } };
      expect(answer.hookSpecificOutput.additionalContext).toContain('Checkout timeouts');
      const prompt = await postHttpHook(
        hookOf('UserPromptSubmit'),
        hookJson.UserPromptSubmit('s-connect'),
        env,
      );
      expect(prompt.status).toBe(200);
      const stop = await postHttpHook(hookOf('Stop'), hookJson.Stop('s-connect'), env);
      expect(stop.status).toBe(204);
      const session = await f.server.store.hookSessions.find({
        tokenId: made.token.summary.id,
        incidentId: incident,
        sessionId: 's-connect',
      });
      expect(session).toMatchObject({ turns: 1 });
      // Without the variable set, Claude Code sends an empty bearer: refused, never blocking.
      expect((await postHttpHook(hookOf('Stop'), hookJson.Stop('s-unset'), {})).status).toBe(401);
    });
  });

  it("round trip over MCP: Claude Code's .mcp.json and Codex's config.toml reach /mcp, pushes are the responder's", async () => {
    const made = await as('commander').connect(incident, { name: 'Priya' });
    const env: Record<string, string> = { [TOKEN_ENV]: made.token.token };
    const claude = expandMcpJson(
      JSON.parse(
        fileOf(
          made.setups.find((s) => s.harness === 'claude-code'),
          '.mcp.json',
        ).text,
      ),
      env,
    ).mcpServers.sitrep as { url: string; headers: Record<string, string> };
    const codex = (
      parseToml(
        fileOf(
          made.setups.find((s) => s.harness === 'codex'),
          '~/.codex/config.toml',
        ).text,
      ) as {
        mcp_servers: { sitrep: { url: string; bearer_token_env_var: string } };
      }
    ).mcp_servers.sitrep;
    const clients = [
      { url: claude.url, headers: claude.headers },
      // Codex sends `Authorization: Bearer <the variable's value>`.
      { url: codex.url, headers: { Authorization: `Bearer ${env[codex.bearer_token_env_var]}` } },
    ];
    for (const [i, how] of clients.entries()) {
      const client = new Client({ name: 'harness', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(how.url), { requestInit: { headers: how.headers } }),
      );
      try {
        const pushed = await client.callTool({
          name: 'push_finding',
          arguments: { body: `pool exhausted, seen by harness ${i}` },
        });
        expect(pushed.isError, textOf(pushed)).toBeFalsy();
      } finally {
        await client.close();
      }
    }
    const mine = (await f.api.listEntries(incident, { limit: 1000 })).entries.filter((e) =>
      e.body.startsWith('pool exhausted, seen by harness'),
    );
    expect(mine.map((e) => e.author.name)).toEqual(['Priya', 'Priya']);
  });

  it("round trip over OTLP: Claude Code's telemetry env reaches /v1/metrics, usage is the responder's", async () => {
    const made = await as('commander').connect(incident, { name: 'Ravi', harness: 'claude-code' });
    const setup = made.setups.find((s) => s.harness === 'claude-code');
    const env = JSON.parse(fileOf(setup, '.claude/settings.json').text).env as Record<string, string>;
    // The header line, as the shell expands it with the token exported.
    const headerLine = setup?.files.find((x) => x.title === 'Telemetry header')?.text ?? '';
    const header = /^export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer \$SITREP_TOKEN"$/m.test(
      headerLine,
    );
    expect(header).toBe(true);
    const attributes = Object.fromEntries(
      (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',').map((kv) => kv.split('=') as [string, string]),
    );
    const cc = claudeCode({
      url: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
      token: made.token.token,
      incident: attributes['sitrep.incident'],
      session: 's-otlp-connect',
      temporality: AggregationTemporality.DELTA,
    });
    cc.use('claude-sonnet-4-5', { input: 1_200, output: 90 }, 0.005);
    await cc.flush();
    await cc.shutdown();
    const usage = await f.api.usage(incident);
    const ravi = usage.harness.filter((l) => l.author.tokenId === made.token.summary.id);
    expect(ravi.map((l) => [l.author.name, l.tokens.input, l.tokens.output])).toEqual([['Ravi', 1_200, 90]]);
  });

  describe('sitrep connect and sitrep init --remote, through the real executable', () => {
    const cli = (args: string[], token = tokens.commander ?? '') =>
      runCli([...args, '--server', f.server.url, '--token', token]);

    it('prints the token once and the setup of the harness asked for', async () => {
      const r = await cli(['connect', incident, '--name', 'Noor', '--harness', 'codex']);
      expect(r.code, r.stderr).toBe(0);
      const token = /^export SITREP_TOKEN='(sitrep_[^']+)'$/m.exec(r.stdout)?.[1] ?? '';
      expect(r.stdout.split(token)).toHaveLength(2);
      expect(r.stdout).toContain(`Noor can join incident ${incident}`);
      expect(r.stdout).toContain('# ~/.codex/config.toml: MCP server.');
      expect(r.stdout).toContain('bearer_token_env_var = "SITREP_TOKEN"');
      expect(r.stdout).not.toContain('.mcp.json');
      expect(await new Authenticator(f.server.store).authenticate(token)).toMatchObject({ name: 'Noor' });
    });

    it('--json prints the answer as the API gives it', async () => {
      const r = await cli(['connect', incident, '--name', 'Noor', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const answer = ConnectResponse.parse(JSON.parse(r.stdout));
      expect(answer.setups.map((s) => s.harness)).toEqual(['claude-code', 'codex', 'generic']);
    });

    it('names the flag that is wrong, and a refusal, with a non-zero exit and no token', async () => {
      const before = await tokenCount();
      const cases: [string[], string | undefined, number, RegExp][] = [
        [['connect', incident], undefined, 2, /--name/],
        [['connect', incident, '--name', 'Noor', '--harness', 'vim'], undefined, 2, /--harness/],
        [['connect', 'Not An Id!', '--name', 'Noor'], undefined, 2, /incident id/],
        [['connect', incident, '--name', 'Noor'], tokens.viewer, 1, /commander role/],
      ];
      for (const [args, token, code, message] of cases) {
        const r = await cli(args, token);
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stdout).not.toContain('sitrep_');
      }
      expect(await tokenCount()).toBe(before);
    });

    it('init --remote writes the same setup into a project, replacing a local one; the hooks work', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sitrep-remote-'));
      try {
        await mkdir(join(dir, '.claude'));
        const local = { type: 'command', command: '"/usr/bin/node" "/opt/sitrep/bin/sitrep.js" hook Stop' };
        const mine = { type: 'command', command: 'notify-send done' };
        await writeFile(
          join(dir, '.claude', 'settings.json'),
          JSON.stringify({
            model: 'opus',
            env: { FOO: '1' },
            hooks: { Stop: [{ hooks: [mine] }, { hooks: [local] }] },
          }),
        );
        await writeFile(
          join(dir, '.mcp.json'),
          JSON.stringify({ mcpServers: { other: { command: 'other-mcp' } } }),
        );
        const { token } = await as('commander').connect(incident, { name: 'Noor', harness: 'claude-code' });
        const args = ['init', 'claude-code', '--incident', incident, '--dir', dir, '--remote', f.server.url];
        const r = await runCli(args);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('export SITREP_TOKEN=<token>');
        expect(r.stdout).toContain('export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $SITREP_TOKEN"');
        // Run twice: the same files, nothing doubled.
        const first = await readFile(join(dir, '.claude', 'settings.json'), 'utf8');
        expect((await runCli(args)).code).toBe(0);
        expect(await readFile(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(first);

        const settings = JSON.parse(first);
        const expected = JSON.parse(
          fileOf(
            harnessSetupFrom(await as('commander').connect(incident, { name: 'x' })),
            '.claude/settings.json',
          ).text,
        );
        expect(settings.model).toBe('opus');
        expect(settings.env).toEqual({ FOO: '1', ...expected.env });
        expect(settings.hooks.Stop).toEqual([{ hooks: [mine] }, ...expected.hooks.Stop]);
        expect(settings.hooks.SessionStart).toEqual(expected.hooks.SessionStart);
        const mcp = JSON.parse(await readFile(join(dir, '.mcp.json'), 'utf8'));
        expect(Object.keys(mcp.mcpServers)).toEqual(['other', 'sitrep']);
        expect(mcp.mcpServers.sitrep.type).toBe('http');

        const stop = settings.hooks.Stop[1].hooks[0] as HttpHook;
        const res = await postHttpHook(stop, hookJson.Stop('s-init'), { [TOKEN_ENV]: token.token });
        expect(res.status).toBe(204);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});

const harnessSetupFrom = (c: ConnectResponse) => c.setups.find((s) => s.harness === 'claude-code');
