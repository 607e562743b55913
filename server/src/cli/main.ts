// The `sitrep` command line's entry point: finds the command named first, loads only that
// command's module (so a command that talks to a server never loads the server's own modules),
// runs it, and turns what went wrong into one line on stderr and an exit code: 2 for bad usage or
// input, 1 for a failure on the server's side.
import { SitrepError } from '@sitrep/shared';
import type { Command } from './args.js';

export const USAGE = `usage: sitrep <command> [options]

commands:
  serve [--demo] [--host H] [--port P]     start a server (configuration from SITREP_* env vars)
  incident create --title T [--severity SEV1..SEV4] [--id ID] [--commander NAME] [--drill] [--private]
                                           --private: readable only by admins and tokens limited to
                                           it; made by a non-admin, it prints a commander token for it
  incident list [--archived] [--limit N] [--cursor C] [--json]
                                           most recently active first, a page at a time
  incident set <incident> [--status S] [--severity SEV1..SEV4] [--commander NAME|none]
               [--started-at|--detected-at|--acknowledged-at|--mitigated-at|--resolved-at ISO|none]
                                           (commander) status, severity, commander, times by hand;
                                           a status change stamps the milestones still unset
  incident archive|unarchive <incident>    (admin) out of the default list, still readable; or back
  incident private <incident> [--off]      (admin) make it private, or (--off) not; audited
  push <incident> --kind K (--body TEXT | --file F.json | --file -) [--title T] [--refs ID,ID]
       [--rationale R] [--confidence low|medium|high] [--tags a,b] [--evidence LABEL=URL]
       [--check] [--as-is]                 sanitized here first; --check prints what would be sent
                                           and sends nothing; an entry that blames a person is
                                           sent only with --as-is
  entries <incident> [--kind K] [--author ID] [--since ISO] [--limit N] [--json]
  token create --role viewer|responder|commander|admin --label L [--kind human|harness] [--incident ID [--isolated]] [--expires-in SECONDS]
  token list [--json]
  token revoke <token-id>
  audit [--incident ID] [--action A] [--limit N] [--json]
  replay <incident> --at SEQ|ISO-TIME [--json]   the entries as of that point in the log
  purge <incident> <entry-id> --reason R   (admin) remove a leaked entry from the document and storage
  sanitize --scan [--incident ID] [--json] (admin) list the stored entries the sanitizer's current
                                           rules catch (id, kind, type and rule; never the text)
  export <incident> [--format md|json|html] [--at SEQ|ISO-TIME] [--out FILE]
                                           postmortem draft, self-contained HTML or complete JSON
  import <incident> <file|-> [--format json|transcript] [--date YYYY-MM-DD] [--allow TYPES]
         [--private]                       json: (commander) a new incident from a JSON export,
                                           --allow email,phone keeping those as written; private
                                           when the export was, or with --private;
                                           transcript: one transcript entry per "Speaker: text" point
  brief <incident> [--max-tokens N] [--since SEQ | --all] [--json]
                                           what a harness should know now (status, theories alive
                                           and dead and why, gaps, decisions, what changed since
                                           this client's last brief)
  search "TEXT" [--kind K] [--status S] [--incident ID] [--no-drills] [--limit N] [--json]
                                           entries across every incident you may read, best first
  related <incident> [--entry ID] [--drills] [--limit N] [--json]
                                           past incidents like this one (or one entry): why they
                                           matched, confirmed causes, dead ends and why, decisions,
                                           open follow-ups
  drill create (--scenario FILE | --from-incident ID) [--severity S] [--private] [--json]
                                           a drill: an incident of kind drill from a scenario file
                                           (Markdown, optional YAML front matter, at most 256 KiB)
                                           or a replay of one of ours, with the pre-mortem questions
  drill batch DIR [--severity S] [--private] [--json]
                                           one drill per .md file; a re-run finds the drills made
  drill answer <drill> <question> --body TEXT [--title T] [--confidence C]
                                           answer a pre-mortem question (exposed, similar-systems,
                                           signals, playbook, hardest-decision, fix-now)
  usage <incident> [--json]                AI usage: the harnesses' tokens and cost by author and
                                           model beside the summarizer's (list prices)
  drill report <drill> [--format md|html|json] [--out FILE]
                                           a drill's questions with their answers, the unanswered
                                           ones, fix-now actions and owners, who took part, AI cost
  insights [--from DAY|ISO] [--to DAY|ISO] [--severity SEV1,SEV2] [--kind incident|drill] [--json|--csv]
                                           outcome figures across the incidents you may read: times
                                           to acknowledge / mitigate / resolve (median, p90) by
                                           severity, AI cost per incident and hour, theories; drills
                                           apart; a line (CSV: a row) per incident
  hook SessionStart|UserPromptSubmit|Stop  Claude Code hook (hook JSON on stdin)
  mcp [--incident ID]                      MCP server over stdio
  connect <incident> --name N [--harness claude-code|codex|generic] [--json]
                                           (commander) a responder token for N's harness, limited
                                           to the incident, and the setup to paste (shown once)
  init claude-code --incident ID [--token T] [--dir D] [--remote]
                                           set a project up for Claude Code (--remote: HTTP hooks
                                           and MCP to --server, nothing to install)
  version                                  this installation's version (also --version, -V)

common options:
  --server URL      the sitrep server (env SITREP_URL, default http://127.0.0.1:8787)
  --token T         the access token (env SITREP_TOKEN, default the local bootstrap admin token
                    in $SITREP_DATA_DIR/admin-token when that file is readable)
  --author-id ID    who writes (env SITREP_AUTHOR_ID, default your user name)
  --author-name N   display name (env SITREP_AUTHOR_NAME, default the author id)
  --harness NAME    mark the author as an AI harness (claude-code, codex, ...)`;

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  serve: () => import('./serve.js'),
  push: () => import('./push.js'),
  entries: () => import('./entries.js'),
  incident: () => import('./incident.js'),
  token: () => import('./token.js'),
  audit: () => import('./audit.js'),
  replay: () => import('./replay.js'),
  purge: () => import('./purge.js'),
  sanitize: () => import('./sanitize.js'),
  export: () => import('./export.js'),
  import: () => import('./import.js'),
  brief: () => import('./brief.js'),
  search: () => import('./search.js'),
  related: () => import('./related.js'),
  drill: () => import('./drill.js'),
  insights: () => import('./insights.js'),
  usage: () => import('./usage.js'),
  hook: () => import('./hook.js'),
  mcp: () => import('./mcp.js'),
  connect: () => import('./connect.js'),
  init: () => import('./init.js'),
  version: () => import('./version.js'),
};

/** The names of the commands, for tests that check each one. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

/** Runs `sitrep <argv>` and gives its exit code; a command that serves (serve, mcp) keeps running after. */
export async function main(argv: readonly string[]): Promise<number> {
  const [given, ...args] = argv;
  const command = given === '--version' || given === '-V' ? 'version' : given;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) throw new SitrepError('cli.usage', `unknown command "${command}"`);
    return (await (await load()).default(args)) ?? 0;
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

/** The process side of `main`, for the executable: its exit code, and a reader that stops early. */
export async function run(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`sitrep entries demo | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.exitCode = await main(argv);
}
