// `sitrep init claude-code --incident ID [--remote URL]`: sets a project up for Claude Code (hooks,
// MCP server, project settings): run locally through this installation, or, with --remote, over
// HTTP to that server with nothing of sitrep on the machine (the token from SITREP_TOKEN).
import { IncidentId, harnessSetup, tokenExport } from '@sitrep/shared';
import { stateDir } from '@sitrep/shared/node';
import { z } from 'zod';
import { initClaudeCode, initClaudeCodeRemote } from '../harness/init.js';
import { type Command, parse } from './args.js';
import { serverUrl } from './client.js';

const ARGS = {
  positionals: [
    [
      'harness',
      z.literal('claude-code'),
      'init knows one harness: `sitrep init claude-code --incident <id>` (see docs/harnesses.md for others)',
    ],
  ],
  flags: {
    server: z.string().optional(),
    token: z.string().optional(),
    incident: IncidentId,
    dir: z.string().optional(),
    remote: z.url().optional(),
    'author-id': z.string().optional(),
    'author-name': z.string().optional(),
  },
} as const;

const init: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const dir = v.dir ?? process.cwd();
  if (v.remote) {
    const target = { server: v.remote, incident: v.incident };
    const written = await initClaudeCodeRemote(dir, target);
    // The lines the files cannot hold: the token, and the telemetry header made from it.
    const shell = [tokenExport(v.token), ...harnessSetup('claude-code', target).files.filter((f) => !f.path)];
    console.log(
      `sitrep is set up for Claude Code on incident ${v.incident}, over HTTP to ${v.remote}:\n` +
        `${written.map((f) => `  ${f}`).join('\n')}\n\nBefore starting claude, in its shell:\n` +
        shell.map((f) => f.text).join(''),
    );
    return;
  }
  const url = serverUrl(v.server);
  const author = {
    ...(v['author-id'] && { id: v['author-id'] }),
    ...(v['author-name'] && { name: v['author-name'] }),
    kind: 'harness' as const,
    harness: 'claude-code',
  };
  const written = await initClaudeCode({
    dir,
    url,
    incident: v.incident,
    author,
    token: v.token,
    stateDir: stateDir(),
  });
  console.log(
    `sitrep is set up for Claude Code on incident ${v.incident}:\n${written.map((f) => `  ${f}`).join('\n')}`,
  );
};
export default init;
