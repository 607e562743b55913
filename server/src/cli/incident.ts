// `sitrep incident create|list|archive|unarchive|private`: incidents as a whole, their creation,
// their place in the list and who may read them.
import { CreateIncident, type CreateIncidentResponse, IncidentId, IncidentListQuery } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse, subcommands } from './args.js';
import { client } from './client.js';

const CREATE = {
  flags: {
    ...CLIENT_FLAGS,
    title: z.string().optional(),
    severity: z.string().optional(),
    id: z.string().optional(),
    commander: z.string().optional(),
    drill: z.boolean().optional(),
    private: z.boolean().optional(),
  },
} as const;

const LIST = {
  flags: {
    ...CLIENT_FLAGS,
    archived: z.boolean().optional(),
    limit: z.string().optional(),
    cursor: z.string().optional(),
  },
} as const;

const ARCHIVE = { positionals: [['incident id', IncidentId]], flags: CLIENT_FLAGS } as const;

const PRIVATE = {
  positionals: [['incident id', IncidentId]],
  flags: { ...CLIENT_FLAGS, off: z.boolean().optional() },
} as const;

const create: Command = async (argv) => {
  const { flags: v } = parse(argv, CREATE);
  const body = check(
    CreateIncident,
    {
      title: v.title,
      severity: v.severity,
      id: v.id,
      commander: v.commander,
      kind: v.drill ? 'drill' : undefined,
      private: v.private,
    },
    'incident',
  );
  const made = await (await client(v)).createIncident(body);
  console.log(v.json ? JSON.stringify(made.incident) : made.incident.id);
  tellKeeper(made);
};

/** The maker's own token cannot read a private incident: this one can, and is shown only now. */
export function tellKeeper(made: CreateIncidentResponse): void {
  if (made.token)
    console.error(
      `private: your token cannot read it; its commander token ${made.token.summary.id} (shown once, keep it now):\n` +
        made.token.token,
    );
}

const list: Command = async (argv) => {
  const { flags: v } = parse(argv, LIST);
  const q = check(
    IncidentListQuery,
    { limit: v.limit, cursor: v.cursor, archived: v.archived ? 'true' : undefined },
    'incident list',
  );
  const { incidents, next } = await (await client(v)).listIncidents(q);
  if (v.json) return void console.log(JSON.stringify(incidents, null, 2));
  for (const i of incidents) {
    const drill = i.kind === 'drill' ? '[drill] ' : '';
    console.log(`${i.id.padEnd(32)} ${i.severity} ${i.status.padEnd(13)} ${drill}${i.title}`);
  }
  if (next) console.error(`more: sitrep incident list${v.archived ? ' --archived' : ''} --cursor ${next}`);
};

const archive =
  (archived: boolean): Command =>
  async (argv) => {
    const {
      args: [id],
      flags: v,
    } = parse(argv, ARCHIVE);
    await (await client(v)).archiveIncident(id, archived);
    console.log(`${archived ? 'archive' : 'unarchive'}d ${id}`);
  };

const setPrivate: Command = async (argv) => {
  const {
    args: [id],
    flags: v,
  } = parse(argv, PRIVATE);
  await (await client(v)).setPrivate(id, !v.off);
  console.log(`${id} is ${v.off ? 'no longer private' : 'private'}`);
};

export default subcommands(
  { create, list, archive: archive(true), unarchive: archive(false), private: setPrivate },
  'incident needs a subcommand: create, list, archive, unarchive or private',
);
