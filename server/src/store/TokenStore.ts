// Stored access tokens: hashes, roles, scope, expiry and revocation.
import type { ActorKind, Role, TokenSummary } from '@sitrep/shared';
import { asc, count, eq, isNull, and } from 'drizzle-orm';
import type { Database } from './db.js';
import { tokens } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;

export function toTokenSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    role: row.role as Role,
    kind: row.kind as ActorKind,
    incidentId: row.incidentId,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export class TokenStore {
  constructor(private readonly db: Database) {}

  async create(row: typeof tokens.$inferInsert): Promise<TokenRow> {
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

  /** Marks a token revoked; resolves with the incident it was limited to, or false when there is no such live token. */
  async revoke(id: string): Promise<{ incidentId: string | null } | false> {
    const [done] = await this.db
      .update(tokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
      .returning({ incidentId: tokens.incidentId });
    return done ?? false;
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
