// `sitrep token create|list|revoke`: access tokens (admin). A new token is printed once.
import { CreateTokenRequest, TokenId } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse, subcommands } from './args.js';
import { client } from './client.js';

const CREATE = {
  flags: {
    ...CLIENT_FLAGS,
    role: z.string().optional(),
    label: z.string().optional(),
    kind: z.string().optional(),
    incident: z.string().optional(),
    isolated: z.boolean().optional(),
    'expires-in': z.coerce.number().int().optional(),
  },
} as const;

const create: Command = async (argv) => {
  const { flags: v } = parse(argv, CREATE);
  const req = check(
    CreateTokenRequest,
    {
      role: v.role,
      label: v.label,
      kind: v.kind,
      incidentId: v.incident,
      isolated: v.isolated,
      expiresIn: v['expires-in'],
    },
    'token',
  );
  const made = await (await client(v)).createToken(req);
  if (v.json) return void console.log(JSON.stringify(made));
  console.log(made.token);
  console.error(
    `token ${made.summary.id} ` +
      `(${made.summary.role}${made.summary.incidentId ? ` on ${made.summary.incidentId}` : ''}` +
      `${made.summary.isolated ? ', isolated' : ''})` +
      `: shown once, keep it now`,
  );
};

/** How `token list` marks an isolated token (README "Visibility"). */
const scope = (t: { isolated: boolean }) => (t.isolated ? 'isolated ' : '');

const list: Command = async (argv) => {
  const { flags: v } = parse(argv, { flags: CLIENT_FLAGS });
  const { tokens } = await (await client(v)).listTokens();
  if (v.json) return void console.log(JSON.stringify(tokens, null, 2));
  for (const t of tokens) {
    const state = t.revokedAt
      ? 'revoked'
      : t.expiresAt && Date.parse(t.expiresAt) <= Date.now()
        ? 'expired'
        : 'live';
    console.log(
      `${t.id}  ${t.role.padEnd(9)} ${t.kind.padEnd(7)} ${state.padEnd(7)} ${(t.incidentId ?? '*').padEnd(24)} ${scope(t)}${t.label}`,
    );
  }
};

const revoke: Command = async (argv) => {
  const {
    args: [id],
    flags: v,
  } = parse(argv, { positionals: [['token id', TokenId]], flags: CLIENT_FLAGS });
  await (await client(v)).revokeToken(id);
  console.log(`revoked ${id}`);
};

export default subcommands({ create, list, revoke }, 'token needs a subcommand: create, list or revoke');
