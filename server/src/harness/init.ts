// `sitrep init claude-code`: sets a project up so Claude Code syncs with sitrep by itself. It
// merges sitrep's hooks into .claude/settings.json and its MCP server into .mcp.json (keeping
// everything else there, replacing an earlier sitrep setup, local or remote, rather than adding
// a second). Local (the default): command hooks and `sitrep mcp` on this machine, .sitrep.json
// (server, incident, author; never the token), and the token, if given, in the user's state dir
// with mode 0600. Remote: the HTTP hooks, MCP server and telemetry of "connect a harness"
// (shared/src/connect.ts), which read the token from SITREP_TOKEN; nothing of sitrep runs here.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HOOK_EVENTS,
  REMOTE_PATHS,
  SitrepError,
  type SetupTarget,
  claudeCodeHttpHook,
  claudeCodeMcpServer,
  claudeCodeTelemetryEnv,
} from '@sitrep/shared';
import { packageFiles } from '../packageFiles.js';
import { PROJECT_FILE, type ProjectConfig } from './HarnessConfig.js';

const SITREP_BIN = fileURLToPath(packageFiles.executable);
const quote = (s: string) => `"${s.replace(/(["\\$`])/g, '\\$1')}"`;

type Json = Record<string, unknown>;

async function readJson(file: string): Promise<Json> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  } catch {
    // reported below
  }
  throw new SitrepError('cli.usage', `${file} is not a JSON object; fix or move it, then run init again`);
}

async function writeJson(file: string, value: unknown, mode = 0o644): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode });
}

/** A hook an earlier `sitrep init` wrote, local or remote: replaced, not doubled. */
function isSitrep(hook: unknown): boolean {
  const { command, type, url } = (hook ?? {}) as { command?: unknown; type?: unknown; url?: unknown };
  if (type === 'http') return typeof url === 'string' && url.includes(REMOTE_PATHS.claudeCodeHooks);
  return (
    typeof command === 'string' && /sitrep(\.js)?"? hook (SessionStart|UserPromptSubmit|Stop)$/.test(command)
  );
}

/** A local command hook running `sitrep hook <event>`. */
export const commandHook = (command: (event: string) => string) => (event: string) => ({
  type: 'command',
  command: command(event),
  timeout: 10,
});

/** Claude Code's settings with sitrep's hook for each event merged in. */
export function mergeHooks(settings: Json, hookFor: (event: string) => Json): Json {
  const hooks = { ...((settings.hooks as Json | undefined) ?? {}) };
  for (const event of HOOK_EVENTS) {
    const groups = Array.isArray(hooks[event]) ? (hooks[event] as Json[]) : [];
    const kept = groups
      .map((g) => ({
        ...g,
        hooks: Array.isArray(g.hooks) ? (g.hooks as unknown[]).filter((h) => !isSitrep(h)) : g.hooks,
      }))
      .filter((g) => !Array.isArray(g.hooks) || g.hooks.length > 0);
    hooks[event] = [...kept, { hooks: [hookFor(event)] }];
  }
  return { ...settings, hooks };
}

export interface InitOptions {
  dir: string;
  url: string;
  incident: string;
  author: ProjectConfig['author'];
  token?: string | undefined;
  stateDir: string;
}

/** Merges sitrep's `mcpServers.sitrep` into the project's .mcp.json. */
async function writeMcpServer(dir: string, server: Json): Promise<string> {
  const mcpFile = join(dir, '.mcp.json');
  const mcp = await readJson(mcpFile);
  await writeJson(mcpFile, {
    ...mcp,
    mcpServers: { ...((mcp.mcpServers as Json | undefined) ?? {}), sitrep: server },
  });
  return mcpFile;
}

export async function initClaudeCode(o: InitOptions): Promise<string[]> {
  const node = process.execPath;
  const settingsFile = join(o.dir, '.claude', 'settings.json');
  const command = (event: string) => `${quote(node)} ${quote(SITREP_BIN)} hook ${event}`;
  await writeJson(settingsFile, mergeHooks(await readJson(settingsFile), commandHook(command)));
  const mcpFile = await writeMcpServer(o.dir, { command: node, args: [SITREP_BIN, 'mcp'] });
  const projectFile = join(o.dir, PROJECT_FILE);
  await writeJson(projectFile, {
    ...(await readJson(projectFile)),
    url: o.url,
    incident: o.incident,
    author: o.author,
  });
  const written = [settingsFile, mcpFile, projectFile];
  if (o.token) {
    await mkdir(o.stateDir, { recursive: true });
    await writeFile(join(o.stateDir, 'token'), `${o.token}\n`, { mode: 0o600 });
    written.push(join(o.stateDir, 'token'));
  }
  return written;
}

/**
 * The remote setup merged into the project: HTTP hooks, the MCP server over HTTP and telemetry,
 * all pointing at `t.server` and reading the token from SITREP_TOKEN; no token is written.
 */
export async function initClaudeCodeRemote(dir: string, t: SetupTarget): Promise<string[]> {
  const settingsFile = join(dir, '.claude', 'settings.json');
  const settings = mergeHooks(await readJson(settingsFile), () => claudeCodeHttpHook(t));
  const env = { ...((settings.env as Json | undefined) ?? {}), ...claudeCodeTelemetryEnv(t) };
  await writeJson(settingsFile, { ...settings, env });
  return [settingsFile, await writeMcpServer(dir, claudeCodeMcpServer(t))];
}
