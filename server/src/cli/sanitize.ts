// `sitrep sanitize --scan [--incident ID]` (admin): the stored entries the sanitizer's current
// rules catch, one line each (incident, entry id, kind, what it holds by type and rule, never
// the text), so they can be purged; every incident, archived too, unless one is named. The
// server scans a chunk at a time; a long scan shows its progress on stderr.
import { type ApiClient, IncidentId, type ScanFinding } from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, parse, usage } from './args.js';
import { client } from './client.js';

const ARGS = {
  flags: { ...CLIENT_FLAGS, scan: z.boolean().optional(), incident: IncidentId.optional() },
} as const;

/** Every incident's id, archived ones too, a page at a time. */
async function allIncidents(api: ApiClient): Promise<string[]> {
  const ids: string[] = [];
  for (const archived of [false, true]) {
    let cursor: string | undefined;
    do {
      const page = await api.listIncidents({ archived, cursor, limit: 200 });
      ids.push(...page.incidents.map((i) => i.id));
      cursor = page.next ?? undefined;
    } while (cursor);
  }
  return ids;
}

const sanitize: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  if (!v.scan) throw usage('sanitize needs --scan (list the stored entries the current rules catch)');
  const api = await client(v);
  const incidents = v.incident ? [v.incident] : await allIncidents(api);
  const tty = process.stderr.isTTY;
  let scanned = 0;
  let caught = 0;
  for (const incident of incidents) {
    for await (const line of api.scanStored(incident)) {
      if ('id' in line) {
        caught++;
        const what = (f: ScanFinding) => (f.type === f.rule ? f.type : `${f.type}:${f.rule}`);
        const found = line.found.map((f) => `${what(f)}${f.count > 1 ? ` x${f.count}` : ''}`).join(', ');
        console.log(
          v.json
            ? JSON.stringify({ incident, ...line })
            : `${incident}  ${line.id}  ${line.kind.padEnd(10)} ${found}`,
        );
      } else if (line.done) {
        scanned += line.total;
        if (tty) process.stderr.write('\r\x1b[K');
      } else if (tty) {
        process.stderr.write(
          `\r\x1b[Ksitrep: scanning ${incident}: ${line.scanned} of ${line.total} entries`,
        );
      } else {
        console.error(`sitrep: scanning ${incident}: ${line.scanned} of ${line.total} entries`);
      }
    }
  }
  const where = incidents.length === 1 ? incidents[0] : `${incidents.length} incidents`;
  const purge = caught > 0 ? ' (sitrep purge <incident> <entry-id> --reason R removes one)' : '';
  console.error(`sitrep: scanned ${scanned} entries in ${where}: ${caught} caught${purge}`);
};
export default sanitize;
