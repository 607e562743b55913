// `sitrep search "text"`: entries across every incident the token may read, best first.
import { EntryKind, IncidentId, SearchQuery, Status } from '@sitrep/shared';
import { z } from 'zod';
import { searchText } from '../harness/memoryText.js';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [['query', z.string(), 'give the words to search for: sitrep search "text"']],
  flags: {
    ...CLIENT_FLAGS,
    kind: EntryKind.optional(),
    status: Status.optional(),
    incident: IncidentId.optional(),
    'no-drills': z.boolean().optional(),
    limit: z.string().optional(),
  },
} as const;

const search: Command = async (argv) => {
  const {
    args: [text],
    flags: v,
  } = parse(argv, ARGS);
  const q = check(
    SearchQuery,
    {
      q: text,
      kind: v.kind,
      status: v.status,
      incident: v.incident,
      drills: v['no-drills'] ? 'false' : undefined,
      limit: v.limit,
    },
    'search',
  );
  const { results } = await (await client(v)).search(q);
  console.log(v.json ? JSON.stringify(results, null, 2) : searchText(results));
};
export default search;
