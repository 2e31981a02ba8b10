/**
 * Sign-in sessions, kept server-side so that they can be revoked.
 *
 * The cookie carries only a random session id, signed (session-cookie.ts). The session itself — login, GitHub
 * token, expiry — is a row in the store (WebSessionStore), keyed by a SHA-256 of the id (a copy of the table does
 * not give working cookies), with the token encrypted at rest with a key derived from SESSION_SECRET. Every request
 * looks the row up: a revoked (signed out) or expired session is gone at once, on every replica.
 *
 * WEB_AUTH=off: visitors are anonymous; their session only carries the CSRF token, so it stays a signed cookie with
 * no row (nothing to revoke, and no row per drive-by visitor).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSessionStore } from '../store/session-store.js';
import { createCookieCodec, parseCookies, randomId, serializeCookie, type CookieCodec } from './session-cookie.js';
import type { WebAuthConfig } from './web-auth-config.js';

export interface WebSession {
  /** Random id: keys the access cache and the CSRF token. */
  readonly sid: string;
  /** Null for an anonymous session (WEB_AUTH=off). */
  readonly login: string | null;
  readonly token: string | null;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface WebSessions {
  readonly cookieName: string;
  readonly codec: CookieCodec;
  /** The visitor's live session, or null. */
  read(req: IncomingMessage): Promise<WebSession | null>;
  /** WEB_AUTH=off: the anonymous session, created (cookie only) when the visitor has none. */
  anonymous(req: IncomingMessage, res: ServerResponse): WebSession;
  /** Stores a new signed-in session and sets its cookie. */
  start(res: ServerResponse, user: { login: string; token: string; ttlMs: number }): Promise<WebSession>;
  /** Deletes the server-side session and the cookie. */
  revoke(res: ServerResponse, session: WebSession): Promise<void>;
  clearCookie(res: ServerResponse): void;
  cookie(name: string, value: string, maxAgeMs: number): string;
}

const ANONYMOUS_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** The store key of a session id. */
export function sessionStoreKey(sid: string): string {
  return createHash('sha256').update(sid, 'utf8').digest('base64url');
}

export function createWebSessions(options: { store: WebSessionStore; auth: WebAuthConfig; https: boolean; now: () => Date }): WebSessions {
  const { store, auth, https, now } = options;
  // Off mode has no configured secret: anonymous sessions use a per-process key.
  const codec = createCookieCodec(auth.mode === 'github' ? auth.sessionSecret : randomBytes(32));
  const cookieName = https ? '__Host-dc_session' : 'dc_session';
  const cookie = (name: string, value: string, maxAgeMs: number): string =>
    serializeCookie(name, value, { maxAge: maxAgeMs / 1000, path: '/', secure: https, sameSite: 'Lax' });
  const readCookie = (req: IncomingMessage) => codec.decodeSession(parseCookies(req.headers.cookie).get(cookieName), now().getTime());

  return {
    cookieName,
    codec,
    cookie,
    async read(req) {
      const fromCookie = readCookie(req);
      if (!fromCookie) return null;
      if (auth.mode === 'off') return { sid: fromCookie.sid, login: null, token: null, expiresAt: fromCookie.expiresAt };
      const stored = await store.getWebSession(sessionStoreKey(fromCookie.sid), now());
      if (!stored) return null;
      const token = codec.decryptToken(stored.tokenCiphertext);
      if (token === null) return null;
      return { sid: fromCookie.sid, login: stored.login, token, expiresAt: Date.parse(stored.expiresAt) };
    },
    anonymous(req, res) {
      const existing = readCookie(req);
      if (existing) return { sid: existing.sid, login: null, token: null, expiresAt: existing.expiresAt };
      const session: WebSession = { sid: randomId(), login: null, token: null, expiresAt: now().getTime() + ANONYMOUS_SESSION_TTL_MS };
      res.appendHeader('Set-Cookie', cookie(cookieName, codec.encodeSession(session), ANONYMOUS_SESSION_TTL_MS));
      return session;
    },
    async start(res, user) {
      const createdAt = now();
      const session: WebSession = { sid: randomId(), login: user.login, token: user.token, expiresAt: createdAt.getTime() + user.ttlMs };
      await store.createWebSession({
        id: sessionStoreKey(session.sid),
        login: user.login,
        tokenCiphertext: codec.encryptToken(user.token),
        createdAt,
        expiresAt: new Date(session.expiresAt),
      });
      res.appendHeader('Set-Cookie', cookie(cookieName, codec.encodeSession(session), user.ttlMs));
      return session;
    },
    async revoke(res, session) {
      if (session.login !== null) await store.revokeWebSession(sessionStoreKey(session.sid));
      res.appendHeader('Set-Cookie', cookie(cookieName, '', 0));
    },
    clearCookie(res) {
      res.appendHeader('Set-Cookie', cookie(cookieName, '', 0));
    },
  };
}
