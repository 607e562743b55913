// Routes for incidents and their entries under /api.
import {
  AppendEntriesRequest,
  ArchiveRequest,
  ReceiptsQuery,
  IncidentListQuery,
  CreateIncident,
  type CreateIncidentResponse,
  EntryId,
  PrivateRequest,
  PurgeRequest,
  ReplayQuery,
  EntryQuery,
  type Entry,
  IncidentId,
  type IncidentSummary,
  type Role,
  SitrepError,
  UpdateIncident,
  completeEntry,
} from '@sitrep/shared';
import { type Context, Hono } from 'hono';
import { type Authenticator, type Principal, authorize } from '../auth/Authenticator.js';
import { replayIncident } from '../export/exportIncident.js';
import { jsonStream } from '../export/jsonChunks.js';
import { createIncident } from '../room/createIncident.js';
import type { IncidentPrivacy } from '../privacy/IncidentPrivacy.js';
import type { AppendedEntry } from '../room/IncidentRoom.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import type { CreatedIncident, Creator, Store } from '../store/Store.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, parse, query } from './body.js';

export interface ApiDeps {
  store: Store;
  rooms: RoomRegistry;
  /** The deployment's privacy policy and each incident's sanitizer settings. */
  privacy: IncidentPrivacy;
  /** Incidents one token (not an admin's) may create or import per hour. */
  incidentsPerHour: number;
}

/**
 * Who creates an incident (made or imported), under the hourly quota unless an admin. A private
 * incident's maker that is not an admin could not read it: it gets a commander token limited to
 * it, made in the incident's transaction and shown in the answer (`created`) only.
 */
export function creator(
  auth: Authenticator,
  p: Principal,
  perHour: number,
  audit: Omit<Creator['audit'], 'tokenId'>,
  isPrivate: boolean,
): { by: Creator; created(made: CreatedIncident): CreateIncidentResponse } {
  const keeper = isPrivate ? auth.keeperFor(p) : null;
  return {
    by: {
      audit: { ...audit, tokenId: p.tokenId },
      perHour: p.role === 'admin' ? null : perHour,
      keeper: keeper?.row,
    },
    created: ({ incident, keeper: summary }) => ({
      incident,
      ...(keeper && summary && { token: { token: keeper.token, summary } }),
    }),
  };
}

/**
 * Appends entries for a token: sanitized under the incident's settings (what the policy refuses is
 * gate.private), then through the room's write gate; answered once durable. The HTTP append and
 * `/mcp` both write so.
 */
export async function appendAs(
  { privacy, rooms }: Pick<ApiDeps, 'privacy' | 'rooms'>,
  principal: Principal,
  incidentId: string,
  entries: readonly Entry[],
): Promise<AppendedEntry[]> {
  const sanitized = await privacy.sanitizeEntries(incidentId, entries, principal.tokenId);
  const room = await rooms.open(incidentId);
  return room.appendEntries(sanitized.sealed ?? sanitized.entries, principal.role, principal.tokenId);
}

export type IncidentLookup = (c: Context<AppEnv>, need: Role) => Promise<IncidentSummary>;

/**
 * The incident named in the path, if the caller may read it and act on it with `need`; else 400,
 * 404 (one it may not read is not found, as one that does not exist) or 403.
 */
export function incidentLookup(auth: Authenticator): IncidentLookup {
  return async (c, need) => {
    const id = parse(IncidentId, c.req.param('id'), 'incident id');
    const incident = await auth.readable(principalOf(c), id);
    authorize(principalOf(c), need, id);
    return incident;
  };
}

export function incidentRoutes({
  store,
  rooms,
  privacy,
  auth,
  incidentOf,
  incidentsPerHour,
  onVisibilityChange,
}: ApiDeps & {
  auth: Authenticator;
  incidentOf: IncidentLookup;
  /** An incident's privacy changed: its sockets on this node are checked again. */
  onVisibilityChange(incidentId: string): void;
}): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/incidents', async (c) => {
    const q = query(c, IncidentListQuery);
    return c.json(await store.listIncidents({ ...q, reader: principalOf(c) }));
  });

  api.post('/incidents', async (c) => {
    const principal = principalOf(c);
    authorize(principal, 'responder');
    const input = await jsonBody(c, CreateIncident);
    if (input.private) authorize(principal, 'commander');
    // The title goes into the audit record once sanitized (createIncident).
    const audit = { action: 'incident.create', detail: {} } as const;
    const { by, created } = creator(auth, principal, incidentsPerHour, audit, input.private ?? false);
    return c.json(created(await createIncident(store, input, by, privacy.policy)), 201);
  });

  api.get('/incidents/:id', async (c) => c.json({ incident: await incidentOf(c, 'viewer') }));

  // A commander's change of the meta: one update the server encodes, through the gate, audited as
  // incident.meta; answered with the meta once durable, stamps included (shared/milestones.ts).
  api.patch('/incidents/:id', async (c) => {
    const incident = await incidentOf(c, 'commander');
    const principal = principalOf(c);
    const patch = await jsonBody(c, UpdateIncident);
    // The commander's name goes into every prompt and export: sanitized as an entry's text is.
    const commander =
      typeof patch.commander === 'string'
        ? await privacy.sanitizeText(incident.id, patch.commander, 'the commander')
        : patch.commander;
    const room = await rooms.open(incident.id);
    const meta = await room.updateMeta({ ...patch, commander }, principal.role, principal.tokenId);
    return c.json({ meta });
  });

  api.post('/incidents/:id/archive', async (c) => {
    const incident = await incidentOf(c, 'admin');
    const { archived } = await jsonBody(c, ArchiveRequest);
    const updated = await store.setArchived(incident.id, archived, principalOf(c).tokenId);
    if (!updated) throw new SitrepError('incident.not_found', `no incident ${incident.id}`);
    return c.json({ incident: updated });
  });

  // Who may read it (store/visibility.ts): an admin's change, audited, and the sockets on it on
  // every node checked again (those that may no longer read it are closed).
  api.post('/incidents/:id/private', async (c) => {
    const incident = await incidentOf(c, 'admin');
    const { private: isPrivate } = await jsonBody(c, PrivateRequest);
    const updated = await store.setPrivate(incident.id, isPrivate, principalOf(c).tokenId);
    if (!updated) throw new SitrepError('incident.not_found', `no incident ${incident.id}`);
    onVisibilityChange(incident.id);
    return c.json({ incident: updated });
  });

  api.post('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c, 'responder');
    const principal = principalOf(c);
    const { entries: drafts } = await jsonBody(c, AppendEntriesRequest);
    const now = new Date();
    // Secrets and private data are replaced before anything is stored (gate.private: refused).
    const entries = await appendAs(
      { privacy, rooms },
      principal,
      incident.id,
      drafts.map((d) => completeEntry(d, now)),
    );
    return c.json({ entries }, entries.some((e) => e.created) ? 201 : 200);
  });

  api.post('/incidents/:id/entries/:entryId/purge', async (c) => {
    const incident = await incidentOf(c, 'admin');
    const entryId = parse(EntryId, c.req.param('entryId'), 'entry id');
    const asked = await jsonBody(c, PurgeRequest);
    // The reason goes into the audit trail: sanitized as an entry is (it often names the leak).
    const reason = await privacy.sanitizeText(incident.id, asked.reason, 'the purge reason');
    const room = await rooms.open(incident.id);
    const result = await room.purgeEntry(entryId, { tokenId: principalOf(c).tokenId, reason });
    return c.json({ purged: entryId, ...result });
  });

  api.get('/incidents/:id/replay', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { at } = query(c, ReplayQuery);
    // Rebuilt and serialised in the document worker: a large incident takes seconds.
    return c.body(await replayIncident(store, incident, at), 200, { 'content-type': 'application/json' });
  });

  api.get('/incidents/:id/entries', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const filter = query(c, EntryQuery);
    // Up to 5,000 entries: serialised a chunk a task, not in one piece on the event loop.
    const body = jsonStream(await store.listEntries(incident.id, filter), 'entries');
    return c.body(body, 200, { 'content-type': 'application/json' });
  });

  api.get('/incidents/:id/receipts', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { after, limit } = query(c, ReceiptsQuery);
    return c.json(await store.receiptsAfter(incident.id, after, limit));
  });

  return api;
}
