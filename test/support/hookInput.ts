// Claude Code's hook input, as it posts it to an HTTP hook (or writes it on a command hook's stdin)
// for each event sitrep serves (https://code.claude.com/docs/en/hooks, "Hook input").

export const CWD = '/Users/ana/src/checkout';
const TRANSCRIPT = '/Users/ana/.claude/projects/-Users-ana-src-checkout/9f1c.jsonl';

/** Hook input as Claude Code posts it for each event. */
export const hookJson = {
  SessionStart: (session: string) => ({
    session_id: session,
    transcript_path: TRANSCRIPT,
    cwd: CWD,
    hook_event_name: 'SessionStart',
    source: 'startup',
    model: 'claude-sonnet-4-5',
  }),
  UserPromptSubmit: (session: string, prompt = 'why are checkouts timing out?') => ({
    session_id: session,
    transcript_path: TRANSCRIPT,
    cwd: CWD,
    permission_mode: 'default',
    hook_event_name: 'UserPromptSubmit',
    prompt,
  }),
  Stop: (session: string, stopHookActive = false) => ({
    session_id: session,
    transcript_path: TRANSCRIPT,
    cwd: CWD,
    permission_mode: 'default',
    hook_event_name: 'Stop',
    stop_hook_active: stopHookActive,
    last_assistant_message: 'The pool is exhausted: 100/100 connections held by the batch job.',
  }),
};
