/**
 * The web findings of the hostile-input review, each reproduced: a reader's re-check, a re-check flood, sign-out
 * by GET and revocation, a non-Latin-1 `next` through the whole sign-in, oversized form and JIRA bodies, HSTS.
 */
import { request } from 'node:http';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RepoRef } from '../../src/core/domain.js';
import { createCookieCodec } from '../../src/web/session-cookie.js';
import type { WebHandlerDeps } from '../../src/web/web-handler.js';
import { sessionStoreKey } from '../../src/web/web-sessions.js';
import { safeNextPath } from '../../src/web/github-sign-in.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { fakeSha, FIXTURE_REPO, makeReport } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const GITHUB = 'http://github.test';
const API = 'http://github.test/api/v3';
const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';

let server: RunningWebServer | null = null;
let store: InMemoryReportStore;
let recheck: ReturnType<typeof vi.fn<(repo: RepoRef, sha: string) => Promise<void>>>;
let clock: Date;

async function start(overrides: Partial<WebHandlerDeps> = {}): Promise<RunningWebServer> {
  server = await startWebServer((baseUrl) => ({
    store,
    auth: { mode: 'github', clientId: 'Iv1.client', clientSecret: 'client-secret', sessionSecret: SESSION_SECRET, githubWebUrl: GITHUB, githubApiUrl: API },
    publicUrl: baseUrl,
    jiraWebhookSecret: 'jira-secret',
    recheck,
    onTicketChanged: () => undefined,
    logger: silentLogger,
    now: () => clock,
    ...overrides,
  }));
  return server;
}

/** A session as sign-in creates it; `storedTtlMs` lets the server-side row end before the cookie does. */
async function signedIn(login: string, sid: string, storedTtlMs = 8 * 3600_000): Promise<{ cookie: string; csrf: string }> {
  const codec = createCookieCodec(SESSION_SECRET);
  const expiresAt = clock.getTime() + 8 * 3600_000;
  await store.createWebSession({
    id: sessionStoreKey(sid),
    login,
    tokenCiphertext: codec.encryptToken(`gho_${login}`),
    createdAt: clock,
    expiresAt: new Date(clock.getTime() + storedTtlMs),
  });
  return { cookie: `dc_session=${encodeURIComponent(codec.encodeSession({ sid, expiresAt }))}`, csrf: codec.csrfToken({ sid }) };
}

/** GitHub's GET /repos answer for this user's token (asked once per session and repository: the handler caches). */
function githubRepoAnswer(login: string, repo: RepoRef, push: boolean): void {
  nock(API, { reqheaders: { authorization: `Bearer gho_${login}` } })
    .get(`/repos/${repo.owner}/${repo.repo}`)
    .reply(200, { full_name: `${repo.owner}/${repo.repo}`, permissions: { admin: false, push, pull: true } });
}

function postForm(path: string, body: string, cookie: string): Promise<Response> {
  return fetch(`${server?.baseUrl}${path}`, {
    method: 'POST',
    body,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
}

const recheckPath = (sha: string) => `/deploys/acme/payments/${sha}/recheck`;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  store = new InMemoryReportStore();
  recheck = vi.fn(async () => undefined);
  clock = new Date('2024-05-02T10:00:00.000Z');
  await store.saveReport(makeReport());
});

afterEach(async () => {
  await server?.close();
  server = null;
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe('re-check permission', () => {
  it('refuses (403) a re-check by someone who can only read the repository, without calling recheck', async () => {
    await start();
    const reader = await signedIn('reader', 'reader-session-0123456789');
    githubRepoAnswer('reader', FIXTURE_REPO, false);
    const res = await postForm(recheckPath(makeReport().headSha), `csrf=${encodeURIComponent(reader.csrf)}`, reader.cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Only people with write access to this repository can ask for a re-check.');
    expect(recheck).not.toHaveBeenCalled();
  });
});

describe('re-check rate limits', () => {
  it('allows one re-check per deploy SHA per minute, by anyone: 429 with Retry-After', async () => {
    await start();
    const dana = await signedIn('dana', 'dana-session-0123456789');
    const erin = await signedIn('erin', 'erin-session-0123456789');
    githubRepoAnswer('dana', FIXTURE_REPO, true);
    githubRepoAnswer('erin', FIXTURE_REPO, true);
    const sha = makeReport().headSha;
    expect((await postForm(recheckPath(sha), `csrf=${encodeURIComponent(dana.csrf)}`, dana.cookie)).status).toBe(303);
    clock = new Date(clock.getTime() + 20_000);
    for (const user of [dana, erin]) {
      const res = await postForm(recheckPath(sha), `csrf=${encodeURIComponent(user.csrf)}`, user.cookie);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('40');
    }
    clock = new Date(clock.getTime() + 40_000);
    expect((await postForm(recheckPath(sha), `csrf=${encodeURIComponent(erin.csrf)}`, erin.cookie)).status).toBe(303);
    expect(recheck).toHaveBeenCalledTimes(2);
  });

  it('allows a user 10 re-checks per 10 minutes across deploys: the 30-POST flood costs 10 re-checks', async () => {
    const shas = Array.from({ length: 30 }, (_, i) => fakeSha(`flood${i}`));
    for (const sha of shas) await store.saveReport(makeReport({ headSha: sha }));
    await start();
    const dana = await signedIn('dana', 'dana-session-0123456789');
    githubRepoAnswer('dana', FIXTURE_REPO, true);
    const statuses: number[] = [];
    for (const sha of shas) {
      const res = await postForm(recheckPath(sha), `csrf=${encodeURIComponent(dana.csrf)}`, dana.cookie);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('600');
    }
    expect(statuses).toEqual([...Array<number>(10).fill(303), ...Array<number>(20).fill(429)]);
    expect(recheck).toHaveBeenCalledTimes(10);
  });
});

describe('sign-out', () => {
  it('GET /logout does not sign out; POST without the CSRF token is refused; POST with it revokes the session server-side', async () => {
    await start();
    const dana = await signedIn('dana', 'dana-session-0123456789');
    githubRepoAnswer('dana', FIXTURE_REPO, true);
    const getLogout = await fetch(`${server?.baseUrl}/logout`, { headers: { cookie: dana.cookie }, redirect: 'manual' });
    expect(getLogout.status).toBe(200);
    expect(getLogout.headers.get('set-cookie')).toBeNull();
    expect((await postForm('/logout', 'csrf=forged', dana.cookie)).status).toBe(403);
    expect((await fetch(`${server?.baseUrl}/deploys/acme/payments`, { headers: { cookie: dana.cookie }, redirect: 'manual' })).status).toBe(200);

    const out = await postForm('/logout', `csrf=${encodeURIComponent(dana.csrf)}`, dana.cookie);
    expect(out.status).toBe(200);
    // The old cookie, replayed (e.g. copied before sign-out), no longer opens anything.
    const replay = await fetch(`${server?.baseUrl}/deploys/acme/payments`, { headers: { cookie: dana.cookie }, redirect: 'manual' });
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toBe('/login?next=%2Fdeploys%2Facme%2Fpayments');
  });

  it('enforces the expiry server-side even while the cookie itself is still valid, and prunes the row', async () => {
    await start();
    const dana = await signedIn('dana', 'dana-session-0123456789', 3600_000);
    clock = new Date(clock.getTime() + 3600_000);
    const res = await fetch(`${server?.baseUrl}/deploys`, { headers: { cookie: dana.cookie }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(await store.pruneWebSessions(clock)).toEqual({ sessions: 1, rateLimits: 0 });
  });
});

describe('sign-in redirects', () => {
  it('survives any next value: /login?next=/Āx signs in and lands on a valid, percent-encoded Location', async () => {
    await start();
    const login = await fetch(`${server?.baseUrl}/login?next=${encodeURIComponent('/Āx')}`, { redirect: 'manual' });
    const state = new URL(login.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const stateCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    nock(GITHUB).post('/login/oauth/access_token').reply(200, { access_token: 'gho_new', token_type: 'bearer' });
    nock(API).get('/user').reply(200, { login: 'dana', id: 42 });
    const callback = await fetch(`${server?.baseUrl}/login/callback?code=c&state=${encodeURIComponent(state)}`, {
      headers: { cookie: stateCookie },
      redirect: 'manual',
    });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/%C4%80x');
    expect(store.sessions.size).toBe(1);
  });

  it('keeps only same-site paths and encodes what a header cannot carry', () => {
    expect(safeNextPath('/deploys/acme/payments?page=2')).toBe('/deploys/acme/payments?page=2');
    expect(safeNextPath('/tickets/PAY-1 x')).toBe('/tickets/PAY-1%20x');
    expect(safeNextPath('/😀')).toBe('/%F0%9F%98%80');
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/a\nb', '/\ud800x']) {
      expect(safeNextPath(bad)).toBe('/deploys');
    }
  });
});

describe('body limits', () => {
  /** A chunked POST of `total` bytes; resolves with the status the server answered. */
  function chunkedPost(path: string, total: number, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${server?.baseUrl}${path}`, { method: 'POST', headers });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
      });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  it('cuts a form body past 16 KiB with 413 (declared or chunked), before the CSRF check', async () => {
    await start();
    const dana = await signedIn('dana', 'dana-session-0123456789');
    const declared = await postForm(recheckPath(makeReport().headSha), `csrf=${'a'.repeat(17 * 1024)}`, dana.cookie);
    expect(declared.status).toBe(413);
    const chunked = await chunkedPost(recheckPath(makeReport().headSha), 4 * 1024 * 1024, {
      cookie: dana.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(chunked).toBe(413);
    expect(recheck).not.toHaveBeenCalled();
  });

  it('cuts a chunked JIRA webhook past 1 MiB with 413 before the signature check', async () => {
    await start();
    const status = await chunkedPost('/jira/webhook', 64 * 1024 * 1024, { 'content-type': 'application/json', 'x-hub-signature': 'sha256=00' });
    expect(status).toBe(413);
  });
});

describe('security headers', () => {
  it('sends HSTS with includeSubDomains when PUBLIC_URL is https', async () => {
    await start({ publicUrl: 'https://checker.test' });
    const res = await fetch(`${server?.baseUrl}/login`, { redirect: 'manual' });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
