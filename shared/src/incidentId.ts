// An incident's id: in URLs, tokens' scopes, the log and exports. Its own module so the
// scenario (held in `meta`) can name the incident a drill replays.
import { z } from 'zod';

export const IncidentId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 characters of a-z, 0-9 and inner dashes');
export type IncidentId = z.infer<typeof IncidentId>;
