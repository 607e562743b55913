// `sitrep connect <incident> --name N [--harness claude-code|codex|generic] [--json]`: a commander
// connects a responder's harness (POST /api/incidents/:id/connect) and prints the token's export
// line and the ready-to-paste setup, each file under a comment saying where it goes.
import { type ConnectResponse, Harness, type HarnessSetup, IncidentId, type SetupFile } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: { ...CLIENT_FLAGS, name: z.string() },
} as const;

/** A file of the setup: where it goes and what to do with it as a comment line, then its text. */
const fileText = (f: SetupFile) => `# ${f.path ? `${f.path}: ` : ''}${f.title}. ${f.note}\n${f.text}`;

const setupText = (s: HarnessSetup) => `## ${s.title}\n\n${s.files.map(fileText).join('\n')}`;

/** The whole answer as a person reads it: who was connected, the token once, then each harness. */
export function connectText(c: ConnectResponse): string {
  const { summary } = c.token;
  const expires = summary.expiresAt ? `, until ${summary.expiresAt.slice(0, 10)}` : '';
  return [
    `${summary.name ?? summary.label} can join incident ${c.incident} on ${c.server} ` +
      `(responder token ${summary.id}${expires}).`,
    '',
    fileText(c.export),
    ...c.setups.map(setupText),
  ].join('\n');
}

const connect: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const harness = v.harness === undefined ? undefined : check(Harness, v.harness, '--harness');
  const made = await (await client(v)).connect(incident, { name: v.name, ...(harness && { harness }) });
  console.log(v.json ? JSON.stringify(made, null, 2) : connectText(made));
};
export default connect;
