// Presence (awareness) updates pass a gate of their own: each state must be a JSON object (or
// null, for leaving) of bounded size with no secret and no private data the policy does not allow
// in it, keys included, since every client receives it. The server stamps each state with the
// role and kind of the token that set it, so nobody shows as what they are not. Which client ids
// a socket may set is PresenceOwners'. The awareness update format is y-protocols'; this is its
// one home here.
import { type ActorKind, type Role, SitrepError } from '@sitrep/shared';
import type { PrivacyPolicy } from '@sitrep/shared/sanitizer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { refuseContent } from './refusals.js';

/** The largest presence state one client may publish, in UTF-8 bytes. */
export const MAX_PRESENCE_BYTES = 8 * 1024;

/** One presence in an awareness update: its client id, clock and state (null: leaving). */
export interface PresenceChange {
  client: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** The changes of an awareness update; throws protocol.malformed, gate.too_large or gate.schema. */
export function decodePresence(update: Uint8Array): PresenceChange[] {
  const changes: { client: number; clock: number; state: unknown }[] = [];
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarUint8Array(d);
      if (json.byteLength > MAX_PRESENCE_BYTES)
        throw new SitrepError('gate.too_large', `a presence state is limited to ${MAX_PRESENCE_BYTES} bytes`);
      changes.push({
        client,
        clock,
        state: JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')),
      });
    }
    if (decoding.hasContent(d))
      throw new SitrepError('protocol.malformed', 'trailing bytes after the awareness update');
  } catch (err) {
    throw err instanceof SitrepError
      ? err
      : new SitrepError('protocol.malformed', 'malformed awareness update');
  }
  for (const { state } of changes) {
    if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
      throw new SitrepError('gate.schema', 'a presence state must be a JSON object or null');
  }
  return changes as PresenceChange[];
}

/** Resolves if no state holds what the gate refuses under `policy`; rejects with its refusal otherwise. */
export function scanPresence(changes: readonly PresenceChange[], policy: PrivacyPolicy): Promise<void> {
  return refuseContent(
    changes.map((c) => c.state),
    'presence',
    policy,
  );
}

/** The changes with each state's `role` and `kind` set to the token's. */
export function stampPresence(
  changes: readonly PresenceChange[],
  who: { role: Role; kind: ActorKind },
): PresenceChange[] {
  return changes.map((c) =>
    c.state === null ? c : { ...c, state: { ...c.state, role: who.role, kind: who.kind } },
  );
}

/** The awareness update that carries these changes, as y-protocols encodes one. */
export function encodePresence(changes: readonly PresenceChange[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, changes.length);
  for (const { client, clock, state } of changes) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
}
