// `sitrep init claude-code --incident ID`: sets a project up for Claude Code (hooks, MCP server,
// project settings).
import { IncidentId } from '@sitrep/shared';
import { stateDir } from '@sitrep/shared/node';
import { z } from 'zod';
import { initClaudeCode } from '../harness/init.js';
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
    'author-id': z.string().optional(),
    'author-name': z.string().optional(),
  },
} as const;

const init: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const url = serverUrl(v.server);
  const author = {
    ...(v['author-id'] && { id: v['author-id'] }),
    ...(v['author-name'] && { name: v['author-name'] }),
    kind: 'harness' as const,
    harness: 'claude-code',
  };
  const written = await initClaudeCode({
    dir: v.dir ?? process.cwd(),
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
