// Routes for incidents and their entries under /api.
import {
  AppendEntriesRequest,
  CreateIncident,
  EntryQuery,
  IncidentId,
  SitrepError,
  completeEntry,
} from '@sitrep/shared';
import { Hono } from 'hono';
import { createIncident } from '../room/createIncident.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import { jsonBody, parse, query } from './body.js';

export interface ApiDeps {
  store: Store;
  rooms: RoomRegistry;
}

export function incidentRoutes({ store, rooms }: ApiDeps): Hono {
  const api = new Hono();

  /** The incident named in the path, or a 404; a malformed id is a 400. */
  const incidentOf = async (raw: string | undefined) => {
    const id = parse(IncidentId, raw, 'incident id');
    const incident = await store.getIncident(id);
    if (!incident) throw new SitrepError('incident.not_found', `no incident ${id}`);
    return incident;
  };

  api.get('/incidents', async (c) => c.json({ incidents: await store.listIncidents() }));

  api.post('/incidents', async (c) => {
    const input = await jsonBody(c, CreateIncident);
    return c.json({ incident: await createIncident(store, input) }, 201);
  });

  api.get('/incidents/:id', async (c) => c.json({ incident: await incidentOf(c.req.param('id')) }));

  api.post('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c.req.param('id'));
    const { entries: drafts } = await jsonBody(c, AppendEntriesRequest);
    const now = new Date();
    const room = await rooms.open(incident.id);
    const entries = await room.appendEntries(
      drafts.map((d) => completeEntry(d, now)),
      'responder',
    );
    return c.json({ entries }, entries.some((e) => e.created) ? 201 : 200);
  });

  api.get('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c.req.param('id'));
    const filter = query(c, EntryQuery);
    return c.json({ entries: await store.listEntries(incident.id, filter) });
  });

  return api;
}
