// `sitrep init claude-code`: sets a project up so Claude Code syncs with sitrep by itself. It
// merges sitrep's hooks into .claude/settings.json and its MCP server into .mcp.json (keeping
// everything else there, replacing an earlier sitrep setup rather than adding a second), writes
// .sitrep.json (server, incident, author; never the token) and keeps the token, if given, in the
// user's state dir with mode 0600.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOOK_EVENTS, SitrepError } from '@sitrep/shared';
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

/** A hook an earlier `sitrep init` wrote: replaced, not doubled. */
function isSitrep(hook: unknown): boolean {
  const command = (hook as { command?: unknown } | null)?.command;
  return (
    typeof command === 'string' && /sitrep(\.js)?"? hook (SessionStart|UserPromptSubmit|Stop)$/.test(command)
  );
}

/** Claude Code's settings with sitrep's hooks merged in. */
export function mergeHooks(settings: Json, command: (event: string) => string): Json {
  const hooks = { ...((settings.hooks as Json | undefined) ?? {}) };
  for (const event of HOOK_EVENTS) {
    const groups = Array.isArray(hooks[event]) ? (hooks[event] as Json[]) : [];
    const kept = groups
      .map((g) => ({
        ...g,
        hooks: Array.isArray(g.hooks) ? (g.hooks as unknown[]).filter((h) => !isSitrep(h)) : g.hooks,
      }))
      .filter((g) => !Array.isArray(g.hooks) || g.hooks.length > 0);
    hooks[event] = [...kept, { hooks: [{ type: 'command', command: command(event), timeout: 10 }] }];
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

export async function initClaudeCode(o: InitOptions): Promise<string[]> {
  const node = process.execPath;
  const settingsFile = join(o.dir, '.claude', 'settings.json');
  await writeJson(
    settingsFile,
    mergeHooks(await readJson(settingsFile), (event) => `${quote(node)} ${quote(SITREP_BIN)} hook ${event}`),
  );
  const mcpFile = join(o.dir, '.mcp.json');
  const mcp = await readJson(mcpFile);
  await writeJson(mcpFile, {
    ...mcp,
    mcpServers: {
      ...((mcp.mcpServers as Json | undefined) ?? {}),
      sitrep: { command: node, args: [SITREP_BIN, 'mcp'] },
    },
  });
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
