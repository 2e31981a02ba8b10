import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createCookieCodec, parseCookies, serializeCookie } from '../../src/web/session-cookie.js';
import { webAuthFromEnv, WebAuthConfigError, webAuthWarning } from '../../src/web/web-auth-config.js';

const SECRET = 'x'.repeat(40);
const NOW = 1_714_557_600_000;
const session = { sid: 'sid-0123456789abcdef', login: 'dana', token: 'gho_secret_token', expiresAt: NOW + 60_000 };

describe('session cookies', () => {
  it('round-trips the session id; the cookie carries no login and no token', () => {
    const codec = createCookieCodec(SECRET);
    const value = codec.encodeSession(session);
    const payload = Buffer.from(value.split('.')[0] ?? '', 'base64url').toString();
    expect(payload).not.toContain('dana');
    expect(payload).not.toContain('gho_secret_token');
    expect(codec.decodeSession(value, NOW)).toEqual({ sid: session.sid, expiresAt: session.expiresAt });
  });

  it('encrypts tokens for storage: a fresh IV each time, and tampered or foreign ciphertexts give null', () => {
    const codec = createCookieCodec(SECRET);
    const a = codec.encryptToken('gho_secret_token');
    const b = codec.encryptToken('gho_secret_token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('gho_secret_token');
    expect(codec.decryptToken(a)).toBe('gho_secret_token');
    const raw = Buffer.from(a, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(codec.decryptToken(raw.toString('base64url'))).toBeNull();
    expect(createCookieCodec('y'.repeat(40)).decryptToken(a)).toBeNull();
    expect(codec.decryptToken('short')).toBeNull();
  });

  it('rejects expired, tampered, foreign-key and garbage values', () => {
    const codec = createCookieCodec(SECRET);
    const value = codec.encodeSession(session);
    expect(codec.decodeSession(value, NOW + 60_000)).toBeNull();
    const [payload = '', signature = ''] = value.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ v: 2, sid: 'sid-0123456789abcdef', exp: NOW + 1e9 })).toString('base64url');
    expect(codec.decodeSession(`${forgedPayload}.${signature}`, NOW)).toBeNull();
    expect(codec.decodeSession(`${payload}.${signature.slice(0, -2)}`, NOW)).toBeNull();
    expect(createCookieCodec('y'.repeat(40)).decodeSession(value, NOW)).toBeNull();
    for (const junk of [undefined, '', '.', 'abc', 'abc.def', `${payload}.`]) expect(codec.decodeSession(junk, NOW)).toBeNull();
  });

  it('does not accept an OAuth state cookie as a session, or the reverse', () => {
    const codec = createCookieCodec(SECRET);
    const state = codec.encodeState({ state: 's'.repeat(32), next: '/deploys', expiresAt: NOW + 1000 });
    expect(codec.decodeState(state, NOW)).toEqual({ state: 's'.repeat(32), next: '/deploys', expiresAt: NOW + 1000 });
    expect(codec.decodeSession(state, NOW)).toBeNull();
    expect(codec.decodeState(codec.encodeSession(session), NOW)).toBeNull();
  });

  it('derives a per-session CSRF token and compares it in constant time', () => {
    const codec = createCookieCodec(SECRET);
    const token = codec.csrfToken(session);
    expect(codec.verifyCsrfToken(session, token)).toBe(true);
    expect(codec.verifyCsrfToken({ ...session, sid: 'another-session-id-000' }, token)).toBe(false);
    expect(codec.verifyCsrfToken(session, undefined)).toBe(false);
    expect(codec.verifyCsrfToken(session, '')).toBe(false);
    expect(codec.verifyCsrfToken(session, `${token}x`)).toBe(false);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('parses and serialises cookies', () => {
    expect([...parseCookies('a=1; b="two"; a=3; bad; c=%E0%A4%A')]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
    expect(serializeCookie('n', 'v w', { maxAge: 60, path: '/', secure: true, sameSite: 'Lax' })).toBe(
      'n=v%20w; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('n', '', { maxAge: 0, path: '/', secure: false, sameSite: 'Lax' })).toBe(
      'n=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });
});

describe('webAuthFromEnv', () => {
  const github = { GITHUB_CLIENT_ID: 'Iv1.abc', GITHUB_CLIENT_SECRET: 'shh', SESSION_SECRET: SECRET };

  it('defaults to GitHub sign-in when the client id and secret are set', () => {
    expect(webAuthFromEnv(github)).toEqual({
      mode: 'github',
      clientId: 'Iv1.abc',
      clientSecret: 'shh',
      sessionSecret: SECRET,
      githubWebUrl: 'https://github.com',
      githubApiUrl: 'https://api.github.com',
    });
    expect(webAuthWarning(webAuthFromEnv(github))).toBeNull();
  });

  it('uses GitHub Enterprise Server URLs from GHE_HOST', () => {
    expect(webAuthFromEnv({ ...github, GHE_HOST: 'ghe.acme.test' })).toMatchObject({
      githubWebUrl: 'https://ghe.acme.test',
      githubApiUrl: 'https://ghe.acme.test/api/v3',
    });
  });

  it('allows WEB_AUTH=off, with a warning to log', () => {
    expect(webAuthFromEnv({ WEB_AUTH: 'off', ...github })).toEqual({ mode: 'off' });
    expect(webAuthWarning({ mode: 'off' })).toMatch(/WEB_AUTH=off/);
  });

  it('is off without any sign-in settings only when the server listens on loopback, whatever PUBLIC_URL says', () => {
    for (const HOST of [undefined, '', 'localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', ' LOCALHOST ']) {
      expect(webAuthFromEnv({ HOST }), String(HOST)).toEqual({ mode: 'off' });
      expect(webAuthFromEnv({ HOST, PUBLIC_URL: 'https://deploys.example.com' }), String(HOST)).toEqual({ mode: 'off' });
    }
    for (const HOST of ['0.0.0.0', '::', '[::]', '10.0.0.5', 'deploys.internal', '127.0.0.1.nip.io', 'localhost.evil.example']) {
      expect(() => webAuthFromEnv({ HOST }), HOST).toThrow(WebAuthConfigError);
      // The finding: a local (or no) PUBLIC_URL used to mean "off" even on 0.0.0.0.
      expect(() => webAuthFromEnv({ HOST, PUBLIC_URL: 'http://localhost:3000' }), HOST).toThrow(/WEB_AUTH=off/);
    }
    expect(() => webAuthFromEnv({ HOST: '0.0.0.0' })).toThrow(/^HOST=0\.0\.0\.0 lets other machines reach the report pages: set WEB_AUTH=off .*$/);
    expect(webAuthFromEnv({ HOST: '0.0.0.0', WEB_AUTH: 'off' })).toEqual({ mode: 'off' });
  });

  it('fails closed when sign-in is incomplete or WEB_AUTH is unknown', () => {
    expect(() => webAuthFromEnv({ WEB_AUTH: 'github', GITHUB_CLIENT_ID: 'x' })).toThrow(/GITHUB_CLIENT_SECRET, SESSION_SECRET/);
    expect(() => webAuthFromEnv({ ...github, SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => webAuthFromEnv({ ...github, WEB_AUTH: 'maybe' })).toThrow(/"github" or "off"/);
  });
});
