// `sitrep drill create|batch|answer|report`: drills from scenario files (Markdown with optional
// YAML front matter) or from one of our incidents, a directory of scenario files at once, answers
// to a drill's pre-mortem questions, and a drill's report (its questions with their answers, the
// unanswered ones, the fix-now actions with owners, who took part, the AI cost). A scenario file is read, parsed and checked for secrets on
// this machine first: a bad file is named and nothing is sent.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ApiClient,
  type CreateDrillResponse,
  DrillReportQuery,
  EntryDraft,
  IncidentId,
  QUESTIONS,
  SCENARIO_LIMITS,
  type ScenarioFields,
  Severity,
  SitrepError,
  answerDraft,
  findQuestion,
  parseScenario,
} from '@sitrep/shared';
import { firstSecret } from '@sitrep/shared/sanitizer';
import { z } from 'zod';
import { relatedText } from '../harness/memoryText.js';
import { CLIENT_FLAGS, type Command, check, parse, subcommands, usage } from './args.js';
import { client } from './client.js';
import { tellKeeper } from './incident.js';
import { authorFrom, sendEntry } from './push.js';

const CREATE = {
  flags: {
    ...CLIENT_FLAGS,
    scenario: z.string().optional(),
    'from-incident': IncidentId.optional(),
    severity: Severity.optional(),
    commander: z.string().optional(),
    private: z.boolean().optional(),
  },
} as const;

const BATCH = {
  positionals: [['directory', z.string().min(1)]],
  flags: { ...CLIENT_FLAGS, severity: Severity.optional(), private: z.boolean().optional() },
} as const;

const ANSWER = {
  positionals: [
    ['incident id', IncidentId],
    ['question', z.string().min(1).max(64)],
  ],
  flags: {
    ...CLIENT_FLAGS,
    body: z.string().min(1),
    title: z.string().optional(),
    confidence: z.string().optional(),
    check: z.boolean().optional(),
    'as-is': z.boolean().optional(),
  },
} as const;

const REPORT = {
  positionals: [['drill id', IncidentId]],
  flags: { ...CLIENT_FLAGS, format: z.string().optional(), out: z.string().optional() },
} as const;

/** A scenario file's fields, or the reason it is refused (its size, its bytes, its front matter, a secret). */
export async function readScenario(file: string): Promise<ScenarioFields> {
  const size = await stat(file).then(
    (s) => s.size,
    (e: Error) => {
      throw usage(`cannot read ${file}: ${e.message}`);
    },
  );
  // Refused before it is read whole: a file of gigabytes is never loaded.
  if (size > SCENARIO_LIMITS.fileBytes)
    throw new SitrepError(
      'request.too_large',
      `the scenario is ${size} bytes: at most ${SCENARIO_LIMITS.fileBytes} (256 KiB)`,
    );
  const fields = parseScenario(await readFile(file));
  // A secret never leaves this machine: the server would refuse it too.
  const secret = await firstSecret([fields]);
  if (secret)
    throw new SitrepError(
      'gate.secret',
      `the scenario holds a secret (${secret.rule}); take it out and try again`,
    );
  return fields;
}

/** What a drill's creation says: its id on stdout; made or found, and related incidents, on stderr. */
function tell(made: CreateDrillResponse, json: boolean | undefined): void {
  if (json) return void console.log(JSON.stringify(made));
  console.log(made.incident.id);
  console.error(
    made.created
      ? `made drill ${made.incident.id} with ${QUESTIONS.length} pre-mortem questions`
      : `drill ${made.incident.id} exists for this scenario: nothing made`,
  );
  if (made.related.length > 0) console.error(`related incidents:\n${relatedText(made.related)}`);
  tellKeeper(made);
}

const create: Command = async (argv) => {
  const { flags: v } = parse(argv, CREATE);
  if ((v.scenario === undefined) === (v['from-incident'] === undefined))
    throw usage('drill create needs exactly one of --scenario FILE and --from-incident ID');
  const source = v.scenario
    ? { fields: await named(v.scenario, () => readScenario(v.scenario as string)) }
    : { fromIncident: v['from-incident'] };
  const api = await client(v);
  const made = await api.createDrill({
    ...source,
    ...(v.severity && { severity: v.severity }),
    ...(v.commander && { commander: v.commander }),
    ...(v.private && { private: true }),
  });
  tell(made, v.json);
};

/** `fn`'s error, its message prefixed with the file it is about. */
async function named<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SitrepError) throw new SitrepError(err.code, `${file}: ${err.message}`, err.details);
    throw err;
  }
}

/** The scenario files of a directory, by name: Markdown (`.md`, `.markdown`). */
async function scenarioFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((e: Error) => {
    throw usage(`cannot read directory ${dir}: ${e.message}`);
  });
  return names.filter((n) => /\.(md|markdown)$/i.test(n)).sort();
}

/**
 * One drill per scenario file, a progress line each; a bad file is reported and the others go
 * on. Sent again, a file's drill is found (by its front matter id or a hash of its content), not
 * made twice. Exits 1 when any file failed.
 */
const batch: Command = async (argv) => {
  const {
    args: [dir],
    flags: v,
  } = parse(argv, BATCH);
  const files = await scenarioFiles(dir);
  if (files.length === 0) throw usage(`${dir} holds no scenario files (.md, .markdown)`);
  const api = await client(v);
  const counts = { made: 0, found: 0, failed: 0 };
  const results: { file: string; incident?: string; created?: boolean; error?: string }[] = [];
  for (const [i, name] of files.entries()) {
    const at = `[${i + 1}/${files.length}] ${name}`;
    try {
      const made = await oneDrill(api, join(dir, name), v);
      counts[made.created ? 'made' : 'found']++;
      results.push({ file: name, incident: made.incident.id, created: made.created });
      console.error(`${at}: ${made.created ? 'made' : 'exists'} ${made.incident.id}`);
      tellKeeper(made);
    } catch (err) {
      counts.failed++;
      const message = err instanceof Error ? err.message : String(err);
      results.push({ file: name, error: message });
      console.error(`${at}: failed: ${message}`);
    }
  }
  if (v.json) console.log(JSON.stringify(results, null, 2));
  console.error(
    `${files.length} files: ${counts.made} made, ${counts.found} existed, ${counts.failed} failed`,
  );
  return counts.failed > 0 ? 1 : undefined;
};

async function oneDrill(
  api: ApiClient,
  file: string,
  v: { severity?: Severity | undefined; private?: boolean | undefined },
): Promise<CreateDrillResponse> {
  const fields = await readScenario(file);
  return api.createDrill({
    fields,
    ...(v.severity && { severity: v.severity }),
    ...(v.private && { private: true }),
  });
}

/** `sitrep drill answer <drill> <question> --body TEXT`: a finding that refs the question. */
const answer: Command = async (argv) => {
  const {
    args: [incident, question],
    flags: v,
  } = parse(argv, ANSWER);
  const api = await client(v);
  const { entries } = await api.listEntries(incident, { kind: 'gap', limit: 5000 });
  const q = findQuestion(entries, question);
  if (!q)
    throw usage(
      `${incident} asks no question "${question}": name one of ${QUESTIONS.map((x) => x.id).join(', ')} (or its entry id) in a drill`,
    );
  const draft = answerDraft(q, {
    body: v.body,
    ...(v.title && { title: v.title }),
    ...(v.confidence && { confidence: check(EntryDraft.shape.confidence, v.confidence, '--confidence') }),
  });
  return sendEntry(api, incident, check(EntryDraft, { ...draft, author: authorFrom(v) }, 'answer'), v);
};

/** `sitrep drill report <drill> [--format md|html|json] [--out FILE]`: to stdout or a file. */
const report: Command = async (argv) => {
  const {
    args: [drill],
    flags: v,
  } = parse(argv, REPORT);
  const { format } = check(DrillReportQuery, { format: v.format }, 'drill report options');
  const body = await (await client(v)).drillReport(drill, format);
  if (v.out === undefined) return void process.stdout.write(body);
  const out = v.out;
  await writeFile(out, body).catch((e: Error) => {
    throw usage(`cannot write ${out}: ${e.message}`);
  });
  process.stderr.write(`wrote the ${format} report of ${drill} to ${out} (${body.length} bytes)\n`);
};

export default subcommands(
  { create, batch, answer, report },
  'drill needs a subcommand: create (--scenario FILE | --from-incident ID), batch DIR, ' +
    'answer DRILL QUESTION --body TEXT or report DRILL [--format md|html|json] [--out FILE]',
);
