// Claude Code's HTTP hooks against a real server: POST /hooks/claude-code with the hook JSON
// exactly as Claude Code sends it and the token in `Authorization`, as the settings' `headers`
// put it. The brief as additional context (the same as `sitrep hook` prints), what changed since
// this session's last brief, the turn recorded for the token, and every refusal changing nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SitrepError } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runHook } from '../../server/src/harness/hooks.js';
import { MAX_HOOK_BODY_BYTES } from '../../server/src/http/hooks.js';
import { makeEntry } from '../support/clients.js';
import { CWD, hookJson } from '../support/hookInput.js';
import { BACKENDS, type Fixture, harnessToken, startFixture } from '../support/server.js';

describe.each(BACKENDS)('Claude Code HTTP hooks (%s)', (backend) => {
  let f: Fixture;
  let incident: string;
  let other: string;
  const tokens: Record<'responder' | 'viewer' | 'scoped' | 'elsewhere', { token: string; id: string }> = {
    responder: { token: '', id: '' },
    viewer: { token: '', id: '' },
    scoped: { token: '', id: '' },
    elsewhere: { token: '', id: '' },
  };

  beforeAll(async () => {
    f = await startFixture(backend);
    incident = (await f.api.createIncident({ title: 'Checkout timeouts' })).incident.id;
    other = (await f.api.createIncident({ title: 'Search is slow' })).incident.id;
    const make = async (name: keyof typeof tokens, role: 'responder' | 'viewer', incidentId?: string) => {
      tokens[name] = await harnessToken(f.api, name, role, incidentId);
    };
    await make('responder', 'responder');
    await make('viewer', 'viewer');
    await make('scoped', 'responder', incident);
    await make('elsewhere', 'responder', other);
  });
  afterAll(() => f.close());

  const post = (body: unknown, opts: { token?: string | null; incident?: string | null } = {}) => {
    const inc = opts.incident === undefined ? incident : opts.incident;
    const token = opts.token === undefined ? tokens.responder.token : opts.token;
    return fetch(`${f.server.url}/hooks/claude-code${inc ? `?incident=${inc}` : ''}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token !== null && { authorization: `Bearer ${token}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };
  const contextOf = async (res: Response): Promise<string> => {
    expect(res.status).toBe(200);
    const json = (await res.json()) as { hookSpecificOutput: { additionalContext: string } };
    return json.hookSpecificOutput.additionalContext;
  };
  const session = (tokenId: string, sessionId: string, incidentId = incident) =>
    f.server.store.hookSessions.find({ tokenId, incidentId, sessionId });

  it('answers SessionStart with the brief as additional context, as `sitrep hook` prints it', async () => {
    const res = await post(hookJson.SessionStart('s-start'));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = await res.json();
    const state = await mkdtemp(join(tmpdir(), 'sitrep-hook-'));
    try {
      const local = await runHook('SessionStart', JSON.stringify(hookJson.SessionStart('s-local')), {
        env: {
          SITREP_URL: f.server.url,
          SITREP_TOKEN: tokens.responder.token,
          SITREP_INCIDENT: incident,
          SITREP_STATE_DIR: state,
        },
        cwd: state,
      });
      expect(local.code).toBe(0);
      expect(answer).toEqual(JSON.parse(local.stdout));
    } finally {
      await rm(state, { recursive: true, force: true });
    }
    expect(answer).toMatchObject({ hookSpecificOutput: { hookEventName: 'SessionStart' } });
    expect(JSON.stringify(answer)).toContain('Checkout timeouts');
  });

  it("tells a session's second prompt only what changed since its first, per session", async () => {
    await f.api.appendEntries(incident, {
      entries: [makeEntry('finding', { body: 'p99 latency at 9s since 14:02' })],
    });
    const first = await contextOf(await post(hookJson.UserPromptSubmit('s-a')));
    expect(first).toContain('# sitrep brief: Checkout timeouts');
    expect(first).not.toContain('New since your last brief');

    await f.api.appendEntries(incident, { entries: [makeEntry('finding', { body: 'db pool at 100/100' })] });
    const second = await contextOf(await post(hookJson.UserPromptSubmit('s-a', 'and now?')));
    const changes = second.slice(second.indexOf('New since your last brief'));
    expect(second).toContain('New since your last brief');
    expect(changes).toContain('db pool at 100/100');
    expect(changes).not.toContain('p99 latency at 9s');

    // Another session of the same token has had no brief yet: no "new since" for it.
    const otherSession = await contextOf(await post(hookJson.UserPromptSubmit('s-b')));
    expect(otherSession).toContain('# sitrep brief: Checkout timeouts');
    expect(otherSession).not.toContain('New since your last brief');
  });

  it('records the turn on Stop for the token that sent it, and says nothing', async () => {
    const res = await post(hookJson.Stop('s-turns'));
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    await post(hookJson.Stop('s-turns'));
    // A Stop sent again after a hook made Claude go on is the same turn.
    expect((await post(hookJson.Stop('s-turns', true))).status).toBe(204);
    const row = await session(tokens.responder.id, 's-turns');
    expect(row).toMatchObject({ tokenId: tokens.responder.id, incidentId: incident, turns: 2 });
    expect(row?.lastTurnAt).toBeInstanceOf(Date);
    // The author is the token, whatever the body claims.
    expect(
      await post({ ...hookJson.Stop('s-claim'), author: { id: 'mallory', name: 'Mallory' } }).then(
        (r) => r.status,
      ),
    ).toBe(204);
    expect(await session(tokens.responder.id, 's-claim')).toMatchObject({ turns: 1 });
  });

  it('takes the incident from a token limited to it, and refuses a token limited to another', async () => {
    expect(
      (await post(hookJson.Stop('s-scoped'), { token: tokens.scoped.token, incident: null })).status,
    ).toBe(204);
    expect(await session(tokens.scoped.id, 's-scoped')).toMatchObject({ turns: 1 });

    const res = await post(hookJson.Stop('s-elsewhere'), { token: tokens.elsewhere.token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.forbidden');
    expect(await session(tokens.elsewhere.id, 's-elsewhere')).toBeNull();
    const prompt = await post(hookJson.UserPromptSubmit('s-elsewhere'), { token: tokens.elsewhere.token });
    expect(prompt.status).toBe(403);
    expect(await session(tokens.elsewhere.id, 's-elsewhere')).toBeNull();
  });

  it('refuses a viewer token: it cannot write', async () => {
    for (const body of [hookJson.Stop('s-viewer'), hookJson.UserPromptSubmit('s-viewer')]) {
      const res = await post(body, { token: tokens.viewer.token });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.forbidden');
    }
    expect(await session(tokens.viewer.id, 's-viewer')).toBeNull();
  });

  it('answers a failure inside with a non-2xx JSON error, which Claude Code does not block on', async () => {
    const down = vi
      .spyOn(f.server.store.hookSessions, 'find')
      .mockRejectedValue(new SitrepError('storage.unavailable', 'the database does not answer'));
    const broken = vi.spyOn(f.server.store.hookSessions, 'recordTurn').mockRejectedValue(new Error('boom'));
    try {
      const prompt = await post(hookJson.UserPromptSubmit('s-down'));
      expect(prompt.status).toBe(503);
      expect(await prompt.json()).toMatchObject({ error: { code: 'storage.unavailable' } });
      const stop = await post(hookJson.Stop('s-down'));
      expect(stop.status).toBe(500);
      expect(await stop.json()).toMatchObject({ error: { code: 'internal' } });
    } finally {
      down.mockRestore();
      broken.mockRestore();
    }
  });

  it('answers 401 with WWW-Authenticate without a usable token', async () => {
    for (const token of [null, 'st_nope.nope', tokens.responder.token.slice(0, -2)]) {
      const res = await post(hookJson.Stop('s-anon'), { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('refuses bad bodies with a 4xx JSON error and stores nothing', async () => {
    const noIncident = await post(hookJson.Stop('s-bad'), { incident: null });
    expect(noIncident.status).toBe(400);
    const unknown = await post(hookJson.Stop('s-bad'), { incident: 'no-such-incident' });
    expect(unknown.status).toBe(404);
    expect((await post(hookJson.Stop('s-bad'), { incident: 'Not An Id' })).status).toBe(400);
    const bad: [string, unknown, number, string][] = [
      ['not JSON', '{"session_id": "s-bad", "hook_event_name": "Stop"', 400, 'request.malformed_json'],
      ['unknown event', { ...hookJson.Stop('s-bad'), hook_event_name: 'PreToolUse' }, 400, 'request.invalid'],
      ['no event', { session_id: 's-bad', cwd: CWD }, 400, 'request.invalid'],
      ['no session', { ...hookJson.Stop('s-bad'), session_id: undefined }, 400, 'request.invalid'],
      ['wrong types', { ...hookJson.Stop('s-bad'), stop_hook_active: 'yes' }, 400, 'request.invalid'],
      ['an array', [hookJson.Stop('s-bad')], 400, 'request.invalid'],
      [
        'huge',
        { ...hookJson.Stop('s-bad'), last_assistant_message: 'x'.repeat(MAX_HOOK_BODY_BYTES + 1) },
        413,
        'request.too_large',
      ],
    ];
    // The huge one is last: the server answers before reading it and closes that connection.
    for (const [what, body, status, code] of bad) {
      const res = await post(body);
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe(code);
    }
    expect(await session(tokens.responder.id, 's-bad')).toBeNull();

    expect(await session(tokens.responder.id, 's-bad')).toBeNull();
  });
});
