// MCP over Streamable HTTP against a real server: the real MCP SDK client with its Streamable
// HTTP transport, the token in `Authorization` as `claude mcp add --transport http --header`
// and Codex's `bearer_token_env_var` send it. The same tools and resource as `sitrep mcp`;
// pushes by the token whatever the arguments say, through the sanitizer and the gate, durable
// across a restart; reads under the token's visibility; tokens of each role and scope; and
// every bad request (no token, another origin, a batch, an unknown method, GET, a huge body)
// answered as the protocol says, changing nothing.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MCP_BODY_BYTES } from '../../server/src/http/mcp.js';
import { makeEntry } from '../support/clients.js';
import { MCP_TOOLS, badInputProblems, textOf } from '../support/mcp.js';
import { BACKENDS, type Fixture, startFixture, waitFor } from '../support/server.js';

const BLAME = 'Dave fat-fingered the config again, careless as ever.';
const SECRET = `ghp_${'Mc9Pht'.repeat(6)}`;

type TokenName = 'responder' | 'viewer' | 'scoped' | 'elsewhere' | 'isolated' | 'keeper';

describe.each(BACKENDS)('MCP over Streamable HTTP (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  let other: string;
  let secret: string;
  const tokens = {} as Record<TokenName, { token: string; id: string; label: string }>;
  const open: Client[] = [];

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
    other = (await f.api.createIncident({ title: 'Search is slow' })).incident.id;
    secret = (await f.api.createIncident({ title: 'Payroll export leaking', private: true })).incident.id;
    await f.api.appendEntries(other, {
      entries: [
        makeEntry('finding', {
          body: 'search-api logs `CircuitBreakingException: [parent] Data too large` from elasticsearch',
        }),
      ],
    });
    await f.api.appendEntries(secret, {
      entries: [makeEntry('finding', { body: 'payroll bucket readable by everyone, elasticsearch too' })],
    });
    const make = async (
      name: TokenName,
      role: 'responder' | 'viewer',
      incidentId?: string,
      isolated?: boolean,
    ): Promise<void> => {
      const label = `claude for ${name}`;
      const made = await f.api.createToken({ role, label, kind: 'harness', incidentId, isolated });
      tokens[name] = { token: made.token, id: made.summary.id, label };
    };
    await make('responder', 'responder');
    await make('viewer', 'viewer');
    await make('scoped', 'responder', incident);
    await make('elsewhere', 'responder', other);
    await make('isolated', 'responder', incident, true);
    await make('keeper', 'responder', secret);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await f.close();
  });

  const mcpUrl = (inc: string | null = incident) =>
    new URL(`${f.server.url}/mcp${inc ? `?incident=${inc}` : ''}`);

  /** The SDK client as Claude Code's `--transport http --header "Authorization: Bearer …"` makes it. */
  const connect = async (name: TokenName = 'responder', inc: string | null = incident): Promise<Client> => {
    const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(mcpUrl(inc), {
        requestInit: { headers: { authorization: `Bearer ${tokens[name].token}` } },
      }),
    );
    open.push(client);
    return client;
  };
  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
    return textOf(r);
  };
  const idOf = (t: string) => /recorded (\S+)/.exec(t)?.[1] ?? '';
  const entriesOf = async (id = incident) => (await f.api.listEntries(id, { limit: 5000 })).entries;

  /** A raw JSON-RPC POST, as a client that is not the SDK's may send it. */
  const post = (body: unknown, headers: Record<string, string | null> = {}, inc: string | null = incident) =>
    fetch(mcpUrl(inc), {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries({
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${tokens.responder.token}`,
          ...headers,
        }).filter((kv): kv is [string, string] => kv[1] !== null),
      ),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

  it('serves the tools and the commander-view resource of `sitrep mcp`', async () => {
    const client = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: 'sitrep' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(MCP_TOOLS);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual([
      'sitrep://incidents/{incident}/commander-view',
    ]);
    const resource = await client.readResource({ uri: `sitrep://incidents/${incident}/commander-view` });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toHaveProperty('rules');
  });

  it('pushes as the token, whatever the arguments say, sanitized, and durable across a restart', async () => {
    const client = await connect();
    const theory = idOf(
      await call(client, 'push_theory', { title: 'Connection pool exhausted', body: 'waiters climb' }),
    );
    const pushed = await call(client, 'push_finding', {
      body: `pool at 100/100; the batch job logs in with ${SECRET}`,
      refs: [theory],
      author: { id: 'mallory', name: 'Mallory', kind: 'human' },
    });
    expect(pushed).toMatch(/^recorded \S+ \(durable\) \(redacted before sending: 1 secret\)$/);
    const finding = idOf(pushed);
    const rejection = idOf(await call(client, 'reject_theory', { theory, rationale: 'pool is at 20%' }));
    // The rules view follows the entries a moment later.
    await waitFor(
      async () => (await call(client, 'list_theories')).includes('"state": "rejected"'),
      'rejected',
    );

    await f.restart();
    const landed = await entriesOf();
    expect(landed.map((e) => e.id).sort()).toEqual([theory, finding, rejection].sort());
    for (const e of landed)
      expect(e.author).toEqual({
        id: `token-${tokens.responder.id}`,
        name: tokens.responder.label,
        kind: 'harness',
        harness: 'mcp',
      });
    expect(JSON.stringify(landed)).not.toContain(SECRET);
    expect(landed.find((e) => e.id === finding)?.redactions).toBeDefined();

    // The restarted server answers a new client, and the token's own search sees what it wrote.
    const again = await connect();
    const found = JSON.parse(await call(again, 'search_entries', { text: 'waiters' })) as { id: string }[];
    expect(found.map((e) => e.id)).toEqual([theory]);
  });

  it("takes the .mcp.json a commander's connect gives, and writes under the responder's name", async () => {
    const connected = await f.api.connect(incident, { name: 'Priya', harness: 'claude-code' });
    const file = connected.setups.flatMap((h) => h.files).find((x) => x.path === '.mcp.json');
    const { url, headers } = (
      JSON.parse(file?.text ?? '{}') as {
        mcpServers: { sitrep: { type: string; url: string; headers: Record<string, string> } };
      }
    ).mcpServers.sitrep;
    // As Claude Code expands ${SITREP_TOKEN} in .mcp.json.
    const filled = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v.replace(/\$\{SITREP_TOKEN\}/, connected.token.token)]),
    );
    const client = new Client({ name: 'claude-code', version: '2.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: filled } }),
    );
    open.push(client);
    const id = idOf(await call(client, 'add_note', { body: 'on call, looking at the checkout pods' }));
    const entry = (await entriesOf()).find((e) => e.id === id);
    expect(entry?.author).toMatchObject({
      id: `token-${connected.token.summary.id}`,
      name: 'Priya',
      harness: 'mcp',
    });
  });

  it('briefs, then tells only what is new since this token’s last brief', async () => {
    const client = await connect('scoped', null);
    const first = await call(client, 'get_brief', { maxTokens: 1000 });
    expect(first).toContain('# sitrep brief: Checkout timeouts');
    expect(first).not.toContain('New since your last brief');
    await f.api.appendEntries(incident, {
      entries: [makeEntry('finding', { body: 'db failover at 14:07' })],
    });
    const second = await call(await connect('scoped', null), 'get_brief', {});
    expect(second.slice(second.indexOf('New since your last brief'))).toContain('db failover at 14:07');
  });

  it('searches the corpus and finds related incidents under the token’s visibility', async () => {
    const client = await connect();
    await call(client, 'push_finding', {
      body: 'checkout-search logs `CircuitBreakingException: [parent] Data too large` from elasticsearch',
    });
    const found = await call(client, 'search_corpus', { text: 'Data too large' });
    expect(found).toContain(other);
    expect(found).not.toContain(secret);
    expect(await call(client, 'find_related_incidents', {})).toContain(other);
    // The incident's own keeper reads it; an isolated token only its own incident.
    expect(await call(await connect('keeper', null), 'search_corpus', { text: 'elasticsearch' })).toContain(
      secret,
    );
    const isolated = await call(await connect('isolated', null), 'search_corpus', { text: 'elasticsearch' });
    expect(isolated).toContain(incident);
    expect(isolated).not.toContain(other);
    const view = await client.readResource({ uri: `sitrep://incidents/${secret}/commander-view` }).then(
      () => 'read',
      (err: Error) => err.message,
    );
    expect(view).toContain(`no incident ${secret}`);
  });

  it('answers bad arguments to the memory tools with a tool error, and keeps answering', async () => {
    expect(await badInputProblems(await connect())).toEqual([]);
  });

  it('refuses an entry that blames a person; the as_is resend lands once however often it is sent', async () => {
    const before = (await entriesOf()).length;
    const refused = await (await connect()).callTool({ name: 'add_note', arguments: { body: BLAME } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(`"${BLAME}"`);
    expect(textOf(refused)).toContain('as_is: true');
    expect((await entriesOf()).length).toBe(before);
    // Each call a new HTTP request (and a new server behind it): the id is kept between them.
    const first = await call(await connect(), 'add_note', { body: BLAME, as_is: true });
    const again = await call(await connect(), 'add_note', { body: BLAME, as_is: true });
    expect(again).toBe(first);
    expect((await entriesOf()).filter((e) => e.body === BLAME).map((e) => e.id)).toEqual([idOf(first)]);
  });

  it('lets a viewer read but not push, and a token limited to one incident write only there', async () => {
    await f.api.appendEntries(incident, {
      entries: [makeEntry('finding', { body: 'cache hit rate at 12%' })],
    });
    const before = (await entriesOf()).length;
    const viewer = await connect('viewer');
    expect(await call(viewer, 'get_brief', {})).toContain('Checkout timeouts');
    const denied = await viewer.callTool({ name: 'add_note', arguments: { body: 'from a viewer' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('needs the responder role');

    const elsewhere = await connect('elsewhere');
    expect(await call(elsewhere, 'search_entries', {})).toContain('cache hit rate at 12%');
    const out = await elsewhere.callTool({ name: 'add_note', arguments: { body: 'from another incident' } });
    expect(out.isError).toBe(true);
    expect(textOf(out)).toContain(`limited to incident ${other}`);
    expect((await entriesOf()).length).toBe(before);
    // Its own incident, from its scope.
    expect(await call(await connect('elsewhere', null), 'add_note', { body: 'search: reindexing' })).toMatch(
      /^recorded /,
    );
    expect((await entriesOf(other)).map((e) => e.body)).toContain('search: reindexing');
  });

  it('answers an incident the token may not read as not found, and asks which incident without one', async () => {
    for (const [name, inc] of [
      ['responder', secret],
      ['isolated', other],
      ['responder', 'no-such-incident'],
    ] as const) {
      const res = await post(listTools, { authorization: `Bearer ${tokens[name].token}` }, inc);
      expect(res.status, `${name} ${inc}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'incident.not_found' } });
    }
    const none = await post(listTools, {}, null);
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: { code: 'request.invalid' } });
  });

  it('answers 401 with WWW-Authenticate without a usable token in the Authorization header', async () => {
    // RFC 6750 §3: no credentials, only the scheme; credentials sent but not a good token
    // (another scheme counts), invalid_token.
    const bad = [
      [null, 'Bearer realm="sitrep"'],
      ['Bearer st_nope.nope', 'Bearer realm="sitrep", error="invalid_token"'],
      [`Bearer ${tokens.responder.token.slice(0, -2)}`, 'Bearer realm="sitrep", error="invalid_token"'],
      ['Basic eDp5', 'Bearer realm="sitrep", error="invalid_token"'],
    ] as const;
    for (const [authorization, challenge] of bad) {
      const res = await post(listTools, { authorization });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate'), String(authorization)).toBe(challenge);
    }
    // Never from the query string.
    const inQuery = await post(
      listTools,
      { authorization: null },
      `${incident}&token=${tokens.responder.token}`,
    );
    expect(inQuery.status).toBe(401);
    const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
    const failed = await client.connect(new StreamableHTTPClientTransport(mcpUrl())).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(StreamableHTTPError);
    expect((failed as StreamableHTTPError).code).toBe(401);
  });

  it("refuses a browser request from another origin, and takes the server's own", async () => {
    const res = await post(listTools, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'request.origin' } });
    expect((await post(listTools, { origin: new URL(f.server.url).origin })).status).toBe(200);
  });

  it('refuses batches, unknown methods, GET and DELETE, bad JSON and huge bodies as the protocol says', async () => {
    const before = (await entriesOf()).length;
    const push = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'add_note', arguments: { body: 'from a batch' } },
    };
    const batch = await post([listTools, push]);
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 }, id: null });

    const unknown = await post({ jsonrpc: '2.0', id: 3, method: 'entries/delete', params: {} });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32601 } });

    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcpUrl(), {
        method,
        headers: { authorization: `Bearer ${tokens.responder.token}`, accept: 'text/event-stream' },
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
    const notJson = await post('{"jsonrpc": "2.0", "id": 4, "method": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: -32700 } });
    const notRpc = await post({ id: 5, params: {} });
    expect(notRpc.status).toBe(400);
    // The huge one is last: the server answers before reading it and closes that connection.
    const huge = await post({
      ...push,
      params: { ...push.params, arguments: { body: 'x'.repeat(MAX_MCP_BODY_BYTES) } },
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 'request.too_large' } });
    expect((await entriesOf()).length).toBe(before);
  });
});
