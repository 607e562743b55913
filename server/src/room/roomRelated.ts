// "Seen before" asked of an incident this node may hold loaded: its room is the incident as
// committed here, so its title and entries are taken from the document instead of being read
// again from the database. The brief, the related route and the MCP tool all ask through here.
// A drill is about its scenario, which only its `meta` holds: its room is opened for it.
import {
  type IncidentSummary,
  type RelatedIncident,
  type RelatedQuery,
  readEntries,
  readMeta,
} from '@sitrep/shared';
import type { IncidentMemory, RelatedSource } from '../memory/IncidentMemory.js';
import type { Reader } from '../store/visibility.js';
import type { IncidentRoom } from './IncidentRoom.js';
import type { RoomRegistry } from './RoomRegistry.js';

/** The room's incident as "seen before" looks for it; none before its meta is written. */
export function roomSource(room: IncidentRoom): RelatedSource | undefined {
  const meta = readMeta(room.doc);
  return meta
    ? { title: meta.title, scenario: meta.scenario, entries: readEntries(room.doc), seq: room.seq }
    : undefined;
}

/**
 * Past incidents like `incident` for `reader` (the caller has checked it may read it), from its
 * room when this node has it loaded, else from the store. Loads a room only for a drill.
 */
export async function relatedOf(
  { memory, rooms }: { memory: IncidentMemory; rooms: RoomRegistry },
  incident: Pick<IncidentSummary, 'id' | 'kind'>,
  q: RelatedQuery,
  reader: Reader,
): Promise<RelatedIncident[]> {
  const room = incident.kind === 'drill' ? await rooms.open(incident.id) : rooms.loadedRoom(incident.id);
  return memory.related(incident.id, q, reader, room && roomSource(room));
}
