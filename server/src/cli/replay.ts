// `sitrep replay <incident> --at SEQ|TIME`: the entries as of that point in the log.
import { IncidentId, ReplayQuery } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';
import { formatEntry } from './entries.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: { ...CLIENT_FLAGS, at: z.string().optional() },
} as const;

const replay: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const { at } = check(ReplayQuery, { at: v.at }, '--at');
  const res = await (await client(v)).replay(incident, at);
  if (v.json) return void console.log(JSON.stringify(res, null, 2));
  console.log(`# ${String(res.meta.title ?? incident)} as of seq ${res.seq}: ${res.entries.length} entries`);
  for (const e of res.entries) console.log(formatEntry(e));
};
export default replay;
