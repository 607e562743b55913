// Harness AI usage over OTLP against a real server: the OpenTelemetry SDK's metrics exporter
// (`@opentelemetry/exporter-metrics-otlp-http`, JSON) posts Claude Code's metrics, with Claude
// Code's names and attributes, to POST /v1/metrics, cumulative and delta; a retry the exporter
// makes itself is counted once, user.email is never stored, and every refused export records
// nothing. Then GET /api/incidents/:id/usage beside the summarizer's runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { ApiClient, NO_TOKENS } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OTLP_BODY_BYTES } from '../../server/src/http/otlp.js';
import type { Database } from '../../server/src/store/db.js';
import { harnessUsage } from '../../server/src/store/schema.js';
import { runCli } from '../support/cli.js';
import { EMAIL, claudeCode } from '../support/claudeCodeTelemetry.js';
import { BACKENDS, type Fixture, harnessToken, startFixture } from '../support/server.js';

const SONNET = 'claude-sonnet-4-5-20250929';

/**
 * A stand-in between the exporter and the server that keeps what the exporter posts. With a
 * target, it forwards each export there and answers the first 503 (so the exporter retries it);
 * without, it answers 200 and forwards nothing.
 */
async function exportCatcher(
  target?: string,
): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    bodies.push(body);
    let status = 200;
    let answer = '{}';
    if (target) {
      const forwarded = await fetch(`${target}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
        body,
      });
      status = bodies.length === 1 ? 503 : forwarded.status;
      answer = await forwarded.text();
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The body the exporter posts for one use, caught by a stand-in server: a real export to tamper with. */
async function sdkExport(incident: string | undefined, session: string): Promise<Record<string, unknown>> {
  const caught = await exportCatcher();
  try {
    const cc = claudeCode({
      url: caught.url,
      token: 'unused',
      incident,
      session,
      temporality: AggregationTemporality.DELTA,
    });
    cc.use(SONNET, { input: 700, output: 70 }, 0.003);
    await cc.flush();
    await cc.shutdown();
    return JSON.parse(caught.bodies[0] ?? 'null') as Record<string, unknown>;
  } finally {
    await caught.close();
  }
}

describe.each(BACKENDS)('harness usage over OTLP (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  let other: string;
  const tokens = {} as Record<'scoped' | 'responder' | 'viewer' | 'elsewhere', { token: string; id: string }>;

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
    other = (await f.api.createIncident({ title: 'Search is slow' })).incident.id;
    const make = async (name: keyof typeof tokens, role: 'responder' | 'viewer', incidentId?: string) => {
      tokens[name] = await harnessToken(f.api, name, role, incidentId);
    };
    await make('scoped', 'responder', incident);
    await make('responder', 'responder');
    await make('viewer', 'viewer');
    await make('elsewhere', 'responder', other);
  });
  afterAll(() => f.close());

  /** The stored rows themselves (the store keeps its database private; tests look underneath). */
  const rows = async (incidentId: string) => {
    const { db } = f.server.store as unknown as { db: Database };
    return (await db.select().from(harnessUsage)).filter((r) => r.incidentId === incidentId);
  };
  const lineOf = async (incidentId: string, tokenId: string, model = SONNET) =>
    (await f.api.usage(incidentId)).harness.find((l) => l.author.tokenId === tokenId && l.model === model);

  it('counts cumulative exports by their increase, and a restarted process from zero', async () => {
    const opts = { url: f.server.url, token: tokens.scoped.token, session: 's-cum' };
    const cc = claudeCode({ ...opts, temporality: AggregationTemporality.CUMULATIVE });
    cc.use(SONNET, { input: 1200, output: 300, cacheRead: 5000, cacheCreation: 800 }, 0.05);
    await cc.flush();
    cc.use(SONNET, { input: 100, output: 50 }, 0.01);
    await cc.flush();
    await cc.flush(); // nothing new: the same totals at a later time add nothing
    await cc.shutdown();
    const restarted = claudeCode({ ...opts, temporality: AggregationTemporality.CUMULATIVE });
    restarted.use(SONNET, { input: 10, output: 5 }, 0.001);
    await restarted.flush();
    await restarted.shutdown();

    const line = await lineOf(incident, tokens.scoped.id);
    expect(line).toMatchObject({
      author: { tokenId: tokens.scoped.id, name: 'claude for scoped' },
      sessions: 1,
      tokens: { input: 1310, output: 355, cacheRead: 5000, cacheCreation: 800 },
    });
    expect(line?.reportedCostUsd).toBeCloseTo(0.061, 9);
    // List prices for Sonnet: 3 / 15 / 0.30 / 3.75 dollars per million tokens.
    expect(line?.costUsd).toBeCloseTo((1310 * 3 + 355 * 15 + 5000 * 0.3 + 800 * 3.75) / 1e6, 9);
  });

  it('counts delta exports as they come, and a retried export once', async () => {
    const proxy = await exportCatcher(f.server.url);
    try {
      const cc = claudeCode({
        url: proxy.url,
        token: tokens.responder.token,
        incident,
        session: 's-delta',
        temporality: AggregationTemporality.DELTA,
      });
      cc.use('claude-haiku-4-5', { input: 400, output: 40 }, 0.0006);
      await cc.flush();
      expect(proxy.bodies).toHaveLength(2);
      expect(proxy.bodies[1]).toBe(proxy.bodies[0]);
      cc.use('claude-haiku-4-5', { input: 100, output: 10 }, 0.00015);
      await cc.flush();
      await cc.shutdown();
    } finally {
      await proxy.close();
    }
    const line = await lineOf(incident, tokens.responder.id, 'claude-haiku-4-5');
    expect(line?.tokens).toEqual({ ...NO_TOKENS, input: 500, output: 50 });
    expect(line?.reportedCostUsd).toBeCloseTo(0.00075, 9);
  });

  it('never stores user.email, and keeps the other attributes', async () => {
    const stored = await rows(incident);
    expect(stored.length).toBeGreaterThan(0);
    const text = JSON.stringify(stored, (_, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('user.email');
    expect(stored[0]?.attributes).toMatchObject({
      'user.account_uuid': 'acc-91d4',
      'organization.id': 'org-2b7e',
    });
  });

  it("answers the incident's usage: harnesses by author and model beside the summarizer's runs", async () => {
    await f.server.store.summaries.record({
      incidentId: incident,
      model: 'claude-sonnet-5-5',
      inputTokens: 9_000,
      outputTokens: 800,
      latencyMs: 2_100,
      watermark: null,
      view: null,
      error: null,
    });
    const viewer = new ApiClient(f.server.url, { token: tokens.viewer.token });
    const usage = await viewer.usage(incident);
    expect(usage.prices).toBe('list');
    expect(usage.summarizer).toEqual([
      {
        model: 'claude-sonnet-5-5',
        runs: 1,
        tokens: { ...NO_TOKENS, input: 9_000, output: 800 },
        costUsd: expect.any(Number),
      },
    ]);
    expect(usage.summarizer[0]?.costUsd).toBeCloseTo((9_000 * 3 + 800 * 15) / 1e6, 9);
    expect(usage.harness.map((l) => [l.author.name, l.model])).toEqual(
      expect.arrayContaining([
        ['claude for scoped', SONNET],
        ['claude for responder', 'claude-haiku-4-5'],
      ]),
    );
    const harnessInput = usage.harness.reduce((n, l) => n + l.tokens.input, 0);
    expect(usage.totals.harness.tokens.input).toBe(harnessInput);
    expect(usage.totals.summarizer.costUsd).toBeCloseTo(usage.summarizer[0]?.costUsd ?? -1, 9);
    expect(usage.unpriced).toEqual([]);
    // Usage of one incident is not another's.
    expect((await f.api.usage(other)).harness).toEqual([]);
  });

  it('says the usage with `sitrep usage`, as text and as the API answers it', async () => {
    const env = { SITREP_URL: f.server.url, SITREP_TOKEN: tokens.viewer.token };
    // Three runs that read only, at once.
    const run = (...args: string[]) => runCli(args, { env });
    const [text, json, bad] = await Promise.all([
      run('usage', incident),
      run('usage', incident, '--json'),
      run('usage', 'Not An Id'),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`AI usage of ${incident} (costs at list prices)`);
    expect(text.stdout).toContain(
      'claude for scoped · claude-sonnet-4-5-20250929 · 1 session: 1,310 in, 355 out, 5,000 cache read, 800 cache write; $0.',
    );
    expect(text.stdout).toContain('; reported $0.0610');
    expect(text.stdout).toContain('claude-sonnet-5-5 · 1 run: 9,000 in, 800 out');
    expect(JSON.parse(json.stdout)).toEqual(await f.api.usage(incident));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('incident id');
  });

  it('counts a session that reports over OTLP from OTLP alone, not again from its transcript', async () => {
    const api = (token: string) => new ApiClient(f.server.url, { token });
    const message = {
      id: 'msg_01',
      model: SONNET,
      at: '2026-12-05T14:02:11.123Z',
      tokens: { ...NO_TOKENS, input: 999 },
    };
    const before = await lineOf(incident, tokens.scoped.id);
    expect(
      await api(tokens.scoped.token).reportUsage(incident, { sessionId: 's-cum', messages: [message] }),
    ).toEqual({ counted: 1 });
    expect(await lineOf(incident, tokens.scoped.id)).toEqual(before);
    // Another session of the same token, with no OTLP, is counted from its transcript; a message
    // it holds again (a resumed session copies the earlier one's) is counted once.
    const next = { ...message, id: 'msg_02' };
    const local = { sessionId: 's-local', messages: [message, next] };
    expect(await api(tokens.scoped.token).reportUsage(incident, local)).toEqual({ counted: 1 });
    expect((await lineOf(incident, tokens.scoped.id))?.tokens.input).toBe((before?.tokens.input ?? 0) + 999);
    expect((await lineOf(incident, tokens.scoped.id))?.sessions).toBe(2);
    // Only a token that may write the incident reports, with a sound body.
    const refusals: [() => Promise<unknown>, string][] = [
      [
        () => api(tokens.viewer.token).reportUsage(incident, { sessionId: 's', messages: [message] }),
        'auth.forbidden',
      ],
      [
        () => api(tokens.elsewhere.token).reportUsage(incident, { sessionId: 's', messages: [message] }),
        'auth.forbidden',
      ],
      [
        () => api(tokens.scoped.token).reportUsage(incident, { sessionId: 's', messages: [] }),
        'request.invalid',
      ],
    ];
    for (const [refusal, code] of refusals) await expect(refusal()).rejects.toMatchObject({ code });
  });

  describe('refuses, recording nothing', () => {
    const post = (body: unknown, opts: { token?: string | null; type?: string; encoding?: string } = {}) => {
      const token = opts.token === undefined ? tokens.responder.token : opts.token;
      return fetch(`${f.server.url}/v1/metrics`, {
        method: 'POST',
        headers: {
          'content-type': opts.type ?? 'application/json',
          ...(opts.encoding && { 'content-encoding': opts.encoding }),
          ...(token !== null && { authorization: `Bearer ${token}` }),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    };
    /** Posts, expects the status and error code, and that no incident's usage changed. */
    const refused = async (res: Promise<Response>, status: number, code: string) => {
      const before = [(await rows(incident)).length, (await rows(other)).length];
      const answer = await res;
      expect(answer.status).toBe(status);
      const json = (await answer.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message).toEqual(expect.any(String));
      expect([(await rows(incident)).length, (await rows(other)).length]).toEqual(before);
      return json.error.message;
    };
    let good: Record<string, unknown>;
    let unnamed: Record<string, unknown>;
    beforeAll(async () => {
      good = await sdkExport(incident, 's-bad');
      unnamed = await sdkExport(undefined, 's-bad');
    });
    /** The good export with its first data point changed by `change`. */
    const tampered = (change: (point: Record<string, unknown>) => void): unknown => {
      const body = structuredClone(good) as {
        resourceMetrics: {
          scopeMetrics: { metrics: { sum: { dataPoints: Record<string, unknown>[] } }[] }[];
        }[];
      };
      change(
        body.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.sum.dataPoints[0] as Record<string, unknown>,
      );
      return body;
    };

    it('without a token, or with a bad one', async () => {
      await refused(post(good, { token: null }), 401, 'auth.missing');
      await refused(post(good, { token: 'sitrep_bogus' }), 401, 'auth.invalid');
    });

    it('from a viewer, or for an incident the token may not write', async () => {
      await refused(post(good, { token: tokens.viewer.token }), 403, 'auth.forbidden');
      await refused(post(good, { token: tokens.elsewhere.token }), 403, 'auth.forbidden');
      const hidden = (await f.api.createIncident({ title: 'Payroll export leak' })).incident.id;
      await f.api.setPrivate(hidden, true);
      await refused(post(JSON.stringify(good).replace(incident, hidden)), 404, 'incident.not_found');
      await refused(
        post(JSON.stringify(good).replace(incident, 'no-such-incident')),
        404,
        'incident.not_found',
      );
    });

    it('without an incident: no resource attribute and a token for every incident', async () => {
      const message = await refused(post(unnamed), 400, 'request.invalid');
      expect(message).toContain('sitrep.incident');
    });

    it('malformed JSON, a body that is not an export, and a point that cannot be counted', async () => {
      await refused(post('{"resourceMetrics": ['), 400, 'request.malformed_json');
      await refused(post({ resourceMetrics: [{ scopeMetrics: 'x' }] }), 400, 'request.invalid');
      await refused(
        post(
          tampered((p) => {
            p.timeUnixNano = 'soon';
          }),
        ),
        400,
        'request.invalid',
      );
      await refused(
        post(
          tampered((p) => {
            p.asDouble = -5;
          }),
        ),
        400,
        'request.invalid',
      );
      await refused(
        post(
          tampered((p) => {
            delete p.asDouble;
          }),
        ),
        400,
        'request.invalid',
      );
    });

    it('protobuf or compressed bodies, saying sitrep takes http/json', async () => {
      const message = await refused(
        post('\x0a\x00', { type: 'application/x-protobuf' }),
        415,
        'request.media_type',
      );
      expect(message).toContain('http/json');
      await refused(post(good, { encoding: 'gzip' }), 415, 'request.media_type');
    });

    it('takes the same export once it is sound', async () => {
      const res = await post(good);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      const line = await lineOf(incident, tokens.responder.id);
      expect(line?.tokens).toMatchObject({ input: 700, output: 70 });
    });

    // Last: the server answers before reading it and closes that connection, which fetch would reuse.
    it('a body over the cap', async () => {
      const huge = JSON.stringify(good).replace('"claude-code"', `"${'x'.repeat(MAX_OTLP_BODY_BYTES)}"`);
      await refused(post(huge), 413, 'request.too_large');
    });
  });
});
