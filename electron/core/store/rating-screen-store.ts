import type { Database } from 'better-sqlite3';

export interface RatingScreenRecord {
  id: string;
  counterId: string;
  pairedBy: string;
  createdAt: string;
  revokedAt: string | null;
}
export interface RatingTokenRecord {
  tokenHash: string;
  visitId: string;
  counterId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

const SCREEN = `SELECT id, counter_id AS counterId, paired_by AS pairedBy, created_at AS createdAt,
                       revoked_at AS revokedAt FROM rating_screens`;
const TOKEN = `SELECT token_hash AS tokenHash, visit_id AS visitId, counter_id AS counterId, created_at AS createdAt,
                      expires_at AS expiresAt, used_at AS usedAt FROM rating_tokens`;

/** All SQL of paired rating screens and one-time rating tokens: hashes only, never a token itself. */
export function createRatingScreenStore(db: Database) {
  const s = {
    screenByHash: db.prepare<[string], RatingScreenRecord>(`${SCREEN} WHERE token_hash = ?`),
    screenById: db.prepare<[string], RatingScreenRecord>(`${SCREEN} WHERE id = ?`),
    liveOfCounter: db.prepare<[string], RatingScreenRecord>(`${SCREEN} WHERE counter_id = ? AND revoked_at IS NULL`),
    revokeOfCounter: db.prepare('UPDATE rating_screens SET revoked_at = ? WHERE counter_id = ? AND revoked_at IS NULL'),
    insertScreen: db.prepare(`
      INSERT INTO rating_screens (id, token_hash, counter_id, paired_by, created_at)
      VALUES (@id, @tokenHash, @counterId, @pairedBy, @createdAt)
    `),
    tokenByHash: db.prepare<[string], RatingTokenRecord>(`${TOKEN} WHERE token_hash = ?`),
    insertToken: db.prepare(`
      INSERT INTO rating_tokens (token_hash, visit_id, counter_id, created_at, expires_at)
      VALUES (@tokenHash, @visitId, @counterId, @createdAt, @expiresAt)
    `),
    useToken: db.prepare('UPDATE rating_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
    liveTokenOfVisit: db.prepare<[string, string], RatingTokenRecord>(
      `${TOKEN} WHERE visit_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1`,
    ),
    endTokensOfVisit: db.prepare(`UPDATE rating_tokens SET expires_at = ? WHERE visit_id = ? AND expires_at > ?`),
    expiredPending: db.prepare<[string], { visitId: string }>(`
      SELECT v.id AS visitId FROM visits v
      WHERE v.rating_status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM rating_tokens t WHERE t.visit_id = v.id AND t.used_at IS NULL AND t.expires_at > ?)
    `),
  };
  return {
    screenByHash: (hash: string) => s.screenByHash.get(hash),
    screenById: (id: string) => s.screenById.get(id),
    liveOfCounter: (counterId: string) => s.liveOfCounter.get(counterId),
    /** The counter's live screen is revoked in the same transaction a new one is paired in. */
    replaceScreen(screen: RatingScreenRecord & { tokenHash: string }): void {
      s.revokeOfCounter.run(screen.createdAt, screen.counterId);
      s.insertScreen.run(screen);
    },
    tokenByHash: (hash: string) => s.tokenByHash.get(hash),
    insertToken: (t: Omit<RatingTokenRecord, 'usedAt'>) => s.insertToken.run(t),
    /** True when this call used it: a token is used once. */
    useToken: (hash: string, at: string): boolean => s.useToken.run(at, hash).changes > 0,
    liveTokenOfVisit: (visitId: string, now: string) => s.liveTokenOfVisit.get(visitId, now),
    /** Ends every still-valid token of a visit (a newer request replaces it, or it ran out). */
    endTokensOfVisit: (visitId: string, at: string) => s.endTokensOfVisit.run(at, visitId, at),
    /** Visits waiting for a rating whose every token is used up or expired. */
    expiredPending: (now: string) => s.expiredPending.all(now).map((r) => r.visitId),
  };
}
export type RatingScreenStore = ReturnType<typeof createRatingScreenStore>;
