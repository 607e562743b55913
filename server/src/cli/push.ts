// `sitrep push <incident>`: one entry, from flags or from a JSON file (or stdin), repaired,
// validated and sanitized on this machine (under the incident's key and policy) before it is
// sent; prints the entry's id. An entry that blames a person is shown and not sent unless
// `--as-is`; `--check` prints what would be sent and sends nothing.
import { userInfo } from 'node:os';
import {
  type ApiClient,
  EntryDraft,
  EntryKind,
  IncidentId,
  SitrepError,
  storableValue,
} from '@sitrep/shared';
import {
  describeBlame,
  describeCounts,
  policyRefusal,
  sanitizeDraft,
  sanitizerSettings,
} from '@sitrep/shared/node';
import { z } from 'zod';
import { CLIENT_FLAGS, type Command, check, list, parse, usage } from './args.js';
import { client } from './client.js';
import { parseJson, readInput } from './input.js';

const ARGS = {
  positionals: [['incident id', IncidentId]],
  flags: {
    ...CLIENT_FLAGS,
    kind: z.string().optional(),
    body: z.string().optional(),
    file: z.string().optional(),
    title: z.string().optional(),
    refs: z.string().optional(),
    rationale: z.string().optional(),
    confidence: z.string().optional(),
    tags: z.string().optional(),
    evidence: z.array(z.string()).optional(),
    check: z.boolean().optional(),
    'as-is': z.boolean().optional(),
  },
} as const;

/** Who writes, from the client flags and the environment. */
export function authorFrom(v: {
  'author-id'?: string | undefined;
  'author-name'?: string | undefined;
  harness?: string | undefined;
}) {
  const authorId = v['author-id'] ?? process.env.SITREP_AUTHOR_ID ?? userInfo().username;
  return {
    id: authorId,
    name: v['author-name'] ?? process.env.SITREP_AUTHOR_NAME ?? authorId,
    kind: v.harness ? ('harness' as const) : ('human' as const),
    ...(v.harness ? { harness: v.harness } : {}),
  };
}

const push: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const author = authorFrom(v);
  let raw: Record<string, unknown>;
  if (v.file !== undefined) {
    const given = parseJson(await readInput(v.file), v.file);
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw usage('the entry must be a JSON object');
    raw = { author, ...given };
  } else {
    // --kind is checked here, not in ARGS: with --file, the file says what kind the entry is.
    if (v.kind === undefined) throw usage('push needs --kind, or --file with a JSON entry');
    check(EntryKind, v.kind, '--kind');
    const evidence = v.evidence?.map((e) => {
      const at = e.indexOf('=');
      return at > 0 ? { label: e.slice(0, at), url: e.slice(at + 1) } : { label: e };
    });
    raw = {
      kind: v.kind,
      body: v.body ?? '',
      author,
      title: v.title,
      refs: list(v.refs),
      rationale: v.rationale,
      confidence: v.confidence,
      tags: list(v.tags),
      evidence,
    };
    for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  }
  // NUL and unpaired surrogates become U+FFFD; secrets and private data never leave this
  // machine: sanitize first, and say how many were taken out.
  const checked = check(EntryDraft, storableValue(raw), 'entry');
  return sendEntry(await client(v), incident, checked, v);
};
export default push;

/**
 * Sends one entry, sanitized here under the incident's key and policy first; held back when it
 * blames a person unless `as-is`; with `check`, shown and not sent. Prints the entry's id.
 */
export async function sendEntry(
  api: ApiClient,
  incident: string,
  checked: EntryDraft,
  v: { check?: boolean | undefined; 'as-is'?: boolean | undefined; json?: boolean | undefined },
): Promise<number | undefined> {
  const { draft, counts, refused, blame } = await sanitizeDraft(
    checked,
    await sanitizerSettings(api, incident),
  );
  if (refused.length > 0) throw policyRefusal(refused);
  const redacted = describeCounts(counts);
  if (redacted) console.error(`sitrep: redacted ${redacted} before sending`);
  if (blame.length > 0) console.error(`sitrep: ${describeBlame(blame)}`);
  if (v.check) {
    console.log(JSON.stringify(draft, null, 2));
    const held = blame.length > 0 && !v['as-is'] ? '; as it is, push refuses this entry without --as-is' : '';
    console.error(`sitrep: --check: nothing was sent${held}`);
    return;
  }
  if (blame.length > 0 && !v['as-is']) {
    console.error('sitrep: nothing was sent: reword it, or push again with --as-is to send it as written');
    return 1;
  }
  const res = await api.appendEntries(incident, { entries: [draft] });
  const written = res.entries[0];
  if (!written) throw new SitrepError('remote.error', 'the server acknowledged no entry');
  console.log(v.json ? JSON.stringify(written) : written.id);
  return undefined;
}
