// Roles and which document roots each may write. The gate enforces this table; `server` is the
// principal of writes the server makes itself (views, incident creation).
import { z } from 'zod';
import type { RootName } from './doc.js';

export const ROLES = ['viewer', 'responder', 'commander', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export type Writer = Role | 'server';

export const WRITABLE_ROOTS: Record<Writer, readonly RootName[]> = {
  viewer: [],
  responder: ['entries'],
  commander: ['entries', 'meta', 'curation'],
  admin: ['entries', 'meta', 'curation'],
  server: ['entries', 'meta', 'curation', 'view'],
};

export function mayWrite(writer: Writer, root: RootName): boolean {
  return WRITABLE_ROOTS[writer].includes(root);
}

/** Each role can do what the roles before it can. */
export function roleAtLeast(role: Role, need: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}

/**
 * The role a token acts with in an incident it may read: its own where it is not limited to an
 * incident or is limited to this one, a viewer's elsewhere (it reads other incidents, writes none).
 */
export function roleIn(token: { role: Role; incidentId: string | null }, incidentId: string): Role {
  return token.incidentId === null || token.incidentId === incidentId ? token.role : 'viewer';
}
