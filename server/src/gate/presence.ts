// Presence (awareness) updates pass a gate of their own: each state must be a JSON object (or
// null, for leaving) of bounded size with no secret in it, since every client receives it.
import { SitrepError } from '@sitrep/shared';
import { firstSecret } from '@sitrep/shared/secrets';
import * as decoding from 'lib0/decoding';

/** The largest presence state one client may publish. */
export const MAX_PRESENCE_BYTES = 8 * 1024;

/** Resolves if every state in the awareness update may be relayed; rejects with the reason. */
export async function checkPresence(update: Uint8Array): Promise<void> {
  const states: unknown[] = [];
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(d); // client id
      decoding.readVarUint(d); // clock
      const json = decoding.readVarString(d);
      if (json.length > MAX_PRESENCE_BYTES) throw new SitrepError('gate.too_large', `a presence state is limited to ${MAX_PRESENCE_BYTES} bytes`);
      states.push(JSON.parse(json));
    }
    if (decoding.hasContent(d)) throw new SitrepError('protocol.malformed', 'trailing bytes after the awareness update');
  } catch (err) {
    throw err instanceof SitrepError ? err : new SitrepError('protocol.malformed', 'malformed awareness update');
  }
  for (const s of states) {
    if (s !== null && (typeof s !== 'object' || Array.isArray(s))) throw new SitrepError('gate.schema', 'a presence state must be a JSON object or null');
  }
  const leak = await firstSecret(states);
  if (leak) throw new SitrepError('gate.secret', `the presence state holds a secret (${leak.rule})`);
}
