// Defence in depth for browsers, against a real server: the security headers on the dashboard
// and every response, a built dashboard that needs no inline script or style, the Host and
// Origin checks (DNS rebinding, other sites) on HTTP and the websocket upgrade, and the token
// carried in a subprotocol instead of the URL by a stock provider, with `params` still working.
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collectProviderWarnings, connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src " +
  "'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let t: Fixture;
let incident: string;
const warnings = collectProviderWarnings();

beforeAll(async () => {
  t = await startFixture();
  incident = (await t.api.createIncident({ title: 'browsers' })).incident.id;
});
afterAll(async () => {
  await t.close();
});

/** A raw request with the headers given, Host included (fetch does not let a caller set it). */
function raw(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(t.server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${t.token}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The status a websocket upgrade gets: 101 when it is taken. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${t.token}`, {
    headers,
  });
  return new Promise((resolve) => {
    ws.on('upgrade', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  }).finally(() => ws.terminate()) as Promise<number>;
}

describe('security headers', () => {
  it('sends the dashboard its CSP, nosniff, no referrer and no framing, and every API answer too', async () => {
    for (const path of ['/', `/api/incidents/${incident}`, '/api/nothing-here']) {
      const res = await raw(path, {});
      expect(res.headers['content-security-policy'], path).toBe(CSP);
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      expect(res.headers['x-frame-options'], path).toBe('DENY');
    }
  });

  it('gives the HTML export a policy of its own: its inline style, nothing else', async () => {
    const res = await raw(`/api/incidents/${incident}/export?format=html`, {});
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
  });

  it('serves a built dashboard with no inline script, style or handler', async () => {
    const html = await readFile(new URL('../../web/dist/index.html', import.meta.url), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });
});

describe('Host and Origin', () => {
  it('refuses a Host that is not a name of the server, on any route and on the websocket (DNS rebinding)', async () => {
    for (const path of ['/', '/api/incidents', '/healthz']) {
      const res = await raw(path, { host: `rebound.example:${new URL(t.server.url).port}` });
      expect([path, res.status, JSON.parse(res.body).error?.code]).toEqual([path, 403, 'request.host']);
    }
    expect(await upgradeStatus({ host: 'rebound.example' })).toBe(403);
    expect((await raw('/api/incidents', { host: `localhost:${new URL(t.server.url).port}` })).status).toBe(
      200,
    );
    expect(await upgradeStatus({ host: 'localhost' })).toBe(101);
  });

  it("refuses a browser's request from another origin, and takes its own", async () => {
    const own = t.server.url;
    const res = await raw('/api/incidents', { origin: 'http://evil.example' });
    expect([res.status, JSON.parse(res.body).error?.code]).toEqual([403, 'request.origin']);
    expect((await raw('/api/incidents', { origin: 'null' })).status).toBe(403);
    expect((await raw('/api/incidents', { origin: own })).status).toBe(200);
    expect(await upgradeStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ origin: own })).toBe(101);
  });
});

describe('the token on the websocket', () => {
  it('is taken from a subprotocol beside sitrep, out of the URL, by a stock provider', async () => {
    const p = connectProvider(t.server.url, incident, t.token, undefined, 'protocol');
    await synced(p);
    expect(p.url).not.toContain(t.token);
    expect(p.ws?.protocol).toBe('sitrep');
    const entry = makeEntry('finding');
    entriesMap(p.doc).set(entry.id, entry);
    await waitFor(
      async () => (await t.api.listEntries(incident)).entries.some((e) => e.id === entry.id),
      'the write',
    );
    p.destroy();
  });

  it('refuses a bad token in a subprotocol as in the URL, and its warning holds no token', async () => {
    const seen = warnings.length;
    const bad = `${t.token.slice(0, -4)}AAAA`;
    const p = connectProvider(t.server.url, incident, bad, undefined, 'protocol');
    const code = await new Promise<number>((resolve) =>
      p.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)),
    );
    p.destroy();
    expect(code).toBe(4401);
    const said = await waitFor(
      () => warnings.slice(seen).find((w) => w.includes('Permission denied')),
      'the warning',
    );
    expect(said).toContain('auth.invalid');
    expect(said).not.toContain(bad.slice(-20));
  });

  it('still takes `params: { token }` from a stock provider, as the README shows', async () => {
    const p = connectProvider(t.server.url, incident, t.token);
    await synced(p);
    expect(p.url).toContain('token=');
    p.destroy();
  });
});
