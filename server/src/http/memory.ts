// Routes of incident memory under /api: search across incidents and "seen before". Answered per
// request for the reader's token, limited in the store's queries to what it may read; "seen
// before" reads the incident from its room when this node holds it (roomRelated.ts).
import { RelatedQuery, type RelatedResponse, SearchQuery, type SearchResponse } from '@sitrep/shared';
import { Hono } from 'hono';
import type { IncidentMemory } from '../memory/IncidentMemory.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import { relatedOf } from '../room/roomRelated.js';
import { type AppEnv, principalOf } from './auth.js';
import { query } from './body.js';
import type { IncidentLookup } from './incidents.js';

export function memoryRoutes({
  memory,
  rooms,
  incidentOf,
}: {
  memory: IncidentMemory;
  rooms: RoomRegistry;
  incidentOf: IncidentLookup;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/search', async (c) => {
    const q = query(c, SearchQuery);
    const body: SearchResponse = { results: await memory.search(q, principalOf(c)) };
    return c.json(body);
  });

  api.get('/incidents/:id/related', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const q = query(c, RelatedQuery);
    const body: RelatedResponse = {
      related: await relatedOf({ memory, rooms }, incident, q, principalOf(c)),
    };
    return c.json(body);
  });

  return api;
}
