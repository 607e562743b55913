// A drill's scenario: an incident that happened elsewhere (a public postmortem, a threat report)
// or one of ours, told as the drill's starting point. Its schema, its limits and the parser of a
// scenario file: Markdown with optional YAML front matter, as public postmortem collections write
// them. Pure and isomorphic (the CLI parses a file before sending it, the server parses what it
// is sent); secrets and private data are the sanitizer's, run where the drill is made.
import { type YAMLParseError, parseDocument } from 'yaml';
import { z } from 'zod';
import { SitrepError, describeIssues } from './error.js';
import { IncidentId } from './incidentId.js';
import { UNSTORABLE_MESSAGE, containsUnstorable, isoTime, storableString } from './storable.js';

/**
 * Bounds on a scenario. A file is at most 256 KiB: a long public postmortem in Markdown is 30 to
 * 80 KB, and the scenario lives in the drill's `meta`, which every reader of the drill syncs.
 */
export const SCENARIO_LIMITS = {
  fileBytes: 256 * 1024,
  titleChars: 200,
  summaryChars: 4_096,
  companyChars: 200,
  listItems: 32,
  itemChars: 64,
  urlChars: 2_048,
  idChars: 128,
  bodyChars: 256 * 1024,
} as const;

const L = SCENARIO_LIMITS;
const oneLine = (max: number) =>
  storableString()
    .min(1)
    .max(max)
    .regex(/^[^\n\r]*$/, 'must be one line');
const words = z.array(oneLine(L.itemChars)).max(L.listItems);

/** A scenario's own name in its collection (front matter `id`): it keys a batch's re-runs. */
export const ScenarioId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    'must start with a letter or digit and hold only A-Z, a-z, 0-9, . _ : / -',
  )
  .max(L.idChars);

/** What a scenario says: the fields of a file's front matter (camel case here) and its body. */
export const scenarioShape = {
  id: ScenarioId.optional(),
  title: oneLine(L.titleChars),
  summary: storableString().max(L.summaryChars).optional(),
  company: oneLine(L.companyChars).optional(),
  categories: words.optional(),
  keywords: words.optional(),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(L.urlChars)
    .optional(),
  startTime: isoTime().optional(),
  endTime: isoTime().optional(),
  /** The postmortem itself, Markdown. */
  body: storableString().max(L.bodyChars),
};

/** A scenario as a client sends its fields (`POST /api/drills` `{ fields }`). */
export const ScenarioFields = z.strictObject(scenarioShape);
export type ScenarioFields = z.infer<typeof ScenarioFields>;

/**
 * A scenario as the drill holds it (`meta.scenario`): its fields, the fingerprint a batch re-run
 * finds the drill by (`id:<hex of the front matter id>`, else `sha256:<hex of the content>`; `replay:<id>`
 * for a replay), and, for a replay of one of ours, the incident it was made from. (Not named
 * `key`: `"key": "sha256:…"` reads as a credential to the secret scanner.)
 */
export const Scenario = z.strictObject({
  ...scenarioShape,
  fingerprint: z
    .string()
    .min(1)
    .max(L.idChars + 8),
  from: z.strictObject({ incident: IncidentId }).optional(),
});
export type Scenario = z.infer<typeof Scenario>;

/** Front matter keys as collections spell them, each the scenario field it fills. */
const FRONT_MATTER_KEYS = {
  id: 'id',
  title: 'title',
  summary: 'summary',
  company: 'company',
  categories: 'categories',
  keywords: 'keywords',
  url: 'url',
  start_time: 'startTime',
  end_time: 'endTime',
} as const satisfies Record<string, Exclude<keyof ScenarioFields, 'body'>>;

const invalid = (message: string, details?: string[]) => new SitrepError('request.invalid', message, details);

/** A file's bytes as UTF-8 text, or request.invalid / request.too_large; a BOM is dropped. */
export function scenarioText(bytes: Uint8Array): string {
  if (bytes.byteLength > L.fileBytes)
    throw new SitrepError(
      'request.too_large',
      `the scenario is ${bytes.byteLength} bytes: at most ${L.fileBytes} (256 KiB)`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('the scenario is not UTF-8 text');
  }
}

/** Front matter opens with `---` on the file's first line and closes at a line `---` or `...`. */
const OPENS = /^---[ \t]*\r?\n/;
const CLOSES = /^(?:---|\.\.\.)[ \t]*\r?$/m;

/**
 * Parses a scenario file (its bytes, or text already decoded) into its fields: front matter
 * optional; without a `title` there, the first `# heading` of the Markdown is the title. Refuses
 * (request.invalid, naming the problem) text that is not UTF-8, broken front matter, a key it does
 * not know, a value its schema refuses; request.too_large past SCENARIO_LIMITS.fileBytes.
 */
export function parseScenario(file: Uint8Array | string): ScenarioFields {
  const text = typeof file === 'string' ? scenarioText(new TextEncoder().encode(file)) : scenarioText(file);
  if (containsUnstorable(text)) throw invalid(`the scenario ${UNSTORABLE_MESSAGE}`);
  const { front, body } = splitFrontMatter(text);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(front)) {
    if (!Object.hasOwn(FRONT_MATTER_KEYS, key))
      throw invalid(
        `the front matter has an unknown key "${key}": known are ${Object.keys(FRONT_MATTER_KEYS).join(', ')}`,
      );
    const field = FRONT_MATTER_KEYS[key as keyof typeof FRONT_MATTER_KEYS];
    // A single category or keyword may be written as a string.
    fields[field] =
      (field === 'categories' || field === 'keywords') && typeof value === 'string' ? [value] : value;
  }
  fields.title ??= body.match(/^#[ \t]+(.+?)[ \t#]*$/m)?.[1];
  if (fields.title === undefined)
    throw invalid('the scenario has no title: give front matter `title` or a `# heading`');
  const parsed = ScenarioFields.safeParse({ ...fields, body });
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw invalid(`invalid scenario: ${issues.slice(0, 3).join('; ')}`, issues);
  }
  return parsed.data;
}

/** The front matter's mapping (empty without one) and the Markdown after it. */
function splitFrontMatter(text: string): { front: Record<string, unknown>; body: string } {
  const open = OPENS.exec(text);
  if (!open) return { front: {}, body: text.trim() };
  const rest = text.slice(open[0].length);
  const close = CLOSES.exec(rest);
  if (!close) throw invalid('broken front matter: it opens with --- but has no closing --- line');
  const yaml = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length).trim();
  // YAML 1.2 core schema: times stay strings (checked as ISO 8601 below), no aliases (no
  // expansion bombs), duplicate keys refused.
  const doc = parseDocument(yaml, { schema: 'core', uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) throw invalid(`broken front matter: ${yamlMessage(problem)}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    throw invalid(`broken front matter: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value === null || value === undefined) return { front: {}, body };
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid('broken front matter: it must be a mapping of keys to values');
  return { front: value as Record<string, unknown>, body };
}

const yamlMessage = (e: YAMLParseError) => {
  const line = e.linePos?.[0].line;
  // The front matter's line 1 is the file's line 2.
  return `${e.message.split('\n')[0]}${line === undefined ? '' : ` (line ${line + 1} of the file)`}`;
};
