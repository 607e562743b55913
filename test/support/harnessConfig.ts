// What a harness does with the setup files sitrep hands out, as its documentation says, so tests
// can send exactly what it would: Claude Code's `${VAR}` expansion in .mcp.json
// (https://code.claude.com/docs/en/mcp, "Environment variable expansion in .mcp.json": `${VAR}`
// and `${VAR:-default}`, an unset one left as written) and its HTTP hooks' header interpolation
// (https://code.claude.com/docs/en/hooks: `$VAR` and `${VAR}`, only for variables listed in
// `allowedEnvVars`, any other one sent empty).

type Env = Record<string, string | undefined>;

/** A value of .mcp.json as Claude Code reads it: every `${VAR}` / `${VAR:-default}` in its strings expanded. */
export function expandMcpJson<T>(value: T, env: Env): T {
  const expand = (s: string) =>
    s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback?: string) => {
      const v = env[name];
      return v !== undefined ? v : fallback !== undefined ? fallback : whole;
    });
  const walk = (v: unknown): unknown =>
    typeof v === 'string'
      ? expand(v)
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(value) as T;
}

export interface HttpHook {
  type: 'http';
  url: string;
  headers?: Record<string, string>;
  allowedEnvVars?: string[];
  timeout?: number;
}

/** A variable in an HTTP hook's header value: `${VAR}` or `$VAR`. */
const HEADER_VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variables a header value refers to. */
export function headerVariables(value: string): string[] {
  return [...value.matchAll(HEADER_VAR)].map((m) => m[1] ?? m[2] ?? '');
}

/** POSTs `input` to an HTTP hook as Claude Code does: JSON body, headers interpolated from `env`. */
export function postHttpHook(hook: HttpHook, input: unknown, env: Env): Promise<Response> {
  const allowed = new Set(hook.allowedEnvVars ?? []);
  const headers = Object.fromEntries(
    Object.entries(hook.headers ?? {}).map(([k, v]) => [
      k,
      v.replace(HEADER_VAR, (_, a?: string, b?: string) => {
        const name = a ?? b ?? '';
        return allowed.has(name) ? (env[name] ?? '') : '';
      }),
    ]),
  );
  return fetch(hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout((hook.timeout ?? 60) * 1000),
  });
}
