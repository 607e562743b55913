// The `sitrep` command line: serve, incidents, push, entries, export and import, and the harness
// side (brief, hook, mcp, init). Every argument is validated before anything is sent; errors
// print one clear line and exit non-zero (2 for bad usage or input, 1 for a failure on the
// server's side).
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  ApiClient,
  AuditQuery,
  CreateIncident,
  CreateTokenRequest,
  type Entry,
  type EntryReceipt,
  EntryDraft,
  EntryId,
  EntryKind,
  ExportDocument,
  ExportQuery,
  BriefQuery,
  IncidentId,
  IncidentListQuery,
  MAX_APPEND_BATCH,
  ReplayQuery,
  SitrepError,
  TokenId,
  completeEntry,
  cut,
  describeIssues,
  describeSkew,
  isoTime,
  storableValue,
} from '@sitrep/shared';
import { stateDir } from '@sitrep/shared/node';
import { redactEntry } from '@sitrep/shared/secrets';
import { z } from 'zod';
import { ADMIN_TOKEN_FILE } from './auth/Authenticator.js';
import { lastBrief, saveBrief } from './harness/briefState.js';
import { harnessConfig } from './harness/HarnessConfig.js';
import { runHook } from './harness/hooks.js';
import { initClaudeCode } from './harness/init.js';
import { parseTranscript, transcriptEntries } from './harness/transcript.js';
import { bySize } from './batches.js';

const USAGE = `usage: sitrep <command> [options]

commands:
  serve [--demo] [--host H] [--port P]     start a server (configuration from SITREP_* env vars)
  incident create --title T [--severity SEV1..SEV4] [--id ID] [--commander NAME] [--drill]
  incident list [--archived] [--limit N] [--cursor C] [--json]
                                           most recently active first, a page at a time
  incident archive|unarchive <incident>    (admin) out of the default list, still readable; or back
  push <incident> --kind K (--body TEXT | --file F.json | --file -) [--title T] [--refs ID,ID]
       [--rationale R] [--confidence low|medium|high] [--tags a,b] [--evidence LABEL=URL]
  entries <incident> [--kind K] [--author ID] [--since ISO] [--limit N] [--json]
  token create --role viewer|responder|commander|admin --label L [--kind human|harness] [--incident ID] [--expires-in SECONDS]
  token list [--json]
  token revoke <token-id>
  audit [--incident ID] [--action A] [--limit N] [--json]
  replay <incident> --at SEQ|ISO-TIME [--json]   the entries as of that point in the log
  purge <incident> <entry-id> --reason R   (admin) remove a leaked entry from the document and storage
  export <incident> [--format md|json|html] [--at SEQ|ISO-TIME] [--out FILE]
                                           postmortem draft, self-contained HTML or complete JSON
  import <incident> <file|-> [--format json|transcript] [--date YYYY-MM-DD]
                                           json: (commander) a new incident from a JSON export;
                                           transcript: one transcript entry per "Speaker: text" point
  brief <incident> [--max-tokens N] [--since SEQ | --all] [--json]
                                           what a harness should know now (status, theories alive
                                           and dead and why, gaps, decisions, what changed since
                                           this client's last brief)
  hook SessionStart|UserPromptSubmit|Stop  Claude Code hook (hook JSON on stdin)
  mcp [--incident ID]                      MCP server over stdio
  init claude-code --incident ID [--token T] [--dir D]   set a project up for Claude Code

common options:
  --server URL      the sitrep server (env SITREP_URL, default http://127.0.0.1:8787)
  --token T         the access token (env SITREP_TOKEN, default the local bootstrap admin token
                    in $SITREP_DATA_DIR/admin-token when that file is readable)
  --author-id ID    who writes (env SITREP_AUTHOR_ID, default your user name)
  --author-name N   display name (env SITREP_AUTHOR_NAME, default the author id)
  --harness NAME    mark the author as an AI harness (claude-code, codex, ...)`;

const usage = (message: string) => new SitrepError('cli.usage', message);

/** Characters of entries in one import request: well under the server's 10 MiB body limit. */
const IMPORT_PART_CHARS = 3 * 1024 * 1024;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage((err as Error).message);
  }
}

function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw usage(`invalid ${what}: ${describeIssues(r.error.issues).join('; ')}`);
  return r.data;
}

const common = {
  server: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  'author-id': { type: 'string' },
  'author-name': { type: 'string' },
  harness: { type: 'string' },
} as const;

/** The token: --token, SITREP_TOKEN, or the local bootstrap admin token file. */
async function tokenFor(flag: string | undefined): Promise<string | undefined> {
  if (flag ?? process.env.SITREP_TOKEN) return flag ?? process.env.SITREP_TOKEN;
  const file = join(process.env.SITREP_DATA_DIR || './.sitrep', ADMIN_TOKEN_FILE);
  return (await readFile(file, 'utf8').catch(() => undefined))?.trim();
}

async function client(v: { server?: string | boolean | undefined; token?: string | boolean | undefined }): Promise<ApiClient> {
  const url = check(z.url(), (v.server as string | undefined) ?? process.env.SITREP_URL ?? 'http://127.0.0.1:8787', '--server');
  return new ApiClient(url, { token: await tokenFor(v.token as string | undefined) });
}

const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function push(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, {
    ...common,
    kind: { type: 'string' },
    body: { type: 'string' },
    file: { type: 'string' },
    title: { type: 'string' },
    refs: { type: 'string' },
    rationale: { type: 'string' },
    confidence: { type: 'string' },
    tags: { type: 'string' },
    evidence: { type: 'string', multiple: true },
  });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const authorId = (v['author-id'] as string | undefined) ?? process.env.SITREP_AUTHOR_ID ?? userInfo().username;
  const harness = v.harness as string | undefined;
  const author = {
    id: authorId,
    name: (v['author-name'] as string | undefined) ?? process.env.SITREP_AUTHOR_NAME ?? authorId,
    kind: harness ? 'harness' : 'human',
    ...(harness ? { harness } : {}),
  };
  let raw: Record<string, unknown>;
  if (v.file !== undefined) {
    const text = v.file === '-' ? await readStdin() : await readFile(v.file as string, 'utf8').catch((e: Error) => {
      throw usage(`cannot read ${v.file}: ${e.message}`);
    });
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw usage(`${v.file === '-' ? 'stdin' : v.file} is not valid JSON`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw usage('the entry must be a JSON object');
    raw = { author, ...raw };
  } else {
    if (v.kind === undefined) throw usage('push needs --kind, or --file with a JSON entry');
    check(EntryKind, v.kind, '--kind');
    const evidence = (v.evidence as string[] | undefined)?.map((e) => {
      const at = e.indexOf('=');
      return at > 0 ? { label: e.slice(0, at), url: e.slice(at + 1) } : { label: e };
    });
    raw = {
      kind: v.kind,
      body: v.body ?? '',
      author,
      title: v.title,
      refs: list(v.refs as string | undefined),
      rationale: v.rationale,
      confidence: v.confidence,
      tags: list(v.tags as string | undefined),
      evidence,
    };
    for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  }
  // NUL and unpaired surrogates become U+FFFD; secrets never leave this machine: redact first,
  // and say how many were taken out.
  const checked = check(EntryDraft, storableValue(raw), 'entry');
  const draft = await redactEntry(checked);
  const redacted = (draft.redactions ?? 0) - (checked.redactions ?? 0);
  if (redacted > 0) console.error(`sitrep: redacted ${redacted} secret${redacted === 1 ? '' : 's'} before sending`);
  const res = await (await client(v)).appendEntries(incident, { entries: [draft] });
  const written = res.entries[0];
  if (!written) throw new SitrepError('remote.error', 'the server acknowledged no entry');
  if (v.json) console.log(JSON.stringify(written));
  else console.log(written.id);
}

async function entries(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, {
    ...common,
    kind: { type: 'string' },
    author: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
  });
  const incident = check(IncidentId, positionals[0], 'incident id');
  if (v.kind !== undefined) check(EntryKind, v.kind, '--kind');
  if (v.since !== undefined) check(isoTime(), v.since, '--since');
  const limit = v.limit === undefined ? undefined : check(z.coerce.number().int().min(1).max(5000), v.limit, '--limit');
  const { entries: rows, receipts } = await (await client(v)).listEntries(incident, {
    kind: v.kind as EntryKind | undefined,
    author: v.author as string | undefined,
    since: v.since as string | undefined,
    limit,
  });
  if (v.json) return void console.log(JSON.stringify(rows, null, 2));
  if (rows.length === 0) console.error('no entries match');
  for (const e of rows) console.log(formatEntry(e, receipts[e.id]));
}

/** One line per entry; with its receipt, the token it came through, and a flag when its time is far from its arrival. */
export function formatEntry(e: Entry, receipt?: EntryReceipt): string {
  const head = e.title ? `${e.title}: ${e.body}` : e.body;
  const via = receipt ? `  via ${receipt.via}${receipt.skewed ? ` (⚠ ${describeSkew(e.at, receipt.receivedAt)})` : ''}` : '';
  return `${e.at}  ${e.kind.padEnd(10)} ${e.author.name.padEnd(16)} ${cut(head.replace(/\s+/g, ' '), 160)}  [${e.id}]${via}`;
}

async function incident(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values: v } = parse(rest, {
      ...common,
      title: { type: 'string' },
      severity: { type: 'string' },
      id: { type: 'string' },
      commander: { type: 'string' },
      drill: { type: 'boolean' },
    });
    const body = check(
      CreateIncident,
      { title: v.title, severity: v.severity, id: v.id, commander: v.commander, kind: v.drill ? 'drill' : undefined },
      'incident',
    );
    const { incident: created } = await (await client(v)).createIncident(body);
    if (v.json) console.log(JSON.stringify(created));
    else console.log(created.id);
  } else if (sub === 'list') {
    const { values: v } = parse(rest, { ...common, archived: { type: 'boolean' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    const q = check(IncidentListQuery, { limit: v.limit, cursor: v.cursor, archived: v.archived ? 'true' : undefined }, 'incident list');
    const { incidents, next } = await (await client(v)).listIncidents(q);
    if (v.json) return void console.log(JSON.stringify(incidents, null, 2));
    for (const i of incidents) console.log(`${i.id.padEnd(32)} ${i.severity} ${i.status.padEnd(13)} ${i.title}`);
    if (next) console.error(`more: sitrep incident list${v.archived ? ' --archived' : ''} --cursor ${next}`);
  } else if (sub === 'archive' || sub === 'unarchive') {
    const { values: v, positionals } = parse(rest, common);
    const id = check(IncidentId, positionals[0], 'incident id');
    await (await client(v)).archiveIncident(id, sub === 'archive');
    console.log(`${sub}d ${id}`);
  } else {
    throw usage('incident needs a subcommand: create, list, archive or unarchive');
  }
}

async function token(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values: v } = parse(rest, { ...common, role: { type: 'string' }, label: { type: 'string' }, kind: { type: 'string' }, incident: { type: 'string' }, 'expires-in': { type: 'string' } });
    const expiresIn = v['expires-in'] === undefined ? undefined : check(z.coerce.number().int(), v['expires-in'], '--expires-in');
    const req = check(CreateTokenRequest, { role: v.role, label: v.label, kind: v.kind, incidentId: v.incident, expiresIn }, 'token');
    const made = await (await client(v)).createToken(req);
    if (v.json) return void console.log(JSON.stringify(made));
    console.log(made.token);
    console.error(`token ${made.summary.id} (${made.summary.role}${made.summary.incidentId ? ` on ${made.summary.incidentId}` : ''}): shown once, keep it now`);
  } else if (sub === 'list') {
    const { values: v } = parse(rest, common);
    const { tokens } = await (await client(v)).listTokens();
    if (v.json) return void console.log(JSON.stringify(tokens, null, 2));
    for (const t of tokens) {
      const state = t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'live';
      console.log(`${t.id}  ${t.role.padEnd(9)} ${t.kind.padEnd(7)} ${state.padEnd(7)} ${(t.incidentId ?? '*').padEnd(24)} ${t.label}`);
    }
  } else if (sub === 'revoke') {
    const { values: v, positionals } = parse(rest, common);
    const id = check(TokenId, positionals[0], 'token id');
    await (await client(v)).revokeToken(id);
    console.log(`revoked ${id}`);
  } else {
    throw usage('token needs a subcommand: create, list or revoke');
  }
}

async function audit(args: string[]): Promise<void> {
  const { values: v } = parse(args, { ...common, incident: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } });
  const q = check(AuditQuery, { incident: v.incident, action: v.action, limit: v.limit }, 'audit query');
  const { records } = await (await client(v)).listAudit(q);
  if (v.json) return void console.log(JSON.stringify(records, null, 2));
  if (records.length === 0) console.error('no audit records match');
  for (const r of records) {
    console.log(`${r.at}  ${r.action.padEnd(14)} ${(r.incidentId ?? '-').padEnd(24)} ${(r.tokenId ?? '-').padEnd(12)} ${JSON.stringify(r.detail)}`);
  }
}

async function replay(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { ...common, at: { type: 'string' } });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const { at } = check(ReplayQuery, { at: v.at }, '--at');
  const res = await (await client(v)).replay(incident, at);
  if (v.json) return void console.log(JSON.stringify(res, null, 2));
  console.log(`# ${String(res.meta.title ?? incident)} as of seq ${res.seq}: ${res.entries.length} entries`);
  for (const e of res.entries) console.log(formatEntry(e));
}

async function purge(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { ...common, reason: { type: 'string' } });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const entryId = check(EntryId, positionals[1], 'entry id');
  const reason = check(z.string().min(1).max(500), v.reason, '--reason');
  const res = await (await client(v)).purgeEntry(incident, entryId, reason);
  if (v.json) return void console.log(JSON.stringify(res));
  console.log(`purged ${res.purged}: ${res.rewritten} log row${res.rewritten === 1 ? '' : 's'} rewritten`);
}

async function serve(args: string[]): Promise<void> {
  const { values: v } = parse(args, { demo: { type: 'boolean' }, host: { type: 'string' }, port: { type: 'string' } });
  const { loadConfig } = await import('./config.js');
  const { createLogger } = await import('./log.js');
  const { startServer } = await import('./main.js');
  const env = { ...process.env };
  if (v.host !== undefined) env.SITREP_HOST = v.host as string;
  if (v.port !== undefined) env.SITREP_PORT = v.port as string;
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  if (v.demo) {
    const { seedDemo } = await import('./demo.js');
    await seedDemo(server.store, server.rooms, log);
  }
  const lines = [`sitrep is running at ${server.url}${v.demo ? ' with the demo incident' : ''}`];
  if (server.bootstrap) {
    lines.push(
      `admin token (shown once; also saved to ${server.bootstrap.file}, mode 0600):`,
      `  ${server.bootstrap.token}`,
      `open ${server.url}/#token=${server.bootstrap.token}`,
    );
  } else {
    lines.push(`sign in at ${server.url}/#token=<token> (the first admin token is in ${config.dataDir}/admin-token)`);
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  const stop = () => {
    process.stderr.write('sitrep is stopping\n');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `export <incident>`: the postmortem draft (md), self-contained HTML, or complete JSON. */
async function exportCommand(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { ...common, format: { type: 'string' }, at: { type: 'string' }, out: { type: 'string' } });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const { format, at } = check(ExportQuery, { format: v.format, ...(v.at !== undefined && { at: v.at }) }, 'export options');
  const body = await (await client(v)).exportIncident(incident, format, at);
  if (v.out === undefined) {
    process.stdout.write(body);
    return;
  }
  await writeFile(v.out as string, body).catch((e: Error) => {
    throw usage(`cannot write ${v.out}: ${e.message}`);
  });
  process.stderr.write(`wrote ${format} export of ${incident} to ${v.out} (${body.length} bytes)\n`);
}

/**
 * `import <incident> <file>`: `--format json` makes a new incident from a JSON export, whole or
 * not at all; `--format transcript` adds a meeting transcript to an incident, one entry per point.
 */
async function importCommand(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { ...common, format: { type: 'string' }, date: { type: 'string' } });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const file = positionals[1];
  if (file === undefined) throw usage('import needs a file (or - for stdin)');
  const format = check(z.enum(['json', 'transcript']), v.format ?? 'json', '--format');
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8').catch((e: Error) => {
    throw usage(`cannot read ${file}: ${e.message}`);
  });
  if (format === 'transcript') {
    const day = v.date === undefined ? undefined : check(z.iso.date(), v.date, '--date');
    // Timed points get ids derived from the incident, day and text: a retry after a failure
    // partway adds only what is missing.
    const drafts = transcriptEntries(parseTranscript(text), day, `${incident}\n${day ?? ''}\n${text}`);
    if (drafts.length === 0) throw usage(`${file} holds no transcript lines ("Speaker: text")`);
    const entries = [];
    for (const d of drafts) entries.push(completeEntry(check(EntryDraft, await redactEntry(storableValue(d)), 'transcript point')));
    const api = await client(v);
    let created = 0;
    for (const part of bySize(entries, IMPORT_PART_CHARS, MAX_APPEND_BATCH)) {
      created += (await api.appendEntries(incident, { entries: part })).entries.filter((e) => e.created).length;
    }
    const there = entries.length - created;
    console.log(`imported ${created} transcript points into ${incident}${there ? ` (${there} were there already)` : ''}`);
    return;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw usage(`${file === '-' ? 'stdin' : file} is not valid JSON`);
  }
  const doc = check(ExportDocument, raw, 'export document');
  const { incident: made } = await (await client(v)).importIncident(doc, incident);
  console.log(v.json ? JSON.stringify(made) : `imported ${doc.entries.length} entries into ${made.id}`);
}

/** `brief <incident>`: what a harness should know now, within a token budget. */
async function brief(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { ...common, 'max-tokens': { type: 'string' }, since: { type: 'string' }, all: { type: 'boolean' } });
  const incident = check(IncidentId, positionals[0], 'incident id');
  const cfg = await harnessConfig({ server: v.server as string | undefined, token: (v.token as string | undefined) ?? (await tokenFor(undefined)) });
  const { maxTokens, since: given } = check(BriefQuery, { maxTokens: v['max-tokens'], since: v.since }, 'brief options');
  const since = v.all ? undefined : (given ?? (await lastBrief(cfg.stateDir, incident, cfg.author.id)));
  const res = await new ApiClient(cfg.url, { token: cfg.token }).brief(incident, { since, maxTokens });
  await saveBrief(cfg.stateDir, incident, cfg.author.id, res.brief);
  console.log(v.json ? JSON.stringify(res.brief) : res.markdown);
}

/** `hook <event>`: a Claude Code hook; the hook's JSON comes on stdin. Never blocks the harness. */
async function hook(args: string[]): Promise<void> {
  const event = args[0] ?? '';
  const outcome = await runHook(event, process.stdin.isTTY ? '' : readStdin());
  process.stdin.destroy(); // a harness that never closes stdin must not keep the hook running
  if (outcome.stdout) process.stdout.write(`${outcome.stdout}\n`);
  if (outcome.stderr) process.stderr.write(`${outcome.stderr}\n`);
  process.exitCode = outcome.code;
}

/** `mcp`: the MCP server over stdio for the configured incident. */
async function mcp(args: string[]): Promise<void> {
  const { values: v } = parse(args, { server: { type: 'string' }, token: { type: 'string' }, incident: { type: 'string' }, harness: { type: 'string' } });
  const cfg = await harnessConfig({ server: v.server, token: v.token, incident: v.incident, harness: v.harness ?? 'mcp' });
  if (!cfg.incident) throw usage('mcp needs an incident: --incident, SITREP_INCIDENT or .sitrep.json');
  if (!cfg.token) throw usage('mcp needs a token: --token, SITREP_TOKEN or `sitrep init claude-code --token`');
  const { NodeClient } = await import('@sitrep/shared/node');
  const { serveMcp } = await import('./harness/mcp.js');
  await serveMcp(new NodeClient({ url: cfg.url, token: cfg.token, incident: cfg.incident, author: cfg.author, stateDir: cfg.stateDir }), cfg.stateDir);
  keepRunning = true;
}

/** `init claude-code --incident ID`: hooks, MCP server and project settings for Claude Code. */
async function init(args: string[]): Promise<void> {
  const { values: v, positionals } = parse(args, { server: { type: 'string' }, token: { type: 'string' }, incident: { type: 'string' }, dir: { type: 'string' }, 'author-id': { type: 'string' }, 'author-name': { type: 'string' } });
  if (positionals[0] !== 'claude-code') throw usage('init knows one harness: `sitrep init claude-code --incident <id>` (see docs/harnesses.md for others)');
  const incident = check(IncidentId, v.incident, '--incident');
  const url = check(z.url(), v.server ?? process.env.SITREP_URL ?? 'http://127.0.0.1:8787', '--server');
  const author = { ...(v['author-id'] && { id: v['author-id'] }), ...(v['author-name'] && { name: v['author-name'] }), kind: 'harness' as const, harness: 'claude-code' };
  const written = await initClaudeCode({ dir: v.dir ?? process.cwd(), url, incident, author, token: v.token, stateDir: stateDir() });
  console.log(`sitrep is set up for Claude Code on incident ${incident}:\n${written.map((f) => `  ${f}`).join('\n')}`);
}

/** Set by a command that serves until its input ends (mcp). */
let keepRunning = false;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  push,
  entries,
  incident,
  token,
  audit,
  replay,
  purge,
  export: exportCommand,
  import: importCommand,
  brief,
  hook,
  mcp,
  init,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw usage(`unknown command "${command}"`);
    await run(args);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof SitrepError) {
      console.error(`sitrep: ${err.message}`);
      if (err.code === 'cli.usage') console.error(`run "sitrep help" for usage`);
      return err.code === 'cli.usage' || err.code === 'config.invalid' ? 2 : 1;
    }
    console.error(`sitrep: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

// A reader that stops early (`sitrep entries demo | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await main(process.argv.slice(2));
if (code !== 0 || (process.argv[2] !== 'serve' && !keepRunning)) process.exitCode = code;
