// `sitrep incident create|list|set|archive|unarchive|private`: incidents as a whole, their
// creation, their status and times, their place in the list and who may read them.
import {
  CreateIncident,
  type CreateIncidentResponse,
  IncidentId,
  IncidentListQuery,
  type IncidentMeta,
  UpdateIncident,
} from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse, subcommands, usage } from './args.js';
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

/** The time flags of `set`, each the meta time it corrects by hand (`none` clears it). */
const TIME_FLAGS = {
  'started-at': 'startedAt',
  'detected-at': 'detectedAt',
  'acknowledged-at': 'acknowledgedAt',
  'mitigated-at': 'mitigatedAt',
  'resolved-at': 'resolvedAt',
} as const;

const SET = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    status: z.string().optional(),
    severity: z.string().optional(),
    commander: z.string().optional(),
    'started-at': z.string().optional(),
    'detected-at': z.string().optional(),
    'acknowledged-at': z.string().optional(),
    'mitigated-at': z.string().optional(),
    'resolved-at': z.string().optional(),
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

/** `none` for a flag whose value may be cleared (a time, the commander), else the value. */
const orNone = (value: string | undefined) => (value === 'none' ? null : value);

const set: Command = async (argv) => {
  const {
    args: [id],
    flags: v,
  } = parse(argv, SET);
  const shape = UpdateIncident.shape;
  const body: UpdateIncident = {};
  if (v.status !== undefined) body.status = check(shape.status, v.status, '--status');
  if (v.severity !== undefined) body.severity = check(shape.severity, v.severity, '--severity');
  if (v.commander !== undefined) body.commander = check(shape.commander, orNone(v.commander), '--commander');
  for (const [flag, key] of Object.entries(TIME_FLAGS) as [
    keyof typeof TIME_FLAGS,
    (typeof TIME_FLAGS)[keyof typeof TIME_FLAGS],
  ][])
    if (v[flag] !== undefined)
      body[key] = check(shape[key], orNone(v[flag]), `--${flag} (an ISO time or none)`);
  if (Object.keys(body).length === 0)
    throw usage(
      `incident set needs at least one of --status, --severity, --commander, --${Object.keys(TIME_FLAGS).join(', --')}`,
    );
  const { meta } = await (await client(v)).updateIncident(id, body);
  console.log(v.json ? JSON.stringify(meta) : describeMeta(id, meta));
};

/** The incident's status line and its times, one a line. */
function describeMeta(id: string, meta: IncidentMeta): string {
  const times = Object.values(TIME_FLAGS).flatMap((key) =>
    meta[key] ? [`  ${key.padEnd(15)} ${meta[key]}`] : [],
  );
  const reopened = meta.reopens ? [`  reopened ${meta.reopens}x, last ${meta.reopenedAt}`] : [];
  return [
    `${id} ${meta.status} ${meta.severity} commander: ${meta.commander ?? '—'}`,
    ...times,
    ...reopened,
  ].join('\n');
}

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
  { create, list, set, archive: archive(true), unarchive: archive(false), private: setPrivate },
  'incident needs a subcommand: create, list, set, archive, unarchive or private',
);
