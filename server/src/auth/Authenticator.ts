// Who is calling, and may they: verifies tokens against the store, checks role and incident
// scope, makes and revokes tokens, and creates the bootstrap admin token on first start.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CreateTokenRequest, type Role, SitrepError, type TokenSummary, roleAtLeast } from '@sitrep/shared';
import type { Store } from '../store/Store.js';
import { toTokenSummary } from '../store/TokenStore.js';
import { mintToken, parseToken, secretMatches } from './tokens.js';

export interface Principal {
  tokenId: string;
  role: Role;
  /** The one incident this token may touch, or null for all. */
  incidentId: string | null;
}

/** The file, in the data directory, that holds the bootstrap admin token (mode 0600). */
export const ADMIN_TOKEN_FILE = 'admin-token';

export class Authenticator {
  constructor(private readonly store: Store) {}

  async authenticate(raw: string | null | undefined): Promise<Principal> {
    if (!raw) throw new SitrepError('auth.missing', 'a token is required: Authorization: Bearer <token>, or ?token= on the websocket');
    const parsed = parseToken(raw);
    const row = parsed ? await this.store.tokens.find(parsed.id) : null;
    const why = !parsed || !row || !secretMatches(parsed.secret, row.secretHash)
      ? 'unknown token'
      : row.revokedAt
        ? 'revoked token'
        : row.expiresAt && row.expiresAt.getTime() <= Date.now()
          ? 'expired token'
          : null;
    if (why || !row) {
      await this.store.audit.record({ action: 'auth.fail', tokenId: row?.id ?? null, detail: { reason: why } });
      throw new SitrepError('auth.invalid', `the token is not valid (${why})`);
    }
    return { tokenId: row.id, role: row.role as Role, incidentId: row.incidentId };
  }

  async create(req: CreateTokenRequest, by: Principal | null): Promise<{ token: string; summary: TokenSummary }> {
    const minted = mintToken();
    const row = await this.store.tokens.create({
      id: minted.id,
      secretHash: minted.secretHash,
      role: req.role,
      incidentId: req.incidentId ?? null,
      label: req.label,
      expiresAt: req.expiresIn ? new Date(Date.now() + req.expiresIn * 1000) : null,
    });
    const summary = toTokenSummary(row);
    await this.store.audit.record({
      action: 'token.create',
      incidentId: summary.incidentId,
      tokenId: by?.tokenId ?? null,
      detail: { id: summary.id, role: summary.role, label: summary.label },
    });
    return { token: minted.token, summary };
  }

  async revoke(id: string, by: Principal): Promise<void> {
    if (!(await this.store.tokens.revoke(id))) throw new SitrepError('token.not_found', `no live token ${id}`);
    await this.store.audit.record({ action: 'token.revoke', tokenId: by.tokenId, detail: { id } });
  }

  /** On a store with no tokens at all, makes an admin token and writes it to the data dir. */
  async bootstrap(dataDir: string): Promise<{ token: string; file: string } | null> {
    if ((await this.store.tokens.countAll()) > 0) return null;
    const { token } = await this.create({ role: 'admin', label: 'bootstrap admin' }, null);
    await mkdir(dataDir, { recursive: true });
    const file = join(dataDir, ADMIN_TOKEN_FILE);
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return { token, file };
  }
}

/** Throws unless the principal has at least `need` and, when given, may touch this incident. */
export function authorize(p: Principal, need: Role, incidentId?: string | null): void {
  if (!roleAtLeast(p.role, need)) throw new SitrepError('auth.forbidden', `this needs the ${need} role; the token is a ${p.role}`);
  if (p.incidentId !== null && incidentId !== p.incidentId) {
    throw new SitrepError('auth.forbidden', incidentId ? `the token is limited to incident ${p.incidentId}` : 'the token is limited to one incident');
  }
}
