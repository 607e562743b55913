// Typed placeholders stable within an incident: `[email-3f9a2c]` is the same address wherever
// it appears in that incident, and another address elsewhere. The tag is a keyed hash
// (HMAC-SHA256, first 6 hex digits) of the type and the normalized datum under the incident's
// key, so clients and the server agree without a stored map, and the datum cannot be read back
// without the key (see docs/sanitizer.md for what a key holder can still confirm).
import { createHmac, randomBytes } from 'node:crypto';
import type { PrivateType } from './dataTypes.js';

/** A new incident's sanitizer key: 32 random bytes, base64url. */
export const newIncidentKey = (): string => randomBytes(32).toString('base64url');

export function placeholder(type: PrivateType, normalized: string, key: string): string {
  const tag = createHmac('sha256', key).update(`${type}\u0000${normalized}`).digest('hex').slice(0, 6);
  return `[${type}-${tag}]`;
}

/** A placeholder this module wrote, anywhere in a text. */
export const PLACEHOLDER_PATTERN = /\[(?:email|phone|card|iban|ssn|nino)-[0-9a-f]{6}\]/g;
