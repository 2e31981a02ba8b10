/**
 * Server-side state of the web pages, shared by every replica through the store: sign-in sessions (so that a
 * session can be revoked: sign-out, or an operator deleting rows) and fixed-window rate-limit counters (so that a
 * limit holds across replicas). The values are opaque to the store: the web side hashes session ids and encrypts
 * tokens before they get here (src/web/web-sessions.ts).
 */

export interface StoredWebSession {
  /** The key the web side chose (a hash of the session id, never the id in the cookie itself). */
  readonly id: string;
  readonly login: string;
  /** The visitor's GitHub token, encrypted by the web side. */
  readonly tokenCiphertext: string;
  /** ISO times. */
  readonly createdAt: string;
  readonly expiresAt: string;
}

export type RateLimitAnswer =
  | { readonly allowed: true; readonly hits: number }
  | { readonly allowed: false; readonly hits: number; readonly retryAfterMs: number };

export interface WebSessionStore {
  createWebSession(session: { id: string; login: string; tokenCiphertext: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The session, or null when it does not exist, was revoked, or has expired at `now` (expiry is enforced here). */
  getWebSession(id: string, now: Date): Promise<StoredWebSession | null>;
  /** Deletes the session; false when there was none. */
  revokeWebSession(id: string): Promise<boolean>;
  /**
   * Counts one hit on `bucket` in a fixed window of `windowMs` (a new window starts with the first hit after the
   * previous one ended) and says whether it is within `limit`. One atomic statement: replicas share the count.
   * Refused hits count too.
   */
  hitRateLimit(bucket: string, limit: number, windowMs: number, now: Date): Promise<RateLimitAnswer>;
  /** Deletes expired sessions and ended rate-limit windows; the app calls it periodically. */
  pruneWebSessions(now: Date): Promise<{ sessions: number; rateLimits: number }>;
}
