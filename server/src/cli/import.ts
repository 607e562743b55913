// `sitrep import <incident> <file|->`: `--format json` makes a new incident from a JSON export,
// whole or not at all (commander; the new incident's key exists only on the server, which
// sanitizes it; `--allow email,phone` keeps those types as written, as the new incident's
// allowances; private when its export was, or with `--private`); `--format transcript` adds a
// meeting transcript to an incident, one entry per point, sanitized here under the incident's
// settings, in batches the server takes.
import {
  EntryDraft,
  ExportDocument,
  ImportQuery,
  IncidentId,
  MAX_APPEND_BATCH,
  bySize,
  completeEntry,
  storableValue,
} from '@sitrep/shared';
import { describeCounts, policyRefusal, sanitizeDraft, sanitizerSettings } from '@sitrep/shared/node';
import { type RedactionCounts, addCounts } from '@sitrep/shared/sanitizer';
import { z } from 'zod';
import { parseTranscript, transcriptEntries } from '../harness/transcript.js';
import { CLIENT_FLAGS, type Command, check, parse, usage } from './args.js';
import { client } from './client.js';
import { tellKeeper } from './incident.js';
import { parseJson, readInput } from './input.js';

/** Characters of entries in one import request: well under the server's 10 MiB body limit. */
const IMPORT_PART_CHARS = 3 * 1024 * 1024;

const ARGS = {
  positionals: [
    ['incident id', IncidentId],
    ['file', z.string(), 'import needs a file (or - for stdin)'],
  ],
  // --date is checked only for a transcript, after the file is read.
  flags: {
    ...CLIENT_FLAGS,
    format: z.enum(['json', 'transcript']).default('json'),
    date: z.string().optional(),
    allow: z.string().optional(),
    private: z.boolean().optional(),
  },
} as const;

const importCommand: Command = async (argv) => {
  const {
    args: [incident, file],
    flags: v,
  } = parse(argv, ARGS);
  const text = await readInput(file);
  if (v.format === 'transcript') {
    const day = v.date === undefined ? undefined : check(z.iso.date(), v.date, '--date');
    // Timed points get ids derived from the incident, day and text: a retry after a failure
    // partway adds only what is missing.
    const drafts = transcriptEntries(parseTranscript(text), day, `${incident}\n${day ?? ''}\n${text}`);
    if (drafts.length === 0) throw usage(`${file} holds no transcript lines ("Speaker: text")`);
    // Blame is not held back: a transcript is what people said, kept as it was said (the server
    // flags it); what the policy refuses stops the whole import before anything is sent.
    const api = await client(v);
    const settings = await sanitizerSettings(api, incident);
    const entries = [];
    let counts: RedactionCounts = {};
    for (const d of drafts) {
      const point = await sanitizeDraft(check(EntryDraft, storableValue(d), 'transcript point'), settings);
      if (point.refused.length > 0) throw policyRefusal(point.refused);
      counts = addCounts(counts, point.counts);
      entries.push(completeEntry(point.draft));
    }
    if (describeCounts(counts)) console.error(`sitrep: redacted ${describeCounts(counts)} before sending`);
    let created = 0;
    for (const part of bySize(entries, IMPORT_PART_CHARS, MAX_APPEND_BATCH)) {
      created += (await api.appendEntries(incident, { entries: part })).entries.filter(
        (e) => e.created,
      ).length;
    }
    const there = entries.length - created;
    console.log(
      `imported ${created} transcript points into ${incident}${there ? ` (${there} were there already)` : ''}`,
    );
    return;
  }
  const doc = check(ExportDocument, parseJson(text, file), 'export document');
  const allow = check(ImportQuery.shape.allow, v.allow, '--allow');
  const made = await (await client(v)).importIncident(doc, incident, allow, { private: v.private });
  const { id } = made.incident;
  console.log(v.json ? JSON.stringify(made.incident) : `imported ${doc.entries.length} entries into ${id}`);
  tellKeeper(made);
};
export default importCommand;
