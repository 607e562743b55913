// Who is calling, and may they: verifies tokens against the store, checks role and incident
// scope, makes and revokes tokens, and creates the bootstrap admin token on first start.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActorKind,
  type Author,
  type CreateTokenRequest,
  type IncidentSummary,
  type Role,
  SitrepError,
  type TokenSummary,
  roleAtLeast,
  roleIn,
} from '@sitrep/shared';
import { ADMIN_TOKEN_FILE } from '@sitrep/shared/node';
import type { Store } from '../store/Store.js';
import { isStorageOutage } from '../store/faults.js';
import { readsEverything } from '../store/visibility.js';
import { type NewToken, toTokenSummary, tokenCreated } from '../store/TokenStore.js';
import { mintToken, parseToken, secretMatches } from './tokens.js';

export interface Principal {
  tokenId: string;
  /** What its maker called it ("priya's laptop"): the dashboard names its reader by it. */
  label: string;
  /** Whom a connected harness's token is for ("Priya"), sanitized; null for other tokens. */
  name: string | null;
  role: Role;
  /** Whom the token is for; presence on its sockets says this. */
  kind: ActorKind;
  /** The one incident this token may write, or null for all. */
  incidentId: string | null;
  /** Reads only its own incident too (store/visibility.ts). */
  isolated: boolean;
  /** When the token stops working: an open socket is closed then. */
  expiresAt: Date | null;
}

/**
 * How long a verified token is trusted without asking the database again. A revocation on any
 * node drops it at once (NOTIFY); this bounds a revocation a node did not hear of.
 */
const FRESH_MS = 30_000;
/** At most this many answers of `readable` kept for an outage. */
const MAX_READABLE_KEPT = 10_000;
/** How long a verified token keeps working while the database cannot be asked at all. */
const STALE_MS = 15 * 60_000;

export class Authenticator {
  /** Verified tokens: reads and reconnects go on through a database outage. */
  private readonly verified = new Map<
    string,
    { principal: Principal; secretHash: string; expiresAt: Date | null; at: number }
  >();

  /**
   * The last answer of `readable` per token and incident (oldest dropped past MAX_READABLE_KEPT):
   * used only while the database is away, so reads of a loaded incident go on from memory.
   */
  private readonly lastReadable = new Map<string, IncidentSummary | null>();

  constructor(private readonly store: Store) {}

  async authenticate(raw: string | null | undefined): Promise<Principal> {
    if (!raw)
      throw new SitrepError(
        'auth.missing',
        'a token is required: Authorization: Bearer <token>, or ?token= on the websocket',
      );
    const parsed = parseToken(raw);
    const cached = parsed ? this.verified.get(parsed.id) : undefined;
    const usable =
      cached &&
      parsed &&
      secretMatches(parsed.secret, cached.secretHash) &&
      (cached.expiresAt?.getTime() ?? Infinity) > Date.now();
    if (usable && Date.now() - cached.at < FRESH_MS) return cached.principal;
    let row: Awaited<ReturnType<Store['tokens']['find']>> = null;
    try {
      row = parsed ? await this.store.tokens.find(parsed.id) : null;
    } catch (err) {
      if (usable && Date.now() - cached.at < STALE_MS && isStorageOutage(err)) return cached.principal;
      throw err;
    }
    const why =
      !parsed || !row || !secretMatches(parsed.secret, row.secretHash)
        ? 'unknown token'
        : row.revokedAt
          ? 'revoked token'
          : row.expiresAt && row.expiresAt.getTime() <= Date.now()
            ? 'expired token'
            : null;
    if (why || !row) {
      if (parsed) this.verified.delete(parsed.id);
      await this.store.audit.recordRepeatable(why ?? 'unknown token', {
        action: 'auth.fail',
        tokenId: row?.id ?? null,
        detail: { reason: why },
      });
      throw new SitrepError('auth.invalid', `the token is not valid (${why})`);
    }
    const principal: Principal = {
      tokenId: row.id,
      label: row.label,
      name: row.name,
      role: row.role as Role,
      kind: row.kind as ActorKind,
      incidentId: row.incidentId,
      isolated: row.isolated,
      expiresAt: row.expiresAt,
    };
    this.verified.set(row.id, {
      principal,
      secretHash: row.secretHash,
      expiresAt: row.expiresAt,
      at: Date.now(),
    });
    return principal;
  }

  /** Makes a token; `name` (connect.ts: whom a harness's token is for) comes sanitized. */
  async create(
    req: CreateTokenRequest & { name?: string },
    by: Principal | null,
  ): Promise<{ token: string; summary: TokenSummary }> {
    const minted = mintToken();
    const row = await this.store.tokens.create({
      id: minted.id,
      secretHash: minted.secretHash,
      role: req.role,
      kind: req.kind ?? 'human',
      incidentId: req.incidentId ?? null,
      isolated: req.isolated ?? false,
      label: req.label,
      name: req.name ?? null,
      expiresAt: req.expiresIn ? new Date(Date.now() + req.expiresIn * 1000) : null,
    });
    const summary = toTokenSummary(row);
    await this.store.audit.record({
      action: 'token.create',
      incidentId: summary.incidentId,
      tokenId: by?.tokenId ?? null,
      detail: tokenCreated(row),
    });
    return { token: minted.token, summary };
  }

  /**
   * A commander token limited to an incident `p` is about to make private, for `p` to keep
   * reading it (its own token cannot): written with the incident, in its transaction
   * (`Creator.keeper`), with `p`'s kind and expiry. Null for an admin, who reads it anyway.
   */
  keeperFor(p: Principal): { token: string; row: Omit<NewToken, 'incidentId'> } | null {
    if (readsEverything(p)) return null;
    const minted = mintToken();
    return {
      token: minted.token,
      row: {
        id: minted.id,
        secretHash: minted.secretHash,
        role: 'commander',
        kind: p.kind,
        label: `${p.label.slice(0, 100)} (private incident)`,
        expiresAt: p.expiresAt,
      },
    };
  }

  async revoke(id: string, by: Principal): Promise<void> {
    this.verified.delete(id);
    const revoked = await this.store.tokens.revoke(id);
    if (!revoked) throw new SitrepError('token.not_found', `no live token ${id}`);
    // Under the token's incident, as its creation is: `audit --incident` shows both.
    await this.store.audit.record({
      action: 'token.revoke',
      incidentId: revoked.incidentId,
      tokenId: by.tokenId,
      detail: { id },
    });
  }

  /**
   * The incident if the principal may read it (store/visibility.ts). One it may not read is not
   * found, as one that does not exist: the answer is the same, so it says nothing of a private one.
   */
  async readable(p: Principal, incidentId: string): Promise<IncidentSummary> {
    const key = `${p.tokenId}\u0000${incidentId}`;
    let incident: IncidentSummary | null;
    try {
      incident = await this.store.readableIncident(incidentId, p);
      this.lastReadable.delete(key);
      this.lastReadable.set(key, incident);
      if (this.lastReadable.size > MAX_READABLE_KEPT)
        this.lastReadable.delete(this.lastReadable.keys().next().value ?? '');
    } catch (err) {
      // While the database is away, reads go on from memory with the last answer for this token
      // and incident: neither a revocation nor a change of privacy can be made meanwhile.
      if (!isStorageOutage(err) || !this.lastReadable.has(key)) throw err;
      incident = this.lastReadable.get(key) ?? null;
    }
    if (!incident) throw new SitrepError('incident.not_found', `no incident ${incidentId}`);
    return incident;
  }

  /** Drops the last answers of `readable` for one incident (its privacy changed), or for all. */
  forgetReadable(incidentId?: string): void {
    if (incidentId === undefined) return this.lastReadable.clear();
    for (const key of this.lastReadable.keys())
      if (key.endsWith(`\u0000${incidentId}`)) this.lastReadable.delete(key);
  }

  /** Stops trusting a token without asking the database again: it was revoked on some node. */
  forget(id: string): void {
    this.verified.delete(id);
    for (const key of this.lastReadable.keys())
      if (key.startsWith(`${id}\u0000`)) this.lastReadable.delete(key);
  }

  /** Stops trusting every token without asking again: revocations may have been missed. */
  forgetAll(): void {
    this.verified.clear();
    this.lastReadable.clear();
  }

  /** Of these token ids, those that no longer work (revoked, expired, gone); forgotten here too. */
  async unusable(ids: readonly string[]): Promise<Set<string>> {
    const gone = await this.store.tokens.unusable(ids);
    for (const id of gone) this.verified.delete(id);
    return gone;
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

/**
 * The author of what a remote harness sends with this token (over /mcp and /hooks): the token's
 * name (its label when it has none) and kind, whatever the client says; the id is the token's,
 * so two responders of the same name stay apart.
 */
export function authorOf(p: Principal, harness?: string): Author {
  return { id: `token-${p.tokenId}`, name: p.name ?? p.label, kind: p.kind, ...(harness && { harness }) };
}

/**
 * Throws unless the principal has at least `need` and, when given, may act so on this incident:
 * with the role it has there (`roleIn`: a viewer's outside the incident it is limited to; whether
 * it may read the incident at all is for its visibility to decide, `Authenticator.readable`).
 * Without an incident (tokens, audit, a new incident), only a token not limited to one may.
 */
export function authorize(p: Principal, need: Role, incidentId?: string | null): void {
  if (!roleAtLeast(p.role, need))
    throw new SitrepError('auth.forbidden', `this needs the ${need} role; the token is a ${p.role}`);
  if (incidentId ? roleAtLeast(roleIn(p, incidentId), need) : p.incidentId === null) return;
  throw new SitrepError(
    'auth.forbidden',
    incidentId ? `the token is limited to incident ${p.incidentId}` : 'the token is limited to one incident',
  );
}
