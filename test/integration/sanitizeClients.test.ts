// Issue 24, the client side: a sample of the sanitizer corpus through every client path (the CLI
// as a subprocess, the real MCP SDK client over stdio, Claude Code's Stop hook flushing what an
// offline push queued, the Node SDK, a transcript import), through a proxy that records every
// request body on its way to a real server and read back over the API: no secret and no
// private datum leaves the client (the server's own sanitizing cannot hide a client that
// skipped it). A type the deployment's policy refuses is not sent, on each path. Blame is shown before anything leaves (`push --check`,
// the MCP tool's refusal and its `as_is` resend, which never makes a second entry), and the
// admin's scan of stored entries lists what the current rules catch, to no one else. `sitrep` is
// the CLI bundled once for the run (test/support/cli.ts): what is tested is what it does.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  ENTRY_LIMITS,
  type Entry,
  type ExportDocument,
  SitrepError,
  entriesMap,
  redactionCounts,
} from '@sitrep/shared';
import { NodeClient } from '@sitrep/shared/node';
import { REDACTED_GROWTH } from '@sitrep/shared/sanitizer';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Sample, bodiesOf, corpusSample, leakedIn } from '../corpus/sanitizer/sample.js';
import { childEnv } from '../support/childEnv.js';
import { SITREP_BUILT, runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { textOf } from '../support/mcp.js';
import { freePort } from '../support/net.js';
import { type Fixture, startFixture } from '../support/server.js';

/** A proxy to `target` that keeps every request body it forwards: what left the client. */
async function recordingProxy(
  target: string,
): Promise<{ url: string; sent: string[]; close(): Promise<void> }> {
  const sent: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    sent.push(`${req.method} ${req.url}\n${body.toString('utf8')}`);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
    ) as Record<string, string>;
    const answer = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers,
      body: body.length > 0 ? body : null,
    });
    const out = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': out.length,
    });
    res.end(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let f: Fixture;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let state: string;
let env: Record<string, string>;

beforeAll(async () => {
  f = await startFixture('pglite');
  proxy = await recordingProxy(f.server.url);
  state = await mkdtemp(join(tmpdir(), 'sitrep-sanitize-'));
  env = {
    SITREP_URL: proxy.url,
    SITREP_TOKEN: f.token,
    SITREP_STATE_DIR: state,
    SITREP_AUTHOR_ID: 'claude-1',
    SITREP_AUTHOR_NAME: 'Claude (Ana)',
  };
});
afterAll(async () => {
  await proxy.close();
  await f.close();
  await rm(state, { recursive: true, force: true });
});

/**
 * The incident's entries as the API gives them, with what of the sample survived in them or in
 * any request a client sent.
 */
async function readBack(
  incident: string,
  sample: readonly Sample[],
): Promise<{ entries: Entry[]; leaked: string[] }> {
  const { entries } = await f.api.listEntries(incident, { limit: 5000 });
  const text = `${JSON.stringify(entries)}\n${proxy.sent.join('\n')}`;
  return {
    entries,
    leaked: sample.filter((s) => leakedIn(text, s)).map((s) => `${s.what}: ${s.datum}`),
  };
}

const newIncident = async (title: string) => (await f.api.createIncident({ title })).incident.id;
async function mcpClient(extra: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SITREP_BUILT, 'mcp'],
      env: childEnv({ ...env, ...extra }),
      stderr: 'pipe',
    }),
  );
  return client;
}

const BLAME = 'Dave fat-fingered the config again, careless as ever.';

describe('the CLI', () => {
  it('push sanitizes a sample of the corpus before sending it; --check prints what would be sent and sends nothing', async () => {
    const incident = await newIncident('CLI sanitizing');
    const sample = corpusSample(1);
    const [body, ...more] = bodiesOf(sample);
    const check = await runCli(['push', incident, '--kind', 'finding', '--body', body as string, '--check'], {
      env,
    });
    expect(check.code, check.stderr).toBe(0);
    const shown = JSON.parse(check.stdout) as { body: string; redactions: number };
    expect(sample.filter((s) => leakedIn(check.stdout, s))).toEqual([]);
    expect(shown.body).toMatch(/\[REDACTED:[^\]]+\]/);
    expect(shown.body).toMatch(/\[(email|phone|card|iban|ssn|nino)-[0-9a-f]{6}\]/);
    expect(check.stderr).toMatch(/redacted \d+ secrets?, .*before sending/);
    expect(check.stderr).toContain('--check: nothing was sent');
    expect((await f.api.listEntries(incident)).entries).toEqual([]);

    for (const b of [body as string, ...more]) {
      const file = join(state, 'entry.json');
      await writeFile(file, JSON.stringify({ kind: 'finding', title: 'what the logs held', body: b }));
      const pushed = await runCli(['push', incident, '--file', file], { env });
      expect(pushed.code, pushed.stderr).toBe(0);
    }
    const { entries, leaked } = await readBack(incident, sample);
    expect(leaked).toEqual([]);
    expect(entries).toHaveLength(1 + more.length);
    expect(entries.map((e) => Object.keys(redactionCounts(e.redactions)).sort())).toEqual(
      entries.map(() => expect.arrayContaining(['email', 'secret'])),
    );
  });

  it('push shows blame and sends nothing without --as-is; --check warns and exits 0', async () => {
    const incident = await newIncident('CLI blame');
    const check = await runCli(['push', incident, '--kind', 'note', '--body', BLAME, '--check'], { env });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toContain(`"${BLAME}"`);
    expect(check.stderr).toContain('push refuses this entry without --as-is');
    const refused = await runCli(['push', incident, '--kind', 'note', '--body', BLAME], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('blames or judges a person');
    expect(refused.stderr).toContain('nothing was sent');
    expect((await f.api.listEntries(incident)).entries).toEqual([]);
    const asIs = await runCli(['push', incident, '--kind', 'note', '--body', BLAME, '--as-is'], { env });
    expect(asIs.code, asIs.stderr).toBe(0);
    expect((await f.api.listEntries(incident)).entries.map((e) => e.body)).toEqual([BLAME]);
  });

  it('import sanitizes a transcript point by point', async () => {
    const incident = await newIncident('CLI transcript');
    const sample = corpusSample(2).filter((s) => !s.text.includes('\n'));
    const file = join(state, 'bridge.txt');
    await writeFile(
      file,
      sample.map((s, i) => `[14:${String(i).padStart(2, '0')}] Sam: ${s.text}`).join('\n'),
    );
    const r = await runCli(['import', incident, file, '--format', 'transcript', '--date', '2026-11-24'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/redacted .* before sending/);
    const { entries, leaked } = await readBack(incident, sample);
    expect(leaked).toEqual([]);
    expect(entries).toHaveLength(sample.length);
  });
});

describe('the MCP server', () => {
  it('sanitizes what the push tools send', async () => {
    const incident = await newIncident('MCP sanitizing');
    const sample = corpusSample(3);
    const client = await mcpClient({ SITREP_INCIDENT: incident });
    for (const body of bodiesOf(sample)) {
      const r = await client.callTool({ name: 'push_finding', arguments: { body, title: 'from the logs' } });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(textOf(r)).toMatch(/^recorded \S+ \(durable\) \(redacted before sending: .*secret/);
    }
    await client.close();
    const { leaked } = await readBack(incident, sample);
    expect(leaked).toEqual([]);
  });

  it('refuses an entry that blames a person with the sentence; the as_is resend lands once however often it is sent', async () => {
    const incident = await newIncident('MCP blame');
    const client = await mcpClient({ SITREP_INCIDENT: incident });
    const args = { body: BLAME, title: 'config push' };
    const refused = await client.callTool({ name: 'add_note', arguments: args });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(`"${BLAME}"`);
    expect(textOf(refused)).toContain('as_is: true');
    expect((await f.api.listEntries(incident)).entries).toEqual([]);

    const first = await client.callTool({ name: 'add_note', arguments: { ...args, as_is: true } });
    expect(first.isError, textOf(first)).toBeFalsy();
    const id = /^recorded (\S+)/.exec(textOf(first))?.[1];
    // The agent, unsure it landed, sends it again: the same entry, not a second one.
    const again = await client.callTool({ name: 'add_note', arguments: { ...args, as_is: true } });
    expect(textOf(again)).toBe(`recorded ${id} (durable)`);
    // Reworded, it goes without as_is.
    const reworded = await client.callTool({
      name: 'add_note',
      arguments: { body: 'A config push set the pool to 0; the review did not catch it.' },
    });
    expect(reworded.isError, textOf(reworded)).toBeFalsy();
    await client.close();
    const { entries } = await f.api.listEntries(incident);
    expect(entries.map((e) => [e.id === id, e.body])).toEqual([
      [true, BLAME],
      [false, 'A config push set the pool to 0; the review did not catch it.'],
    ]);
  });

  it('sees an allowance the commander sets mid-session at its next push, and its withdrawal', async () => {
    const incident = await newIncident('MCP allowance');
    const client = await mcpClient({ SITREP_INCIDENT: incident });
    const push = async (body: string) => {
      const r = await client.callTool({ name: 'push_finding', arguments: { body } });
      expect(r.isError, textOf(r)).toBeFalsy();
      return textOf(r);
    };
    const email = 'jane.doe@example.com';
    expect(await push(`customer ${email} cannot pay`)).toContain('redacted before sending: 1 email');
    await f.api.setAllowances(incident, ['email']);
    expect(await push(`customer ${email} still cannot pay`)).not.toContain('redacted');
    await f.api.setAllowances(incident, []);
    expect(await push(`customer ${email} paid`)).toContain('redacted before sending: 1 email');
    await client.close();
    const { entries } = await f.api.listEntries(incident);
    expect(entries.map((e) => e.body)).toEqual([
      expect.stringMatching(/^customer \[email-[0-9a-f]{6}\] cannot pay$/),
      `customer ${email} still cannot pay`,
      expect.stringMatching(/^customer \[email-[0-9a-f]{6}\] paid$/),
    ]);
    // The allowed address left the MCP server as written; the others never did.
    const sent = proxy.sent.filter((r) => r.includes(`/api/incidents/${incident}/entries`)).join('\n');
    expect(sent.split(email).length - 1).toBe(1);
  });
});

describe('Claude Code hooks and the SDK', () => {
  it("the Stop hook's flush sends what an offline push queued, sanitized", async () => {
    const incident = await newIncident('Hook flush');
    const sample = corpusSample(4);
    const down = `http://127.0.0.1:${await freePort()}`;
    const client = await mcpClient({ SITREP_INCIDENT: incident, SITREP_URL: down });
    for (const body of bodiesOf(sample))
      expect(textOf(await client.callTool({ name: 'add_note', arguments: { body } }))).toMatch(/^queued /);
    await client.close();
    const stop = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [SITREP_BUILT, 'hook', 'Stop'], {
        env: childEnv({ ...env, SITREP_INCIDENT: incident }),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
      child.stdin.end(
        JSON.stringify({
          session_id: 'abc123',
          transcript_path: '/tmp/t.jsonl',
          cwd: tmpdir(),
          hook_event_name: 'Stop',
          stop_hook_active: false,
        }),
      );
    });
    expect(stop.code, stop.stderr).toBe(0);
    const { entries, leaked } = await readBack(incident, sample);
    expect(leaked).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('NodeClient.push sanitizes, and gives the same placeholder to the same datum', async () => {
    const incident = await newIncident('SDK sanitizing');
    const sample = corpusSample(5);
    const sdk = new NodeClient({
      url: proxy.url,
      token: f.token,
      incident,
      author: { id: 'sdk', name: 'SDK', kind: 'harness' },
      stateDir: join(state, 'sdk'),
    });
    const pushed = await sdk.push([
      ...bodiesOf(sample).map((body) => ({ kind: 'finding' as const, body })),
      { kind: 'note', body: 'ask Jane.Doe@Example.com' },
      { kind: 'note', body: 'jane.doe@example.com replied' },
    ]);
    expect(pushed).toMatchObject({ queued: [], rejected: [] });
    const { entries, leaked } = await readBack(incident, sample);
    expect(leaked).toEqual([]);
    const [asked, replied] = entries.slice(-2).map((e) => /\[email-[0-9a-f]{6}\]/.exec(e.body)?.[0]);
    expect(asked).toBeDefined();
    expect(asked).toBe(replied);
  });
});

describe('an entry at the body limit whose placeholders are longer than what they replace', () => {
  const LIMIT = ENTRY_LIMITS.bodyChars;
  /** A body of exactly `chars` characters of short addresses and phone numbers, and what it holds. */
  const fullOfData = (chars: number, tag: string) => {
    const data: string[] = [];
    let body = '';
    for (let i = 0; ; i++) {
      const datum = i % 2 ? `o${tag}${i}@ex.io` : `415-555-01${String(i % 100).padStart(2, '0')}`;
      if (body.length + datum.length + 2 > chars) break;
      body += `${datum}, `;
      data.push(datum);
    }
    return { body: body.padEnd(chars, '.'), data: data.filter((d) => d.includes('@')) };
  };
  /** The incident's one entry: its body over the limit once redacted, and none of the data in it. */
  async function storedRedacted(incident: string, data: readonly string[]): Promise<void> {
    const { entries } = await f.api.listEntries(incident);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry?.body.length).toBeGreaterThan(LIMIT);
    expect(entry?.body.length).toBeLessThanOrEqual(LIMIT * REDACTED_GROWTH);
    expect(data.filter((d) => entry?.body.includes(d))).toEqual([]);
    expect(redactionCounts(entry?.redactions)).toMatchObject({
      email: data.length,
      phone: expect.any(Number),
    });
  }
  const overLimit = /body: must be at most 16384 characters \(each redaction placeholder counts as one\)/;

  it('is stored redacted through the HTTP append and an import; one character more is refused, naming the limit', async () => {
    const incident = await newIncident('limit over HTTP');
    const { body, data } = fullOfData(LIMIT, 'h');
    await f.api.appendEntries(incident, { entries: [makeEntry('finding', { body })] });
    await storedRedacted(incident, data);
    const over = makeEntry('finding', { body: fullOfData(LIMIT + 1, 'h').body });
    const refused = await f.api.appendEntries(incident, { entries: [over] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SitrepError);
    expect((refused as SitrepError).code).toBe('request.invalid'); // 400
    expect((refused as SitrepError).message).toMatch(overLimit);
    await storedRedacted(incident, data);

    const source = await newIncident('limit import source');
    const doc = JSON.parse(await f.api.exportIncident(source, 'json')) as ExportDocument;
    const imported = await f.api.importIncident(
      { ...doc, entries: [makeEntry('finding', { body })] },
      'limit-imported',
    );
    await storedRedacted(imported.incident.id, data);
    const tooLong = { ...doc, entries: [over] };
    const notImported = await f.api.importIncident(tooLong, 'limit-not-imported').catch((e: unknown) => e);
    expect((notImported as SitrepError).code).toBe('request.invalid');
    expect((notImported as SitrepError).message).toMatch(/at most 16384 characters/);
  });

  it('is sent redacted by the CLI, the MCP tools and the SDK; one character more is refused before anything is sent', async () => {
    const cli = await newIncident('limit from the CLI');
    const { body, data } = fullOfData(LIMIT, 'c');
    const file = join(state, 'full.json');
    await writeFile(file, JSON.stringify({ kind: 'finding', body }));
    const pushed = await runCli(['push', cli, '--file', file], { env });
    expect(pushed.code, pushed.stderr).toBe(0);
    await storedRedacted(cli, data);
    await writeFile(file, JSON.stringify({ kind: 'finding', body: fullOfData(LIMIT + 1, 'c').body }));
    const over = await runCli(['push', cli, '--file', file], { env });
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/at most 16384 characters/);

    const mcp = await newIncident('limit from MCP');
    const client = await mcpClient({ SITREP_INCIDENT: mcp });
    const r = await client.callTool({ name: 'push_finding', arguments: { body, title: 'contacts' } });
    expect(r.isError, textOf(r)).toBeFalsy();
    await storedRedacted(mcp, data);
    const mcpOver = await client.callTool({
      name: 'push_finding',
      arguments: { body: fullOfData(LIMIT + 1, 'c').body, title: 'contacts' },
    });
    expect(mcpOver.isError).toBe(true);
    expect(textOf(mcpOver)).toMatch(/at most 16384 characters/);
    await client.close();

    const sdkIncident = await newIncident('limit from the SDK');
    const sdk = new NodeClient({
      url: proxy.url,
      token: f.token,
      incident: sdkIncident,
      author: { id: 'sdk', name: 'SDK', kind: 'harness' },
      stateDir: join(state, 'sdk-limit'),
    });
    expect(await sdk.push([{ kind: 'finding', body }])).toMatchObject({ queued: [], rejected: [] });
    await storedRedacted(sdkIncident, data);
    const sdkOver = await sdk
      .push([{ kind: 'finding', body: fullOfData(LIMIT + 1, 'c').body }])
      .catch((e) => e);
    expect(String(sdkOver instanceof Error ? sdkOver.message : JSON.stringify(sdkOver))).toMatch(
      /at most 16384 characters/,
    );
    // What was refused was never written: each incident holds its one entry.
    for (const incident of [cli, mcp, sdkIncident]) await storedRedacted(incident, data);
  });
});

describe('sitrep sanitize --scan', () => {
  it('lists the stored entries the current rules catch (never their text) to an admin, and to no one else', async () => {
    const incident = await newIncident('Stored before the rules');
    const body =
      'customer jane.doe@example.com, card 4111 1111 1111 1111, token ghp_R2d2C3po0123456789abcdefABCDEF012345';
    const leaked = makeEntry('finding', { body });
    const clean = makeEntry('finding', { body: 'pool at 100/100 on db-7 (10.0.4.17), build 4812' });
    // Written straight to the log, as an entry stored before today's rules would have been.
    const doc = new Y.Doc();
    entriesMap(doc).set(leaked.id, leaked);
    const filler = Array.from({ length: 450 }, (_, i) => makeEntry('note', { body: `tick ${i}` }));
    for (const e of [clean, ...filler]) entriesMap(doc).set(e.id, e);
    await f.server.store.appendUpdates(incident, [
      { bytes: Y.encodeStateAsUpdate(doc), entries: [leaked, clean, ...filler] },
    ]);

    const r = await runCli(['sanitize', '--scan', '--incident', incident], { env });
    expect(r.code, r.stderr).toBe(0);
    const line = new RegExp(`^${incident}  ${leaked.id}  finding +(?=.*secret:)(?=.*email)(?=.*card)`);
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(r.stdout).not.toContain('jane.doe');
    expect(r.stderr).toContain(`scanning ${incident}: 200 of 452 entries`);
    expect(r.stderr).toContain(`scanned 452 entries in ${incident}: 1 caught`);

    const all = await runCli(['sanitize', '--scan', '--json'], { env });
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { incident: string; id: string; found: { type: string }[] });
    expect(
      lines.filter((l) => l.incident === incident).map((l) => [l.id, l.found.map((x) => x.type).sort()]),
    ).toEqual([[leaked.id, ['card', 'email', 'secret']]]);

    const { token } = await f.api.createToken({ role: 'responder', label: 'responder', kind: 'human' });
    const responder = await runCli(['sanitize', '--scan', '--incident', incident], {
      env: { ...env, SITREP_TOKEN: token },
    });
    expect(responder.code).toBe(1);
    expect(responder.stdout).toBe('');
    const refused = await (async () => {
      for await (const _ of new ApiClient(f.server.url, { token }).scanStored(incident)) return null;
      return null;
    })().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SitrepError);
    expect((refused as SitrepError).code).toBe('auth.forbidden');
    expect((await runCli(['sanitize'], { env })).code).toBe(2);
  });
});

describe('a type the policy refuses', () => {
  let r: Fixture;
  let renv: Record<string, string>;
  beforeAll(async () => {
    r = await startFixture('pglite', { SITREP_PRIVACY_POLICY: 'card=refuse' });
    renv = {
      ...env,
      SITREP_URL: r.server.url,
      SITREP_TOKEN: r.token,
      SITREP_STATE_DIR: join(state, 'refuse'),
    };
  });
  afterAll(async () => {
    await r.close();
  });
  const CARD = 'customer card 4111 1111 1111 1111 was charged twice';

  it('is not sent by the CLI, the MCP tools, or the Stop hook flushing an offline push', async () => {
    const incident = (await r.api.createIncident({ title: 'Cards refused' })).incident.id;
    const cli = await runCli(['push', incident, '--kind', 'finding', '--body', CARD], { env: renv });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("the incident's sanitizer policy refuses card data");
    expect(cli.stderr).not.toContain('4111');

    const mcp = await mcpClient({ ...renv, SITREP_INCIDENT: incident });
    const tool = await mcp.callTool({ name: 'push_finding', arguments: { body: CARD } });
    expect(tool.isError).toBe(true);
    expect(textOf(tool)).toContain('refuses card data');
    await mcp.close();

    const down = `http://127.0.0.1:${await freePort()}`;
    const offline = await mcpClient({ ...renv, SITREP_INCIDENT: incident, SITREP_URL: down });
    expect(textOf(await offline.callTool({ name: 'add_note', arguments: { body: CARD } }))).toMatch(
      /^queued /,
    );
    await offline.close();
    const stop = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [SITREP_BUILT, 'hook', 'Stop'], {
        env: childEnv({ ...renv, SITREP_INCIDENT: incident }),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
      child.stdin.end(
        JSON.stringify({
          session_id: 'abc123',
          transcript_path: '/tmp/t.jsonl',
          cwd: tmpdir(),
          hook_event_name: 'Stop',
          stop_hook_active: false,
        }),
      );
    });
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain('1 entries were refused');
    expect(stop.stderr).toContain('refuses card data');
    expect((await r.api.listEntries(incident)).entries).toEqual([]);
  });
});
