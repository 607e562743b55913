// `sitrep brief <incident>`: what a harness should know now, within a token budget, and since
// this client's last brief unless --since or --all says otherwise.
import { ApiClient, BriefQuery, IncidentId } from '@sitrep/shared';
import { z } from 'zod';
import { lastBrief, saveBrief } from '../harness/briefState.js';
import { harnessConfig } from '../harness/HarnessConfig.js';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { tokenFor } from './client.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    'max-tokens': z.string().optional(),
    since: z.string().optional(),
    all: z.boolean().optional(),
  },
} as const;

const brief: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const cfg = await harnessConfig({ server: v.server, token: v.token ?? (await tokenFor(undefined)) });
  const { maxTokens, since: given } = check(
    BriefQuery,
    { maxTokens: v['max-tokens'], since: v.since },
    'brief options',
  );
  const since = v.all ? undefined : (given ?? (await lastBrief(cfg.stateDir, incident, cfg.author.id)));
  const res = await new ApiClient(cfg.url, { token: cfg.token }).brief(incident, { since, maxTokens });
  await saveBrief(cfg.stateDir, incident, cfg.author.id, res.brief);
  console.log(v.json ? JSON.stringify(res.brief) : res.markdown);
};
export default brief;
