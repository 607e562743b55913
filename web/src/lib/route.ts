// Hash routes: `#/` is the incident list, `#/incidents/<id>` an incident.
import { IncidentId } from '@sitrep/shared';

export type Route = { page: 'list' } | { page: 'incident'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/incidents\/([^/?#]+)/.exec(hash);
  const id = m?.[1] ? decodeURIComponent(m[1]) : null;
  return id && IncidentId.safeParse(id).success ? { page: 'incident', id } : { page: 'list' };
}

export const incidentHref = (id: string) => `#/incidents/${encodeURIComponent(id)}`;
