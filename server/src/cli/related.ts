// `sitrep related <incident>`: past incidents like this one (or like one of its entries), why
// they matched, and what happened there.
import { EntryId, IncidentId, RelatedQuery } from '@sitrep/shared';
import { z } from 'zod';
import { relatedText } from '../harness/memoryText.js';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    entry: EntryId.optional(),
    drills: z.boolean().optional(),
    limit: z.string().optional(),
  },
} as const;

const related: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const q = check(
    RelatedQuery,
    { entry: v.entry, drills: v.drills ? 'true' : undefined, limit: v.limit },
    'related options',
  );
  const res = await (await client(v)).related(incident, q);
  console.log(v.json ? JSON.stringify(res.related, null, 2) : relatedText(res.related));
};
export default related;
