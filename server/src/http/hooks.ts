// `POST /hooks/claude-code`: Claude Code's HTTP hooks (`"type": "http"`). The body is the hook
// input a command hook reads on stdin, the answer the JSON it would print (hookProtocol.ts does
// both). Who is asking is the bearer token, never the body; the incident is the token's or
// `?incident=`; what a local hook keeps in ~/.sitrep is kept per token, incident and session in
// hook_sessions. Claude Code takes any non-2xx answer as a non-blocking error, so a refusal or a
// failure here never blocks the harness.
import { HOOK_EVENTS, REMOTE_PATHS, SitrepError } from '@sitrep/shared';
import { Hono } from 'hono';
import { type Authenticator, authorize } from '../auth/Authenticator.js';
import { type HookState, answerHook, isHookEvent, parseHookInput } from '../harness/hookProtocol.js';
import type { BriefOf } from '../room/incidentBrief.js';
import type { HookSessionKey } from '../store/HookSessions.js';
import type { Store } from '../store/Store.js';
import { type AppEnv, bearerAuth, harnessIncident, principalOf } from './auth.js';
import { limitBody } from './body.js';
import type { ApiDeps } from './incidents.js';

const HOOK_PATH = REMOTE_PATHS.claudeCodeHooks;

/** The largest hook input taken: a long prompt or last message fits, a runaway one does not. */
export const MAX_HOOK_BODY_BYTES = 1024 * 1024;

function storedState(store: Store, key: HookSessionKey): HookState {
  return {
    lastBrief: async () => (await store.hookSessions.find(key))?.briefSeq ?? undefined,
    saveBrief: (brief) => store.hookSessions.saveBrief(key, brief.seq),
    recordTurn: async () => {
      await store.hookSessions.recordTurn(key);
    },
  };
}

export function hookRoutes({
  store,
  auth,
  briefOf,
}: ApiDeps & { auth: Authenticator; briefOf: BriefOf }): Hono<AppEnv> {
  const hooks = new Hono<AppEnv>();
  hooks.use(HOOK_PATH, limitBody(MAX_HOOK_BODY_BYTES), bearerAuth(auth));
  hooks.post(HOOK_PATH, async (c) => {
    const principal = principalOf(c);
    const incidentId = await harnessIncident(c, auth);
    // Every event writes this token's session state; Stop records a turn.
    authorize(principal, 'responder', incidentId);
    const input = parseHookInput(await c.req.text());
    const event = input.hook_event_name ?? '';
    if (!isHookEvent(event))
      throw new SitrepError(
        'request.invalid',
        `unknown hook event "${event}" (one of ${HOOK_EVENTS.join(', ')})`,
      );
    if (!input.session_id) throw new SitrepError('request.invalid', 'the hook input has no session_id');
    const key = { tokenId: principal.tokenId, incidentId, sessionId: input.session_id };
    const answer = await answerHook(event, input, {
      state: storedState(store, key),
      brief: (q) => briefOf(incidentId, { ...q, reader: principal }),
    });
    return answer ? c.json(answer) : c.body(null, 204);
  });
  return hooks;
}
