/**
 * WebSessionStore over kysely, on SQLite and PostgreSQL (tables from migrations/0002-web-sessions.ts). Every
 * method is one statement; the rate-limit hit is an INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent
 * replicas never lose a count.
 */
import { sql } from 'kysely';
import type { ColumnType, Kysely } from 'kysely';
import type { StoreDatabase } from './store-database.js';
import type { RateLimitAnswer, StoredWebSession, WebSessionStore } from './session-store.js';

type Time = ColumnType<string | Date, string, string>;

// A type alias (not an interface): kysely's withTables wants an indexable shape.
export type WebSessionTables = {
  web_sessions: { id: string; login: string; token_ciphertext: string; created_at: Time; expires_at: Time };
  web_rate_limits: { bucket: string; hits: number; window_end: Time };
};

const iso = (value: string | Date): string => (value instanceof Date ? value : new Date(value)).toISOString();

export function createKyselySessionStore(database: Kysely<StoreDatabase>): WebSessionStore {
  const db = database.withTables<WebSessionTables>();
  return {
    async createWebSession(session) {
      await db
        .insertInto('web_sessions')
        .values({
          id: session.id,
          login: session.login,
          token_ciphertext: session.tokenCiphertext,
          created_at: session.createdAt.toISOString(),
          expires_at: session.expiresAt.toISOString(),
        })
        .execute();
    },

    async getWebSession(id, now): Promise<StoredWebSession | null> {
      const row = await db
        .selectFrom('web_sessions')
        .select(['id', 'login', 'token_ciphertext', 'created_at', 'expires_at'])
        .where('id', '=', id)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      if (!row) return null;
      return { id: row.id, login: row.login, tokenCiphertext: row.token_ciphertext, createdAt: iso(row.created_at), expiresAt: iso(row.expires_at) };
    },

    async revokeWebSession(id) {
      const result = await db.deleteFrom('web_sessions').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async hitRateLimit(bucket, limit, windowMs, now): Promise<RateLimitAnswer> {
      const nowIso = now.toISOString();
      const endIso = new Date(now.getTime() + windowMs).toISOString();
      const row = await db
        .insertInto('web_rate_limits')
        .values({ bucket, hits: 1, window_end: endIso })
        .onConflict((oc) =>
          oc.column('bucket').doUpdateSet({
            // Both expressions read the row as it was: a window that has ended starts again at this hit.
            hits: sql<number>`case when web_rate_limits.window_end <= ${nowIso} then 1 else web_rate_limits.hits + 1 end`,
            window_end: sql<string>`case when web_rate_limits.window_end <= ${nowIso} then ${endIso} else web_rate_limits.window_end end`,
          }),
        )
        .returning(['hits', 'window_end'])
        .executeTakeFirstOrThrow();
      const hits = Number(row.hits);
      if (hits <= limit) return { allowed: true, hits };
      return { allowed: false, hits, retryAfterMs: Math.max(0, Date.parse(iso(row.window_end)) - now.getTime()) };
    },

    async pruneWebSessions(now) {
      const nowIso = now.toISOString();
      const sessions = await db.deleteFrom('web_sessions').where('expires_at', '<=', nowIso).executeTakeFirst();
      const rateLimits = await db.deleteFrom('web_rate_limits').where('window_end', '<=', nowIso).executeTakeFirst();
      return { sessions: Number(sessions.numDeletedRows), rateLimits: Number(rateLimits.numDeletedRows) };
    },
  };
}
