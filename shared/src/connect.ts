// "Connect a harness": the request and answer of `POST /api/incidents/:id/connect`, and the one
// builder of the ready-to-paste setup that the API answers, `sitrep connect` prints, the dashboard
// shows and `sitrep init --remote` merges into a project. The token is read from SITREP_TOKEN
// everywhere: it appears once, in an `export` line, and never in a file meant to be committed.
//
// Each file follows its harness's documented format:
// - Claude Code `.mcp.json`: an `http` server with `url` and `headers`; `${VAR}` is expanded in
//   both (https://code.claude.com/docs/en/mcp, "Environment variable expansion in .mcp.json").
// - Claude Code hooks in `.claude/settings.json`: `"type": "http"` POSTs the hook input to `url`;
//   header values interpolate `$VAR` / `${VAR}` only for variables listed in `allowedEnvVars`
//   (https://code.claude.com/docs/en/hooks, "HTTP hooks").
// - Claude Code settings `env`: applied to every session, values taken literally, with no
//   expansion (https://code.claude.com/docs/en/settings), so the OTLP header, which holds the
//   token, is exported in the shell instead; the OTel variables are those of
//   https://code.claude.com/docs/en/monitoring-usage (http/json appends /v1/metrics).
// - Codex `~/.codex/config.toml`: `[mcp_servers.<name>]` with `url` (Streamable HTTP) and
//   `bearer_token_env_var`, the name of the variable holding the token
//   (https://developers.openai.com/codex/mcp).
import { z } from 'zod';
import { TokenCreated } from './api.js';
import { IncidentId } from './incident.js';

/** Where a remote harness reaches the server. */
export const REMOTE_PATHS = {
  mcp: '/mcp',
  claudeCodeHooks: '/hooks/claude-code',
  otlpMetrics: '/v1/metrics',
} as const;

/** The Claude Code hook events sitrep serves, locally (`sitrep hook`) and over HTTP. */
export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** The environment variable every setup reads the token from. */
export const TOKEN_ENV = 'SITREP_TOKEN';

export const HARNESSES = ['claude-code', 'codex', 'generic'] as const;
export const Harness = z.enum(HARNESSES);
export type Harness = z.infer<typeof Harness>;

/** A commander connects a responder's harness: the responder's name, and which harness (all when left out). */
export const ConnectRequest = z.strictObject({
  name: z.string().trim().min(1, 'must name the responder').max(80),
  harness: Harness.optional(),
});
export type ConnectRequest = z.input<typeof ConnectRequest>;

export const SetupFile = z.object({
  /** What this is: "Claude Code MCP server". */
  title: z.string(),
  /** Where it goes (`.mcp.json`, `~/.codex/config.toml`), or null for lines to run in a shell. */
  path: z.string().nullable(),
  language: z.enum(['shell', 'json', 'toml', 'markdown']),
  text: z.string(),
  /** What to do with it, in a sentence. */
  note: z.string(),
  /** Holds the token: keep it out of files and repositories. */
  secret: z.boolean(),
});
export type SetupFile = z.infer<typeof SetupFile>;

export const HarnessSetup = z.object({ harness: Harness, title: z.string(), files: z.array(SetupFile) });
export type HarnessSetup = z.infer<typeof HarnessSetup>;

/**
 * The token (shown only in this answer), the one line that exports it, and the setup of each
 * harness asked for, which reads it from the environment.
 */
export const ConnectResponse = z.object({
  token: TokenCreated,
  incident: IncidentId,
  server: z.string(),
  export: SetupFile,
  setups: z.array(HarnessSetup),
});
export type ConnectResponse = z.infer<typeof ConnectResponse>;

/** Which server and incident a setup points at. */
export interface SetupTarget {
  /** The server's base URL as responders reach it. */
  server: string;
  incident: string;
}

const base = (server: string) => server.replace(/\/+$/, '');
const urlOf = (t: SetupTarget, path: string) =>
  `${base(t.server)}${path}?incident=${encodeURIComponent(t.incident)}`;
const BEARER = `Bearer \${${TOKEN_ENV}}`;

/** The `sitrep` entry of Claude Code's `.mcp.json` `mcpServers`. */
export function claudeCodeMcpServer(t: SetupTarget) {
  return { type: 'http', url: urlOf(t, REMOTE_PATHS.mcp), headers: { Authorization: BEARER } };
}

/** The hook Claude Code runs for each event sitrep serves: an HTTP POST of the hook input. */
export function claudeCodeHttpHook(t: SetupTarget) {
  return {
    type: 'http',
    url: urlOf(t, REMOTE_PATHS.claudeCodeHooks),
    headers: { Authorization: BEARER },
    allowedEnvVars: [TOKEN_ENV],
    timeout: 10,
  };
}

/** Claude Code's telemetry to the server: token use and cost per incident (no secret in it). */
export function claudeCodeTelemetryEnv(t: SetupTarget): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: base(t.server),
    OTEL_RESOURCE_ATTRIBUTES: `sitrep.incident=${t.incident}`,
  };
}

/** Claude Code's project settings: telemetry on, and the three hooks over HTTP. */
export function claudeCodeSettings(t: SetupTarget) {
  const hook = claudeCodeHttpHook(t);
  return {
    env: claudeCodeTelemetryEnv(t),
    hooks: Object.fromEntries(HOOK_EVENTS.map((event) => [event, [{ hooks: [hook] }]])),
  };
}

/** Codex's `[mcp_servers.sitrep]` table. */
export function codexConfigToml(t: SetupTarget): string {
  return [
    '[mcp_servers.sitrep]',
    `url = ${JSON.stringify(urlOf(t, REMOTE_PATHS.mcp))}`,
    `bearer_token_env_var = ${JSON.stringify(TOKEN_ENV)}`,
    '',
  ].join('\n');
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The line that puts the token in the shell's environment: the only place it is written. */
export function tokenExport(token?: string): SetupFile {
  return {
    title: 'The token',
    path: null,
    language: 'shell',
    text: `export ${TOKEN_ENV}=${token ? quoted(token) : '<token>'}\n`,
    note: token
      ? 'Run it in the shell you start the harness from. Shown once: keep it in a password manager, never in a repository.'
      : 'Your token, in the shell you start the harness from; never in a repository.',
    secret: token !== undefined,
  };
}

const INSTRUCTIONS = (t: SetupTarget) =>
  [
    `## Incident ${t.incident} (sitrep)`,
    '',
    'At the start of each turn call the `get_brief` tool of the `sitrep` MCP server: it says which',
    'theories are alive, which are dead and why. Before you end a turn, push what you learned',
    '(`push_finding`, `push_theory`, `reject_theory`, `record_decision`, `record_gap`).',
    '',
  ].join('\n');

function claudeCodeFiles(t: SetupTarget): SetupFile[] {
  return [
    {
      title: 'Telemetry header',
      path: null,
      language: 'shell',
      text: `export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $${TOKEN_ENV}"\n`,
      note: 'After the token, in the same shell: the values in settings env are not expanded, so the header is made here.',
      secret: false,
    },
    {
      title: 'MCP server',
      path: '.mcp.json',
      language: 'json',
      text: json({ mcpServers: { sitrep: claudeCodeMcpServer(t) } }),
      note: `In the project root, merged with any servers already there. Claude Code fills in \${${TOKEN_ENV}}.`,
      secret: false,
    },
    {
      title: 'Hooks and telemetry',
      path: '.claude/settings.json',
      language: 'json',
      text: json(claudeCodeSettings(t)),
      note:
        'Merged with the settings already there (or in .claude/settings.local.json to keep it to yourself): ' +
        'the brief at each prompt, turns counted, token use and cost reported.',
      secret: false,
    },
  ];
}

function codexFiles(t: SetupTarget): SetupFile[] {
  return [
    {
      title: 'MCP server',
      path: '~/.codex/config.toml',
      language: 'toml',
      text: codexConfigToml(t),
      note: 'Appended to your Codex config (or .codex/config.toml in a trusted project). Codex reads the token from SITREP_TOKEN.',
      secret: false,
    },
    {
      title: 'Instructions',
      path: 'AGENTS.md',
      language: 'markdown',
      text: INSTRUCTIONS(t),
      note: 'Codex has no hooks: this tells it to read the brief and push what it learns.',
      secret: false,
    },
  ];
}

/** An MCP `initialize` request: what a generic client's check sends. */
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

function genericFiles(t: SetupTarget): SetupFile[] {
  const url = urlOf(t, REMOTE_PATHS.mcp);
  return [
    {
      title: 'MCP server (Streamable HTTP)',
      path: null,
      language: 'shell',
      text: [
        '# Any MCP client that speaks Streamable HTTP: this URL, with this header on every request.',
        `#   URL:    ${url}`,
        `#   Header: Authorization: Bearer $${TOKEN_ENV}`,
        '# Check it answers:',
        `curl -sS ${quoted(url)} -H "Authorization: Bearer $${TOKEN_ENV}" \\`,
        `  -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\`,
        `  -d ${quoted(JSON.stringify(INITIALIZE))}`,
        '',
      ].join('\n'),
      note: 'Then ask the agent to call get_brief at the start of a turn and to push what it learned before it ends.',
      secret: false,
    },
  ];
}

const SETUPS: Record<Harness, { title: string; files: (t: SetupTarget) => SetupFile[] }> = {
  'claude-code': { title: 'Claude Code', files: claudeCodeFiles },
  codex: { title: 'Codex', files: codexFiles },
  generic: { title: 'Any MCP client', files: genericFiles },
};

/** The ready-to-paste setup of one harness, reading the token from SITREP_TOKEN (`tokenExport`). */
export function harnessSetup(harness: Harness, t: SetupTarget): HarnessSetup {
  const setup = SETUPS[harness];
  return { harness, title: setup.title, files: setup.files(t) };
}
