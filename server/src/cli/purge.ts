// `sitrep purge <incident> <entry-id> --reason R`: removes a leaked entry from the document and
// from storage (admin).
import { EntryId, IncidentId } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [
    ['incident id', IncidentId],
    ['entry id', EntryId],
  ],
  flags: { ...CLIENT_FLAGS, reason: z.string().min(1).max(500) },
} as const;

const purge: Command = async (argv) => {
  const {
    args: [incident, entryId],
    flags: v,
  } = parse(argv, ARGS);
  const res = await (await client(v)).purgeEntry(incident, entryId, v.reason);
  if (v.json) return void console.log(JSON.stringify(res));
  console.log(`purged ${res.purged}: ${res.rewritten} log row${res.rewritten === 1 ? '' : 's'} rewritten`);
};
export default purge;
