// An incident's brief for a harness, made on this node for one reader: the live document's state,
// what landed in the log since the reader's last brief, and past incidents like it that the
// reader may see. Served at /api/incidents/:id/brief and to remote hooks (/hooks/claude-code).
import {
  type BriefResponse,
  RelatedQuery,
  SitrepError,
  briefChangesLimit,
  buildBrief,
  readEntries,
  readMeta,
  readView,
  renderBrief,
} from '@sitrep/shared';
import type { Logger } from 'pino';
import type { IncidentMemory } from '../memory/IncidentMemory.js';
import type { Store } from '../store/Store.js';
import type { Reader } from '../store/visibility.js';
import type { RoomRegistry } from './RoomRegistry.js';

export interface BriefDeps {
  store: Store;
  rooms: RoomRegistry;
  memory: IncidentMemory;
  log: Logger;
}

export interface BriefRequest {
  since?: number | string | undefined;
  maxTokens: number;
  reader: Reader;
}

/** The brief of one incident for one reader, its dependencies given (http/app.ts makes it once). */
export type BriefOf = (incidentId: string, request: BriefRequest) => Promise<BriefResponse>;

export async function incidentBrief(
  { store, rooms, memory, log }: BriefDeps,
  incidentId: string,
  { since, maxTokens, reader }: BriefRequest,
): Promise<BriefResponse> {
  const room = await rooms.open(incidentId);
  const meta = readMeta(room.doc);
  if (!meta) throw new SitrepError('incident.not_found', `incident ${incidentId} has no meta yet`);
  // New since the last brief: what landed in the log after it, whatever the entries' ids say.
  // An entry id (a client from before `seq`) stands for the position where it landed. The
  // position is taken before the log is asked: an entry landing meanwhile is told twice, never
  // missed.
  const seq = room.seq;
  const entries = readEntries(room.doc);
  const after =
    since === undefined ? null : typeof since === 'number' ? since : await store.entrySeq(incidentId, since);
  // "Seen before" is read with this reader's own visibility, per request: other incidents' text
  // goes into this answer only, never into the document or its views, which every reader gets.
  // It is extra: a brief whose memory cannot be read (the database away) comes without it.
  const [landed, related] = await Promise.all([
    after === null ? null : store.newestAfter(incidentId, after, briefChangesLimit(maxTokens)),
    // The room's entries are the incident as committed: "seen before" need not read them again.
    memory
      .related(incidentId, RelatedQuery.parse({}), reader, {
        title: meta.title,
        scenario: meta.scenario,
        entries,
        seq,
      })
      .catch((err: unknown) => {
        log.warn({ err, incident: incidentId }, 'the brief goes without "seen before"');
        return undefined;
      }),
  ]);
  const brief = buildBrief({
    id: incidentId,
    meta,
    entries,
    commander: readView(room.doc, 'commander'),
    rules: readView(room.doc, 'rules'),
    seq,
    landed: landed?.newest ?? null,
    landedTotal: landed?.total ?? 0,
    related,
    maxTokens,
  });
  return { brief, markdown: renderBrief(brief) };
}
