// `sitrep drill report <drill> [--format md|html|json] [--out FILE]`: a drill's report (its
// questions with their answers, the unanswered ones, the fix-now actions with owners, who took
// part, the AI cost) to stdout or a file.
import { writeFile } from 'node:fs/promises';
import { DrillReportQuery, IncidentId } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse, subcommands, usage } from './args.js';
import { client } from './client.js';

const REPORT = {
  positionals: [['drill id', IncidentId]],
  flags: { ...CLIENT_FLAGS, format: z.string().optional(), out: z.string().optional() },
} as const;

const report: Command = async (argv) => {
  const {
    args: [drill],
    flags: v,
  } = parse(argv, REPORT);
  const { format } = check(DrillReportQuery, { format: v.format }, 'drill report options');
  const body = await (await client(v)).drillReport(drill, format);
  if (v.out === undefined) return void process.stdout.write(body);
  const out = v.out;
  await writeFile(out, body).catch((e: Error) => {
    throw usage(`cannot write ${out}: ${e.message}`);
  });
  process.stderr.write(`wrote the ${format} report of ${drill} to ${out} (${body.length} bytes)\n`);
};

export default subcommands(
  { report },
  'usage: sitrep drill report <drill> [--format md|html|json] [--out FILE]',
);
