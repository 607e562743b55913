// `POST /mcp`: the MCP tools and resource of `sitrep mcp` (harness/mcp.ts) over Streamable HTTP,
// for harnesses with nothing installed (`claude mcp add --transport http`, Codex's `url`).
// Stateless: each request gets its own transport and server, answered as JSON, so any node
// answers any request. The token is `Authorization: Bearer` on every request (bearerAuth: 401
// with WWW-Authenticate), the incident the token's or `?incident=`; a browser Origin that is not
// the server's was refused in front of every route (originCheck). One JSON-RPC message per POST,
// as the protocol has said since 2025-06-18: a batch is refused. GET (a stream) and DELETE (a
// session's end) are 405: a stateless server offers neither. The MCP SDK and the tools are loaded
// on the first request (a node nobody asks over MCP does not hold their few MB).
import { REMOTE_PATHS } from '@sitrep/shared';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HeldPushes } from '../harness/HeldPushes.js';
import { type AppEnv, bearerAuth, harnessIncident, principalOf } from './auth.js';
import { limitBody } from './body.js';
import { type McpCorpusDeps, TokenCorpus } from './mcpCorpus.js';

const MCP_PATH = REMOTE_PATHS.mcp;
/** JSON-RPC's error codes for a body that is not JSON and for a message that is not a request. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/** The MCP SDK's transport and sitrep's tools, loaded once, on the first request. */
let mcpModules: Promise<
  [
    typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    typeof import('../harness/mcp.js'),
  ]
> | null = null;
const loadMcp = () =>
  (mcpModules ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('../harness/mcp.js'),
  ]));

/** The largest MCP message taken: a push of the largest entry fits many times over. */
export const MAX_MCP_BODY_BYTES = 1024 * 1024;

/** A JSON-RPC error for a message refused before the MCP server sees it, as the SDK's transport answers. */
const rpcError = (
  c: Context,
  status: ContentfulStatusCode,
  code: number,
  message: string,
  headers: Record<string, string> = {},
) => c.json({ jsonrpc: '2.0', error: { code, message }, id: null }, status, headers);

export function mcpRoutes(deps: McpCorpusDeps): Hono<AppEnv> {
  const mcp = new Hono<AppEnv>();
  // Outlives each request's server: an `as_is` resend keeps the id its refusal gave.
  const held = new HeldPushes();
  mcp.use(MCP_PATH, limitBody(MAX_MCP_BODY_BYTES), bearerAuth(deps.auth));
  mcp.post(MCP_PATH, async (c) => {
    const incidentId = await harnessIncident(c, deps.auth);
    let message: unknown;
    try {
      message = JSON.parse(await c.req.text());
    } catch {
      return rpcError(c, 400, PARSE_ERROR, 'Parse error: Invalid JSON');
    }
    if (Array.isArray(message))
      return rpcError(
        c,
        400,
        INVALID_REQUEST,
        'Invalid Request: one JSON-RPC message per POST; batches are not accepted',
      );
    const [{ WebStandardStreamableHTTPServerTransport }, { buildMcpServer }] = await loadMcp();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = buildMcpServer(new TokenCorpus(deps, principalOf(c), incidentId), held);
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: message });
    } finally {
      await server.close();
    }
  });
  // -32000: the code the SDK's transport answers an unsupported method with.
  mcp.all(MCP_PATH, (c) =>
    rpcError(c, 405, -32000, 'Method not allowed: this MCP endpoint is stateless; POST only', {
      allow: 'POST',
    }),
  );
  return mcp;
}
