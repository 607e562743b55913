// How a command that talks to a server over HTTP finds it and signs in: --server, SITREP_URL or
// the local default; --token, SITREP_TOKEN or the bootstrap admin token a server on this machine
// left in its data directory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiClient } from '@sitrep/shared';
import { ADMIN_TOKEN_FILE } from '@sitrep/shared/node';
import { z } from 'zod';
import { check } from './args.js';

/** The server's URL: the flag, SITREP_URL, or a server on this machine's default port. */
export const serverUrl = (flag: string | undefined): string =>
  check(z.url(), flag ?? process.env.SITREP_URL ?? 'http://127.0.0.1:8787', '--server');

/** The token: --token, SITREP_TOKEN, or the local bootstrap admin token file. */
export async function tokenFor(flag: string | undefined): Promise<string | undefined> {
  if (flag ?? process.env.SITREP_TOKEN) return flag ?? process.env.SITREP_TOKEN;
  const file = join(process.env.SITREP_DATA_DIR || './.sitrep', ADMIN_TOKEN_FILE);
  return (await readFile(file, 'utf8').catch(() => undefined))?.trim();
}

export async function client(flags: {
  server?: string | undefined;
  token?: string | undefined;
}): Promise<ApiClient> {
  return new ApiClient(serverUrl(flags.server), { token: await tokenFor(flags.token) });
}
