// Stored access tokens: hashes, roles, scope, expiry and revocation.
import type { ActorKind, Role, TokenSummary } from '@sitrep/shared';
import { and, asc, count, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import { tokens } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;
export type NewToken = typeof tokens.$inferInsert;

/** What the audit records of a token's creation: never its secret. */
export function tokenCreated(
  row: Pick<TokenRow, 'id' | 'role' | 'kind' | 'label' | 'isolated' | 'name'>,
): Record<string, unknown> {
  return {
    id: row.id,
    role: row.role,
    kind: row.kind,
    label: row.label,
    ...(row.name !== null && { name: row.name }),
    ...(row.isolated && { isolated: true }),
  };
}

/** The channel on which a revocation announces the token's id to every node. */
export const TOKEN_CHANNEL = 'sitrep_token';

export function toTokenSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    role: row.role as Role,
    kind: row.kind as ActorKind,
    incidentId: row.incidentId,
    isolated: row.isolated,
    label: row.label,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export class TokenStore {
  constructor(private readonly db: Database) {}

  async create(row: NewToken): Promise<TokenRow> {
    const [created] = await this.db.insert(tokens).values(row).returning();
    if (!created) throw new Error('token insert returned nothing');
    return created;
  }

  async find(id: string): Promise<TokenRow | null> {
    const [row] = await this.db.select().from(tokens).where(eq(tokens.id, id));
    return row ?? null;
  }

  async list(): Promise<TokenRow[]> {
    return this.db.select().from(tokens).orderBy(asc(tokens.createdAt));
  }

  /**
   * Marks a token revoked and tells every node (TOKEN_CHANNEL, delivered at commit); resolves
   * with the incident it was limited to, or false when there is no such live token.
   */
  async revoke(id: string): Promise<{ incidentId: string | null } | false> {
    return this.db.transaction(async (tx) => {
      const [done] = await tx
        .update(tokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
        .returning({ incidentId: tokens.incidentId });
      if (done) await tx.execute(sql`select pg_notify(${TOKEN_CHANNEL}, ${id})`);
      return done ?? false;
    });
  }

  /** Of these token ids, those that can no longer be used: revoked, expired or gone. */
  async unusable(ids: readonly string[], now = new Date()): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const live = await this.db
      .select({ id: tokens.id })
      .from(tokens)
      .where(
        and(
          inArray(tokens.id, [...ids]),
          isNull(tokens.revokedAt),
          or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
        ),
      );
    const ok = new Set(live.map((r) => r.id));
    return new Set(ids.filter((id) => !ok.has(id)));
  }

  /** Moves a token's expiry into the past: for tests of expiry, which cannot wait for a clock. */
  async expireForTest(id: string, at = new Date(Date.now() - 1000)): Promise<void> {
    await this.db.update(tokens).set({ expiresAt: at }).where(eq(tokens.id, id));
  }

  async countAll(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(tokens);
    return row?.n ?? 0;
  }
}
