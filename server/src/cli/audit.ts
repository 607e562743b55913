// `sitrep audit`: the audit log (admin), filtered by incident and action.
import { AuditQuery } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  flags: {
    ...CLIENT_FLAGS,
    incident: z.string().optional(),
    action: z.string().optional(),
    limit: z.string().optional(),
  },
} as const;

const audit: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const q = check(AuditQuery, { incident: v.incident, action: v.action, limit: v.limit }, 'audit query');
  const { records } = await (await client(v)).listAudit(q);
  if (v.json) return void console.log(JSON.stringify(records, null, 2));
  if (records.length === 0) console.error('no audit records match');
  for (const r of records) {
    console.log(
      `${r.at}  ${r.action.padEnd(14)} ${(r.incidentId ?? '-').padEnd(24)} ${(r.tokenId ?? '-').padEnd(12)} ${JSON.stringify(r.detail)}`,
    );
  }
};
export default audit;
