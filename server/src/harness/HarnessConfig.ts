// Where a harness-side command (hook, mcp, brief) finds its server, token, incident and author:
// flags, then SITREP_* variables, then the project's `.sitrep.json` that `sitrep init` writes
// (which never holds the token: that stays in the environment or the user's state dir).
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Author, IncidentId, SitrepError, describeIssues } from '@sitrep/shared';
import { stateDir } from '@sitrep/shared/node';
import { z } from 'zod';

export const PROJECT_FILE = '.sitrep.json';

export const ProjectConfig = z.strictObject({
  url: z.url().optional(),
  incident: IncidentId.optional(),
  author: Author.partial().optional(),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;

export interface HarnessConfig {
  url: string;
  token: string | undefined;
  incident: string | undefined;
  author: Author;
  stateDir: string;
}

export async function readProjectConfig(dir: string): Promise<ProjectConfig> {
  const text = await readFile(join(dir, PROJECT_FILE), 'utf8').catch(() => null);
  if (text === null) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SitrepError('cli.usage', `${join(dir, PROJECT_FILE)} is not valid JSON`);
  }
  const parsed = ProjectConfig.safeParse(raw);
  if (!parsed.success)
    throw new SitrepError(
      'cli.usage',
      `${join(dir, PROJECT_FILE)}: ${describeIssues(parsed.error.issues).join('; ')}`,
    );
  return parsed.data;
}

export async function harnessConfig(
  flags: {
    server?: string | undefined;
    token?: string | undefined;
    incident?: string | undefined;
    harness?: string | undefined;
  },
  cwd = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): Promise<HarnessConfig> {
  const project = await readProjectConfig(cwd);
  const dir = stateDir(env);
  const token =
    flags.token ??
    env.SITREP_TOKEN ??
    (await readFile(join(dir, 'token'), 'utf8').catch(() => undefined))?.trim();
  const id = env.SITREP_AUTHOR_ID ?? project.author?.id ?? userInfo().username;
  const harness = flags.harness ?? env.SITREP_HARNESS ?? project.author?.harness;
  return {
    url: flags.server ?? env.SITREP_URL ?? project.url ?? 'http://127.0.0.1:8787',
    token,
    incident: flags.incident ?? env.SITREP_INCIDENT ?? project.incident,
    author: {
      id,
      name: env.SITREP_AUTHOR_NAME ?? project.author?.name ?? id,
      kind: harness ? 'harness' : (project.author?.kind ?? 'human'),
      ...(harness && { harness }),
    },
    stateDir: dir,
  };
}
