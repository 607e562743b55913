// `sitrep mcp`: the MCP server over stdio for the configured incident; it serves until its
// input ends.
import { NodeClient } from '@sitrep/shared/node';
import { z } from 'zod';
import { harnessConfig } from '../harness/HarnessConfig.js';
import { type Command, parse, usage } from './args.js';

const ARGS = {
  flags: {
    server: z.string().optional(),
    token: z.string().optional(),
    incident: z.string().optional(),
    harness: z.string().optional(),
  },
} as const;

const mcp: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const cfg = await harnessConfig({
    server: v.server,
    token: v.token,
    incident: v.incident,
    harness: v.harness ?? 'mcp',
  });
  if (!cfg.incident) throw usage('mcp needs an incident: --incident, SITREP_INCIDENT or .sitrep.json');
  if (!cfg.token)
    throw usage('mcp needs a token: --token, SITREP_TOKEN or `sitrep init claude-code --token`');
  // The MCP SDK loads only once the configuration is good.
  const { serveMcp } = await import('../harness/mcp.js');
  await serveMcp(
    new NodeClient({
      url: cfg.url,
      token: cfg.token,
      incident: cfg.incident,
      author: cfg.author,
      stateDir: cfg.stateDir,
    }),
    cfg.stateDir,
  );
};
export default mcp;
