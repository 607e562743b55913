// Presence (awareness) updates pass a gate of their own: each state must be a JSON object (or
// null, for leaving) of bounded size with no secret in it, keys included, since every client
// receives it. Which client ids a socket may set is the sync layer's rule (RoomChannel).
import { SitrepError } from '@sitrep/shared';
import { firstSecret } from '@sitrep/shared/secrets';
import * as decoding from 'lib0/decoding';

/** The largest presence state one client may publish, in UTF-8 bytes. */
export const MAX_PRESENCE_BYTES = 8 * 1024;

/** One presence in an awareness update: its client id, clock and state (null: leaving). */
export interface PresenceChange {
  client: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Resolves with the update's changes if every state may be relayed; rejects with the reason. */
export async function checkPresence(update: Uint8Array): Promise<PresenceChange[]> {
  const changes: { client: number; clock: number; state: unknown }[] = [];
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarUint8Array(d);
      if (json.byteLength > MAX_PRESENCE_BYTES) throw new SitrepError('gate.too_large', `a presence state is limited to ${MAX_PRESENCE_BYTES} bytes`);
      changes.push({ client, clock, state: JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')) });
    }
    if (decoding.hasContent(d)) throw new SitrepError('protocol.malformed', 'trailing bytes after the awareness update');
  } catch (err) {
    throw err instanceof SitrepError ? err : new SitrepError('protocol.malformed', 'malformed awareness update');
  }
  for (const { state } of changes) {
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new SitrepError('gate.schema', 'a presence state must be a JSON object or null');
  }
  const leak = await firstSecret(changes.map((c) => c.state));
  if (leak) throw new SitrepError('gate.secret', `the presence state holds a secret (${leak.rule})`);
  return changes as PresenceChange[];
}
