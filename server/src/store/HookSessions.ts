// What remote harness hooks keep on the server (the hook_sessions table): per token, incident and
// harness session, the position of the last brief and the turns ended. One row per session, upserted.
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import { hookSessions } from './schema.js';

/** Whose session: the token it came with, the incident it is about, the harness's session id. */
export interface HookSessionKey {
  tokenId: string;
  incidentId: string;
  sessionId: string;
}

export interface HookSession extends HookSessionKey {
  briefSeq: number | null;
  turns: number;
  lastTurnAt: Date | null;
}

export class HookSessions {
  constructor(private readonly db: Database) {}

  async find(key: HookSessionKey): Promise<HookSession | null> {
    const [row] = await this.db
      .select({
        tokenId: hookSessions.tokenId,
        incidentId: hookSessions.incidentId,
        sessionId: hookSessions.sessionId,
        briefSeq: hookSessions.briefSeq,
        turns: hookSessions.turns,
        lastTurnAt: hookSessions.lastTurnAt,
      })
      .from(hookSessions)
      .where(
        and(
          eq(hookSessions.tokenId, key.tokenId),
          eq(hookSessions.incidentId, key.incidentId),
          eq(hookSessions.sessionId, key.sessionId),
        ),
      );
    return row ?? null;
  }

  async saveBrief(key: HookSessionKey, seq: number): Promise<void> {
    const now = new Date();
    await this.db
      .insert(hookSessions)
      .values({ ...key, briefSeq: seq, updatedAt: now })
      .onConflictDoUpdate({
        target: [hookSessions.tokenId, hookSessions.incidentId, hookSessions.sessionId],
        set: { briefSeq: seq, updatedAt: now },
      });
  }

  /** Counts one more turn ended; the count after it. */
  async recordTurn(key: HookSessionKey): Promise<number> {
    const now = new Date();
    const [row] = await this.db
      .insert(hookSessions)
      .values({ ...key, turns: 1, lastTurnAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [hookSessions.tokenId, hookSessions.incidentId, hookSessions.sessionId],
        set: { turns: sql`${hookSessions.turns} + 1`, lastTurnAt: now, updatedAt: now },
      })
      .returning({ turns: hookSessions.turns });
    return row?.turns ?? 1;
  }
}
