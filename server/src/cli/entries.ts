// `sitrep entries <incident>`: the incident's entries, filtered, one line each (or JSON), those
// flagged for review (blame) marked with why; and the one-line form of an entry that `replay`
// prints too.
import {
  type Entry,
  type EntryReceipt,
  EntryKind,
  IncidentId,
  type ReviewFlag,
  blameReasons,
  cut,
  describeSkew,
  isoTime,
} from '@sitrep/shared';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, parse } from './args.js';
import { client } from './client.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    kind: EntryKind.optional(),
    author: z.string().optional(),
    since: isoTime().optional(),
    limit: z.coerce.number().int().min(1).max(5000).optional(),
    /** Only the entries flagged for review: a sentence blames or judges a person. */
    flagged: z.boolean().optional(),
  },
} as const;

const entries: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const {
    entries: rows,
    receipts,
    flags,
  } = await (await client(v)).listEntries(incident, {
    kind: v.kind,
    author: v.author,
    since: v.since,
    limit: v.limit,
    flagged: v.flagged,
  });
  if (v.json) return void console.log(JSON.stringify(rows, null, 2));
  if (rows.length === 0) console.error('no entries match');
  for (const e of rows) console.log(formatEntry(e, receipts[e.id]) + flagLine(flags[e.id]));
};

/** A second line for an entry flagged for review: why, and the sentences. */
function flagLine(flags: readonly ReviewFlag[] | undefined): string {
  if (!flags?.length) return '';
  return `\n    ⚑ for review (${blameReasons(flags).join('; ')}): ${flags.map((f) => `"${cut(f.sentence, 160)}"`).join(' ')}`;
}
export default entries;

/** One line per entry; with its receipt, the token it came through, and a flag when its time is far from its arrival. */
export function formatEntry(e: Entry, receipt?: EntryReceipt): string {
  const head = e.title ? `${e.title}: ${e.body}` : e.body;
  const via = receipt
    ? `  via ${receipt.via}${receipt.skewed ? ` (⚠ ${describeSkew(e.at, receipt.receivedAt)})` : ''}`
    : '';
  return `${e.at}  ${e.kind.padEnd(10)} ${e.author.name.padEnd(16)} ${cut(head.replace(/\s+/g, ' '), 160)}  [${e.id}]${via}`;
}
