// `POST /api/drills`: a drill from a scenario file's text, a scenario's fields, or one of our
// incidents replayed (room/createDrill.ts). The answer carries the past incidents like it that
// the creator's token may read, found per request and never written into the drill.
import {
  CreateDrill,
  type CreateDrillResponse,
  type RelatedIncident,
  RelatedQuery,
  type Scenario,
  SitrepError,
  parseScenario,
} from '@sitrep/shared';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { type Authenticator, type Principal, authorOf, authorize } from '../auth/Authenticator.js';
import type { IncidentMemory } from '../memory/IncidentMemory.js';
import { relatedOf } from '../room/roomRelated.js';
import { checkSameDrill, createDrill, drillIdFor, fingerprinted, replayOf } from '../room/createDrill.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody } from './body.js';
import { type ApiDeps, creator } from './incidents.js';

export function drillRoutes(
  deps: ApiDeps & { auth: Authenticator; memory: IncidentMemory; log: Logger },
): Hono<AppEnv> {
  const { auth, rooms, store, privacy, incidentsPerHour } = deps;
  const api = new Hono<AppEnv>();

  /** The drill's related past incidents for this reader; a drill whose memory cannot be read has none. */
  const related = (id: string, p: Principal): Promise<RelatedIncident[]> =>
    relatedOf({ memory: deps.memory, rooms }, { id, kind: 'drill' }, RelatedQuery.parse({}), p).catch(
      (err: unknown) => {
        deps.log.warn({ err, incident: id }, 'a new drill is answered without related incidents');
        return [];
      },
    );

  api.post('/drills', async (c) => {
    const principal = principalOf(c);
    authorize(principal, 'responder');
    const input = await jsonBody(c, CreateDrill);
    let scenario: Scenario;
    let isPrivate = input.private ?? false;
    let id: string | undefined;
    if (input.fromIncident !== undefined) {
      // Replaying needs reading it; a replay of a private incident is private.
      const source = await auth.readable(principal, input.fromIncident);
      isPrivate ||= source.private;
      scenario = await replayOf(rooms, source.id);
    } else {
      scenario = await fingerprinted(input.fields ?? parseScenario(input.scenario ?? ''), privacy.policy);
      // A private drill is found again only by the token that made it (drillIdFor).
      id = await drillIdFor(scenario, privacy.policy, isPrivate ? (principal.tokenId ?? 'root') : undefined);
      const answer = await existing(principal, id, scenario);
      if (answer) return c.json(answer, 200);
    }
    if (isPrivate) authorize(principal, 'commander');
    const audit = { action: 'incident.create', detail: { drill: scenario.fingerprint } } as const;
    const { by, created } = creator(auth, principal, incidentsPerHour, audit, isPrivate);
    const request = {
      scenario,
      ...(id && { id }),
      severity: input.severity,
      commander: input.commander,
      private: isPrivate,
      author: authorOf(principal),
    };
    let made: Awaited<ReturnType<typeof createDrill>>;
    try {
      made = await createDrill(store, request, by, privacy.policy);
    } catch (err) {
      // The same scenario sent twice at once: the second finds the first's drill.
      const answer =
        id &&
        err instanceof SitrepError &&
        err.code === 'incident.exists' &&
        (await existing(principal, id, scenario));
      if (answer) return c.json(answer, 200);
      throw err;
    }
    const body: CreateDrillResponse = {
      ...created(made),
      created: true,
      related: await related(made.incident.id, principal),
    };
    return c.json(body, 201);
  });

  /** The answer for a scenario whose drill exists, or null when there is no incident `id`. */
  async function existing(p: Principal, id: string, scenario: Scenario): Promise<CreateDrillResponse | null> {
    if (!(await store.getIncident(id))) return null;
    // One this token may not read (it lost access since) is not found: say only that the id is taken.
    const incident = await auth.readable(p, id).catch(() => {
      throw new SitrepError('incident.exists', `incident ${id} exists`);
    });
    await checkSameDrill(rooms, id, scenario);
    return { incident, created: false, related: await related(id, p) };
  }

  return api;
}
