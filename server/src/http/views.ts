// Routes for an incident's derived views under /api: the `view` root, the brief for harnesses, the summarizer's pause
// switch (the commander's andon cord) and the record of LLM runs.
import {
  BriefQuery,
  type BriefResponse,
  type IncidentViewResponse,
  SummariesQuery,
  SummarizerControl,
  readView,
} from '@sitrep/shared';
import { Hono } from 'hono';
import type { BriefOf } from '../room/incidentBrief.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import type { Summarizer } from '../summarizer/Summarizer.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, query } from './body.js';
import type { ApiDeps, IncidentLookup } from './incidents.js';

/** An incident's `view` root as GET /api/incidents/:id/view answers it (and the MCP resource). */
export async function incidentView(rooms: RoomRegistry, incidentId: string): Promise<IncidentViewResponse> {
  const room = await rooms.open(incidentId);
  return {
    seq: room.seq,
    rules: readView(room.doc, 'rules'),
    timeline: readView(room.doc, 'timeline'),
    commander: readView(room.doc, 'commander'),
    summarizer: readView(room.doc, 'summarizer'),
  };
}

export function viewRoutes({
  store,
  rooms,
  summarizer,
  incidentOf,
  briefOf,
}: ApiDeps & { summarizer: Summarizer; incidentOf: IncidentLookup; briefOf: BriefOf }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents/:id/view', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    return c.json(await incidentView(rooms, incident.id));
  });

  api.get('/incidents/:id/brief', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { since, maxTokens } = query(c, BriefQuery);
    const body: BriefResponse = await briefOf(incident.id, {
      since,
      maxTokens,
      reader: principalOf(c),
    });
    return c.json(body);
  });

  api.post('/incidents/:id/summarizer', async (c) => {
    const incident = await incidentOf(c, 'commander');
    const { paused } = await jsonBody(c, SummarizerControl);
    await summarizer.setPaused(incident.id, paused);
    await store.audit.record({
      action: 'summarizer',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { paused },
    });
    return c.json({ paused });
  });

  api.get('/incidents/:id/summaries', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { limit } = query(c, SummariesQuery);
    return c.json({ summaries: await store.summaries.list(incident.id, limit) });
  });

  return api;
}
