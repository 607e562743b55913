// Routes for incidents and their entries under /api.
import {
  AppendEntriesRequest,
  CreateIncident,
  EntryId,
  PurgeRequest,
  ReplayQuery,
  metaMap,
  readEntries,
  EntryQuery,
  IncidentId,
  type IncidentSummary,
  type Role,
  SitrepError,
  completeEntry,
} from '@sitrep/shared';
import { type Context, Hono } from 'hono';
import { authorize } from '../auth/Authenticator.js';
import { createIncident } from '../room/createIncident.js';
import { documentAt } from '../room/IncidentRoom.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, parse, query } from './body.js';

export interface ApiDeps {
  store: Store;
  rooms: RoomRegistry;
}

export type IncidentLookup = (c: Context<AppEnv>, need: Role) => Promise<IncidentSummary>;

/** The incident named in the path, if the caller may act on it with `need`; else 400/403/404. */
export function incidentLookup(store: Store): IncidentLookup {
  return async (c, need) => {
    const id = parse(IncidentId, c.req.param('id'), 'incident id');
    authorize(principalOf(c), need, id);
    const incident = await store.getIncident(id);
    if (!incident) throw new SitrepError('incident.not_found', `no incident ${id}`);
    return incident;
  };
}

export function incidentRoutes({ store, rooms, incidentOf }: ApiDeps & { incidentOf: IncidentLookup }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents', async (c) => {
    const { incidentId } = principalOf(c);
    const all = await store.listIncidents();
    return c.json({ incidents: incidentId === null ? all : all.filter((i) => i.id === incidentId) });
  });

  api.post('/incidents', async (c) => {
    const principal = principalOf(c);
    authorize(principal, 'responder');
    const input = await jsonBody(c, CreateIncident);
    const incident = await createIncident(store, input);
    await store.audit.record({ action: 'incident.create', incidentId: incident.id, tokenId: principal.tokenId, detail: { title: incident.title } });
    return c.json({ incident }, 201);
  });

  api.get('/incidents/:id', async (c) => c.json({ incident: await incidentOf(c, 'viewer') }));

  api.post('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c, 'responder');
    const principal = principalOf(c);
    const { entries: drafts } = await jsonBody(c, AppendEntriesRequest);
    const now = new Date();
    const room = await rooms.open(incident.id);
    const entries = await room.appendEntries(
      drafts.map((d) => completeEntry(d, now)),
      principal.role,
      principal.tokenId,
    );
    return c.json({ entries }, entries.some((e) => e.created) ? 201 : 200);
  });

  api.post('/incidents/:id/entries/:entryId/purge', async (c) => {
    const incident = await incidentOf(c, 'admin');
    const entryId = parse(EntryId, c.req.param('entryId'), 'entry id');
    const { reason } = await jsonBody(c, PurgeRequest);
    const room = await rooms.open(incident.id);
    const result = await room.purgeEntry(entryId, { tokenId: principalOf(c).tokenId, reason });
    return c.json({ purged: entryId, ...result });
  });

  api.get('/incidents/:id/replay', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { at } = query(c, ReplayQuery);
    const seq = typeof at === 'number' ? Math.min(at, incident.lastSeq) : await store.seqAt(incident.id, new Date(at));
    const { doc } = await documentAt(store, incident.id, seq);
    const body = { seq, meta: metaMap(doc).toJSON(), entries: readEntries(doc) };
    doc.destroy();
    return c.json(body);
  });

  api.get('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const filter = query(c, EntryQuery);
    return c.json({ entries: await store.listEntries(incident.id, filter) });
  });

  return api;
}
