// What may leave this machine: every client (the SDK, the CLI, the MCP server, the hooks) runs an
// entry through here before sending it. The incident's sanitizer settings (its key and the
// policy) are read from the server for each push, so a long-lived client (the MCP server) sees
// an allowance a commander sets mid-session; the entry's secrets and private data are replaced
// (or the entry refused, by the policy) and the sentences that blame a person are found, for
// the client to show before anything is sent.
import type { SanitizerSettings } from '../api.js';
import type { ApiClient } from '../apiClient.js';
import { type Entry, EntryDraft, completeEntry } from '../entry.js';
import { SitrepError, describeIssues } from '../error.js';
import type { BlameFlag } from '../sanitizer/blame.js';
import { PRIVATE_TYPES, type RedactionCounts } from '../sanitizer/dataTypes.js';
import { privacyPolicySchema } from '../sanitizer/policy.js';
import type { SensitiveFinding } from '../sanitizer/sanitize.js';
import { storableValue } from '../storable.js';

/** What sanitizing for one incident needs: its key and its policy (allowances applied). */
export type SanitizeUnder = Pick<SanitizerSettings, 'key' | 'policy'>;

/** Secrets redacted, private data left: what a client can do before it has the settings. */
export const SECRETS_ONLY: SanitizeUnder = {
  key: '',
  policy: privacyPolicySchema.parse(Object.fromEntries(PRIVATE_TYPES.map((t) => [t, 'allow']))),
};

/** One read of an incident's settings: when it was asked for, and whether it has answered. */
interface SettingsRead {
  startedAt: number;
  settings: Promise<SanitizerSettings>;
  answered: boolean;
}

/** The last read of each incident's settings, by server and incident. */
const lastReads = new Map<string, SettingsRead>();

/**
 * The incident's sanitizer settings (`GET /api/incidents/:id/sanitizer`), read again on every
 * call: a commander may allow or withdraw a type at any moment, and a placeholder made under
 * settings that no longer hold cannot be undone. Calls made while a read is in flight share it;
 * `maxAgeMs` lets a caller take an answered read started that recently (a flush right after the
 * push that read them). A failed read is not kept.
 */
export function sanitizerSettings(
  api: ApiClient,
  incident: string,
  maxAgeMs = 0,
): Promise<SanitizerSettings> {
  const at = `${api.baseUrl}\n${incident}`;
  const last = lastReads.get(at);
  if (last && (!last.answered || Date.now() - last.startedAt < maxAgeMs)) return last.settings;
  const read: SettingsRead = {
    startedAt: Date.now(),
    settings: api.sanitizerSettings(incident),
    answered: false,
  };
  lastReads.set(at, read);
  read.settings.then(
    () => {
      read.answered = true;
    },
    () => {
      if (lastReads.get(at) === read) lastReads.delete(at);
    },
  );
  return read.settings;
}

export interface OutgoingEntry<D extends EntryDraft> {
  /** The draft as it may be sent: secrets and private data replaced, `redactions` counted. */
  draft: D;
  /** Redactions made here, per type. */
  counts: RedactionCounts;
  /** Private data the policy refuses: the entry must not be sent. */
  refused: SensitiveFinding[];
  /** Sentences that blame or judge a person, to show before sending. */
  blame: BlameFlag[];
}

/** A draft made ready to leave this machine under the incident's settings. */
export async function sanitizeDraft<D extends EntryDraft>(
  draft: D,
  settings: SanitizeUnder,
): Promise<OutgoingEntry<D>> {
  // Loaded here, not with the SDK: its rules and parsers were a third of every CLI command's start.
  const { sanitizeEntry } = await import('../sanitizer/entries.js');
  const { value, counts, refused, blame } = await sanitizeEntry(draft, settings);
  return { draft: value, counts, refused, blame: blame.map(({ string: _, ...flag }) => flag) };
}

/** An entry ready to send, the redactions made in it, and the sentences in it that blame a person. */
export interface PreparedEntry {
  entry: Entry;
  counts: RedactionCounts;
  blame: BlameFlag[];
}

/** A complete, valid entry from a draft: its id is fixed from here on. request.invalid naming the fields. */
export function validEntry(draft: unknown): Entry {
  const parsed = EntryDraft.safeParse(draft);
  if (!parsed.success)
    throw new SitrepError(
      'request.invalid',
      `invalid entry: ${describeIssues(parsed.error.issues).join('; ')}`,
    );
  return completeEntry(parsed.data);
}

/**
 * A draft made into the entry that would be sent: unstorable characters repaired, validated as
 * written (its limits are on what its writer wrote, as the server's HTTP append checks them),
 * sanitized under the incident's settings, validated again, with the blame found in it.
 * gate.private, naming the types, when the policy refuses what it holds. The SDK's push and the
 * server's /mcp both prepare so.
 */
export async function prepareEntry(draft: EntryDraft, settings: SanitizeUnder): Promise<PreparedEntry> {
  const storable = storableValue(draft);
  validEntry(storable);
  const sanitized = await sanitizeDraft(storable, settings);
  if (sanitized.refused.length > 0) throw policyRefusal(sanitized.refused);
  return { entry: validEntry(sanitized.draft), counts: sanitized.counts, blame: sanitized.blame };
}

/** "2 secrets, 1 email": the redactions made, for a line on stderr. */
export function describeCounts(counts: RedactionCounts): string {
  return Object.entries(counts)
    .map(([type, n]) => `${n} ${type}${n === 1 ? '' : 's'}`)
    .join(', ');
}

/** The refusal of a write whose private data the policy refuses: names the types, never the data. */
export function policyRefusal(refused: readonly SensitiveFinding[]): SitrepError {
  const types = [...new Set(refused.map((f) => f.type))];
  return new SitrepError(
    'gate.private',
    `the incident's sanitizer policy refuses ${types.join(', ')} data, and the entry holds ` +
      `${refused.length === 1 ? 'one' : refused.length}: nothing was sent; take it out and push again`,
    { types },
  );
}

/** The blame warning a client shows: each sentence and why it reads as blaming a person. */
export function describeBlame(blame: readonly BlameFlag[]): string {
  const lines = blame.map((b) => `  "${b.sentence}" (${b.reasons.join('; ')})`);
  const head =
    blame.length === 1
      ? 'this sentence blames or judges a person'
      : 'these sentences blame or judge a person';
  return `${head}:\n${lines.join('\n')}\nsitrep is blameless: say what happened to the system, not who is at fault.`;
}
