// `sitrep export <incident>`: the postmortem draft (md), self-contained HTML, or complete JSON,
// to stdout or a file. The drafts show people by role or harness unless `--names`.
import { writeFile } from 'node:fs/promises';
import { ExportQuery, IncidentId } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse, usage } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    format: z.string().optional(),
    at: z.string().optional(),
    out: z.string().optional(),
    /** Name people in the Markdown and HTML drafts (by default: roles and harnesses). */
    names: z.boolean().optional(),
  },
} as const;

const exportCommand: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const { format, at } = check(
    ExportQuery,
    { format: v.format, ...(v.at !== undefined && { at: v.at }) },
    'export options',
  );
  const body = await (await client(v)).exportIncident(incident, format, at, { names: v.names === true });
  if (v.out === undefined) {
    process.stdout.write(body);
    return;
  }
  const out = v.out;
  await writeFile(out, body).catch((e: Error) => {
    throw usage(`cannot write ${out}: ${e.message}`);
  });
  process.stderr.write(`wrote ${format} export of ${incident} to ${out} (${body.length} bytes)\n`);
};
export default exportCommand;
