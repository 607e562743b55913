// The environment of every child process a test starts (the sitrep executable, initdb and
// pg_ctl, Chromium), built from an allow-list: what a developer's shell holds
// (ANTHROPIC_API_KEY, DATABASE_URL, SITREP_TOKEN, PG*, proxies...) never reaches a child, so no
// test calls a real API or another database, and none depends on the machine it runs on.

/** What a child may inherit: finding programs, the user, the locale and the temp dir. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

/** A child process's environment: the allowed variables of this one, then what the test sets. */
export function childEnv(set: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...set };
}
