// Presence: what a connected client puts in its awareness state. The server relays any JSON
// object (stock clients add their own fields); sitrep readers take these fields when present.
// It is never stored (nothing presence-derived goes into the document); its text is storable text
// all the same, as readers show it beside what is.
import { z } from 'zod';
import { ActorKind } from './entry.js';
import { Role } from './role.js';
import { storableString } from './storable.js';

export const Presence = z.looseObject({
  name: storableString().min(1).max(128),
  /** Set by the server from the socket's token, whatever the client says. */
  kind: ActorKind.default('human'),
  /** Set by the server from the socket's token, whatever the client says. */
  role: Role.optional(),
  /** What the client is looking at: an entry id (a theory, a gap) or a few words. */
  focus: storableString().max(200).optional(),
  /** The author id the client writes entries under, so presence and entries meet. */
  authorId: storableString().max(128).optional(),
});
export type Presence = z.infer<typeof Presence>;

/** The sitrep presences among awareness states, skipping states that are not ours. */
export function readPresence(states: Iterable<unknown>): Presence[] {
  const out: Presence[] = [];
  for (const state of states) {
    const parsed = Presence.safeParse(state);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/**
 * Whose a presence is: its `authorId`, else the author with its name, else `presence:<name>`.
 * The dashboard's people list joins presence to entries by it.
 */
export function presenceKey(p: Presence, authorIdByName: (name: string) => string | undefined): string {
  return p.authorId ?? authorIdByName(p.name) ?? `presence:${p.name}`;
}
