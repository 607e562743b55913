// Access tokens: `sitrep_<id>_<secret>`. The id is a public lookup key; only a SHA-256 hash of
// the 256-bit random secret is stored (a slow hash adds nothing for secrets this random).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface MintedToken {
  id: string;
  token: string;
  secretHash: string;
}

const TOKEN = /^sitrep_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function mintToken(): MintedToken {
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `sitrep_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The token's id and secret, or null when it is not a sitrep token at all. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN.exec(token);
  return m?.[1] && m[2] ? { id: m[1], secret: m[2] } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
