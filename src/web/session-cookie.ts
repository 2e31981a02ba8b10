/**
 * Signed cookies: the visitor's session id and the short-lived OAuth state. Values are `<base64url JSON>.<base64url
 * HMAC-SHA256>`, checked in constant time, with an expiry inside the signed payload. The session cookie carries
 * only the session id: the session itself (login, GitHub token) is kept server-side (web-sessions.ts), where the
 * token is encrypted at rest (AES-256-GCM, encryptToken/decryptToken). Keys are derived from the session secret per
 * purpose. Also: Cookie header parsing/serialising and the per-session CSRF token.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What the session cookie says: the session id and when the cookie stops being accepted. */
export interface SessionCookie {
  /** Random id: keys the server-side session, the access cache and the CSRF token. */
  readonly sid: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface OAuthState {
  readonly state: string;
  /** Where to go after sign-in: a same-site path. */
  readonly next: string;
  readonly expiresAt: number;
}

const sessionPayload = z.object({
  v: z.literal(2),
  sid: z.string().min(16).max(64),
  exp: z.number().int(),
});

const statePayload = z.object({
  v: z.literal(1),
  state: z.string().min(16).max(128),
  next: z.string().max(2000),
  exp: z.number().int(),
});

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

/** Equal-length constant-time comparison of two strings; false when the lengths differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    // Still spend a comparison so that the length mismatch is not much faster than a content mismatch.
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export interface CookieCodec {
  encodeSession(session: SessionCookie): string;
  decodeSession(value: string | undefined, nowMs: number): SessionCookie | null;
  /** Encrypts a GitHub token for storage (AES-256-GCM, random IV); decryptToken gives null for anything tampered. */
  encryptToken(token: string): string;
  decryptToken(ciphertext: string): string | null;
  encodeState(state: OAuthState): string;
  decodeState(value: string | undefined, nowMs: number): OAuthState | null;
  /** The CSRF token of a session: an HMAC of its id. */
  csrfToken(session: { readonly sid: string }): string;
  verifyCsrfToken(session: { readonly sid: string }, token: string | undefined): boolean;
}

export function createCookieCodec(secret: string | Buffer): CookieCodec {
  const derive = (purpose: string): Buffer => createHmac('sha256', secret).update(`deploy-checker/${purpose}`).digest();
  const sessionKey = derive('session-signing');
  const stateKey = derive('oauth-state-signing');
  const csrfKey = derive('csrf');
  const encryptionKey = derive('session-token-encryption');

  const sign = (key: Buffer, payload: string): string => b64url(createHmac('sha256', key).update(payload).digest());

  const encode = (key: Buffer, data: unknown): string => {
    const payload = b64url(Buffer.from(JSON.stringify(data), 'utf8'));
    return `${payload}.${sign(key, payload)}`;
  };

  const decode = (key: Buffer, value: string | undefined): unknown => {
    if (!value || value.length > 4096) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (!constantTimeEqual(signature, sign(key, payload))) return null;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    } catch {
      return null;
    }
  };

  const encrypt = (text: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return b64url(Buffer.concat([iv, cipher.getAuthTag(), body]));
  };

  const decrypt = (text: string): string | null => {
    try {
      const raw = Buffer.from(text, 'base64url');
      if (raw.length < 28) return null;
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  };

  const csrfToken = (session: { readonly sid: string }): string => sign(csrfKey, `csrf:${session.sid}`);

  return {
    encodeSession(session) {
      return encode(sessionKey, { v: 2, sid: session.sid, exp: session.expiresAt });
    },
    decodeSession(value, nowMs) {
      const parsed = sessionPayload.safeParse(decode(sessionKey, value));
      if (!parsed.success || parsed.data.exp <= nowMs) return null;
      return { sid: parsed.data.sid, expiresAt: parsed.data.exp };
    },
    encryptToken: encrypt,
    decryptToken: decrypt,
    encodeState(state) {
      return encode(stateKey, { v: 1, state: state.state, next: state.next, exp: state.expiresAt });
    },
    decodeState(value, nowMs) {
      const parsed = statePayload.safeParse(decode(stateKey, value));
      if (!parsed.success || parsed.data.exp <= nowMs) return null;
      return { state: parsed.data.state, next: parsed.data.next, expiresAt: parsed.data.exp };
    },
    csrfToken,
    verifyCsrfToken(session, token) {
      if (typeof token !== 'string' || token === '') return false;
      return constantTimeEqual(token, csrfToken(session));
    },
  };
}

/** A fresh random id (session ids, OAuth state). */
export function randomId(): string {
  return b64url(randomBytes(24));
}

/** Cookie header → name/value map (first occurrence wins; undecodable values are skipped). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // not ours: ignore
    }
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
  readonly path: string;
  readonly secure: boolean;
  readonly sameSite: 'Lax' | 'Strict';
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, `Max-Age=${Math.max(0, Math.floor(options.maxAge))}`];
  if (options.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  parts.push('HttpOnly', `SameSite=${options.sameSite}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
