/**
 * Route tests: the web handler on a real HTTP server (127.0.0.1), the in-memory store, GitHub's API stubbed
 * with nock at a fake host (http://github.test).
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeployReport, RepoRef } from '../../src/core/domain.js';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.js';
import { createCookieCodec } from '../../src/web/session-cookie.js';
import { sessionStoreKey } from '../../src/web/web-sessions.js';
import type { WebHandlerDeps } from '../../src/web/web-handler.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { fakeSha, FIXTURE_REPO, history, makeReport, makeShipment, passingReport } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const GITHUB = 'http://github.test';
const API = 'http://github.test/api/v3';
const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';
const SECRET_REPO: RepoRef = { owner: 'acme', repo: 'secret-vault' };

function secretReport(): DeployReport {
  return makeReport({
    repo: SECRET_REPO,
    headSha: fakeSha('secret'),
    statusDescription: 'TOP-SECRET status text',
    evaluatedAt: '2024-05-03T00:00:00.000Z',
  });
}

let server: RunningWebServer | null = null;
let store: InMemoryReportStore;
let recheck: ReturnType<typeof vi.fn<(repo: RepoRef, sha: string) => Promise<void>>>;

async function start(overrides: Partial<WebHandlerDeps> = {}): Promise<RunningWebServer> {
  server = await startWebServer((baseUrl) => ({
    store,
    auth: { mode: 'github', clientId: 'Iv1.client', clientSecret: 'client-secret', sessionSecret: SESSION_SECRET, githubWebUrl: GITHUB, githubApiUrl: API },
    publicUrl: baseUrl,
    jiraWebhookSecret: 'jira-secret',
    recheck,
    onTicketChanged: () => undefined,
    logger: silentLogger,
    ...overrides,
  }));
  return server;
}

/** A signed-in session: a row in the store (token encrypted as the app does) and the cookie that names it. */
async function sessionCookie(login = 'dana', token = 'gho_dana', sid = 'session-id-0123456789'): Promise<string> {
  const codec = createCookieCodec(SESSION_SECRET);
  const expiresAt = Date.now() + 3600_000;
  if (!store.sessions.has(sessionStoreKey(sid))) {
    await store.createWebSession({
      id: sessionStoreKey(sid),
      login,
      tokenCiphertext: codec.encryptToken(token),
      createdAt: new Date(),
      expiresAt: new Date(expiresAt),
    });
  }
  return `dc_session=${encodeURIComponent(codec.encodeSession({ sid, expiresAt }))}`;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server?.baseUrl}${path}`, { headers, redirect: 'manual' });
}

/** GitHub says the token can read these repositories (once each: the handler must cache). */
function githubCanRead(token: string, readable: readonly RepoRef[], hidden: readonly RepoRef[] = []): void {
  const scope = nock(API, { reqheaders: { authorization: `Bearer ${token}` } });
  for (const repo of readable) scope.get(`/repos/${repo.owner}/${repo.repo}`).reply(200, { full_name: `${repo.owner}/${repo.repo}` });
  for (const repo of hidden) scope.get(`/repos/${repo.owner}/${repo.repo}`).reply(404, { message: 'Not Found' });
}

/** GitHub says the token can push to (write) these repositories. */
function githubCanPush(token: string, writable: readonly RepoRef[]): void {
  const scope = nock(API, { reqheaders: { authorization: `Bearer ${token}` } });
  for (const repo of writable) {
    scope.get(`/repos/${repo.owner}/${repo.repo}`).reply(200, { full_name: `${repo.owner}/${repo.repo}`, permissions: { pull: true, push: true } });
  }
}

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  store = new InMemoryReportStore();
  recheck = vi.fn(async () => undefined);
  await store.saveReport(makeReport());
  await store.saveReport(secretReport());
});

afterEach(async () => {
  await server?.close();
  server = null;
  const done = nock.isDone();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
  expect(done).toBe(true);
});

describe('paths', () => {
  it('leaves paths it does not own to the next handler', async () => {
    await start();
    for (const path of ['/', '/api/github/webhooks', '/deploysx', '/probot']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('not ours');
    }
  });

  it('sends the security headers', async () => {
    await start();
    githubCanRead('gho_dana', [FIXTURE_REPO], [SECRET_REPO]);
    const res = await get('/deploys', { cookie: await sessionCookie() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(
      /default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 405 for a method a path does not take', async () => {
    await start();
    const res = await fetch(`${server?.baseUrl}/deploys`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('sign-in', () => {
  it('sends a visitor without a session to sign in, and JSON callers get 401', async () => {
    await start();
    const page = await get('/deploys/acme/payments?page=2');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fdeploys%2Facme%2Fpayments%3Fpage%3D2');
    const json = await get(`/deploys/acme/payments/${makeReport().headSha}`, { accept: 'application/json' });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: 'Sign in first.' });
  });

  it('signs in with GitHub OAuth: state cookie, code exchange, /user, signed session cookie', async () => {
    await start();
    const login = await get('/login?next=%2Fdeploys%2Facme%2Fpayments');
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${GITHUB}/login/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe('Iv1.client');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${server?.baseUrl}/login/callback`);
    const state = authorize.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(32);
    const stateCookie = login.headers.get('set-cookie') ?? '';
    expect(stateCookie).toMatch(/^dc_oauth_state=[^;]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/);

    nock(GITHUB, { reqheaders: { accept: 'application/json' } })
      .post(
        '/login/oauth/access_token',
        (body: Record<string, string>) => body['client_id'] === 'Iv1.client' && body['client_secret'] === 'client-secret' && body['code'] === 'the-code',
      )
      .reply(200, { access_token: 'gho_new', token_type: 'bearer', expires_in: 28800 });
    nock(API, { reqheaders: { authorization: 'Bearer gho_new' } })
      .get('/user')
      .reply(200, { login: 'dana', id: 42 });

    const callback = await get(`/login/callback?code=the-code&state=${encodeURIComponent(state)}`, {
      cookie: stateCookie.split(';')[0] ?? '',
    });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/deploys/acme/payments');
    const cookies = callback.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('dc_session=')) ?? '';
    // 28800 s from the token's expires_in; the handler reads the clock twice, so a millisecond tick in between (a busy
    // machine) floors it to 28799.
    expect(session).toMatch(/; Path=\/; Max-Age=(28800|28799); HttpOnly; SameSite=Lax$/);
    expect(session).not.toContain('gho_new'); // the token is encrypted inside the cookie
    expect(cookies.some((c) => c.startsWith('dc_oauth_state=;'))).toBe(true);

    githubCanRead('gho_new', [FIXTURE_REPO]);
    const page = await get('/deploys/acme/payments', { cookie: session.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Signed in as <strong>dana</strong>');
    expect(body).toContain('acme/payments');
  });

  it('refuses a callback whose state does not match the cookie (no code exchange)', async () => {
    await start();
    const login = await get('/login');
    const stateCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await get('/login/callback?code=the-code&state=forged-state-forged-state-forged', { cookie: stateCookie });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('dc_session='))).toBe(false);
    const noCookie = await get('/login/callback?code=the-code&state=x');
    expect(noCookie.status).toBe(400);
  });

  it('does not accept a tampered session cookie', async () => {
    await start();
    const forged = (await sessionCookie()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await get('/deploys', { cookie: forged });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fdeploys');
  });

  it('sends the visitor to sign in again when GitHub rejects their token (401)', async () => {
    await start();
    nock(API).get('/repos/acme/payments').reply(401, { message: 'Bad credentials' });
    const res = await get('/deploys/acme/payments', { cookie: await sessionCookie() });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fdeploys%2Facme%2Fpayments');
    expect(res.headers.get('set-cookie')).toMatch(/^dc_session=; Path=\/; Max-Age=0/);
  });

  it('signs out with a POST carrying the CSRF token; GET only shows the form; the old cookie then no longer works', async () => {
    await start();
    const cookie = await sessionCookie();
    const page = await get('/logout', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const body = await page.text();
    expect(body).toContain('<form method="post" action="/logout">');
    const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
    expect(store.sessions.size).toBe(1);
    const res = await fetch(`${server?.baseUrl}/logout`, {
      method: 'POST',
      body: `csrf=${encodeURIComponent(token)}`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^dc_session=; Path=\/; Max-Age=0/);
    expect(store.sessions.size).toBe(0);
    const after = await get('/deploys', { cookie });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/login?next=%2Fdeploys');
  });
});

describe('pages', () => {
  it('/deploys lists only the repositories the visitor can read, asking GitHub once per repository', async () => {
    await start();
    githubCanRead('gho_dana', [FIXTURE_REPO], [SECRET_REPO]);
    for (let i = 0; i < 2; i += 1) {
      const res = await get('/deploys', { cookie: await sessionCookie() });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('<a href="/deploys/acme/payments">acme/payments</a>');
      expect(body).toContain('<span class="badge failure">failing</span>');
      expect(body).not.toContain('secret-vault');
      expect(body).not.toContain('TOP-SECRET');
    }
  });

  it('answers 404 for a repository the visitor cannot read, exactly as for one that does not exist', async () => {
    await start();
    const missing: RepoRef = { owner: 'acme', repo: 'no-such-repo' };
    githubCanRead('gho_dana', [], [SECRET_REPO, missing]);
    const secretPaths = [
      '/deploys/acme/secret-vault',
      `/deploys/acme/secret-vault/${fakeSha('secret')}`,
      `/deploys/acme/secret-vault/${fakeSha('secret')}.json`,
    ];
    const bodies: string[] = [];
    for (const path of secretPaths) {
      const res = await get(path, { cookie: await sessionCookie() });
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('TOP-SECRET');
      expect(body).not.toContain('secret-vault');
      expect(body).not.toContain(fakeSha('secret').slice(0, 7));
      bodies.push(body);
    }
    const missingRes = await get('/deploys/acme/no-such-repo', { cookie: await sessionCookie() });
    expect(missingRes.status).toBe(404);
    expect(await missingRes.text()).toBe(bodies[0]);
    expect(JSON.parse(bodies[2] ?? '')).toEqual({ error: 'not found' });
  });

  it('serves the report as HTML, or as the stored JSON with Accept: application/json or a .json suffix', async () => {
    await start();
    githubCanRead('gho_dana', [FIXTURE_REPO]);
    const report = makeReport();
    const html = await get(`/deploys/acme/payments/${report.headSha}`, {
      cookie: await sessionCookie(),
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('vary')).toBe('Accept, Cookie');
    const page = await html.text();
    expect(page).toContain('PAY-2 has no post-deploy checks');
    expect(page).toContain('Re-check now');

    const json = await get(`/deploys/acme/payments/${report.headSha}`, { cookie: await sessionCookie(), accept: 'application/json' });
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual(report);
    const suffix = await get(`/deploys/acme/payments/${report.headSha}.json`, { cookie: await sessionCookie() });
    expect(await suffix.json()).toEqual(report);
    const unknown = await get(`/deploys/acme/payments/${fakeSha('nope')}`, { cookie: await sessionCookie() });
    expect(unknown.status).toBe(404);
  });

  it('paginates the history, newest first', async () => {
    await start({ options: { pageSize: 50 } });
    for (const report of history(120)) await store.saveReport(report);
    githubCanRead('gho_dana', [FIXTURE_REPO]);
    const cookie = await sessionCookie();
    const first = await (await get('/deploys/acme/payments', { cookie })).text();
    // 120 + the fixture report = 121 reports → 3 pages.
    expect(first).toContain('Page 1 of 3 (121 reports)');
    expect(first).toContain(`href="/deploys/acme/payments/${fakeSha('h000')}"`);
    expect(first).toContain(`href="/deploys/acme/payments/${fakeSha('h048')}"`); // the 50th newest
    expect(first).not.toContain(`href="/deploys/acme/payments/${fakeSha('h049')}"`); // the 51st
    expect(first).toContain('href="/deploys/acme/payments?page=2" rel="next"');
    const last = await (await get('/deploys/acme/payments?page=3', { cookie })).text();
    expect(last).toContain('Page 3 of 3');
    expect((last.match(/<tr>/g) ?? []).length).toBe(1 + 21); // header row + 21 reports
    expect(last).not.toContain('rel="next"');
    const bogus = await get('/deploys/acme/payments?page=-4', { cookie });
    expect(bogus.status).toBe(400);
    expect(await bogus.text()).toContain('Bad query: page: page must be a whole number from 1');
  });

  it('/tickets/:key lists only readable reports and shipments and says since when the ticket is in production', async () => {
    await start();
    store.addShipment(makeShipment({ toSha: makeReport().headSha, ticketKeys: ['PAY-1', 'PAY-2'], shippedAt: '2024-05-01T12:30:00.000Z' }));
    store.addShipment(makeShipment({ repo: SECRET_REPO, toSha: fakeSha('secret'), ticketKeys: ['PAY-1'], shippedAt: '2024-05-03T12:30:00.000Z' }));
    githubCanRead('gho_dana', [FIXTURE_REPO], [SECRET_REPO]);
    const res = await get('/tickets/pay-1', { cookie: await sessionCookie() });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<h1>PAY-1</h1>');
    expect(body).toContain('Summary of PAY-1');
    expect(body).toContain(`In production</span> since <time datetime="2024-05-01T12:30:00.000Z">2024-05-01 12:30 UTC</time>`);
    expect(body).toContain(`acme/payments ${makeReport().headSha.slice(0, 7)}</a>`);
    expect(body).not.toContain('secret-vault');
    expect(body).not.toContain(fakeSha('secret').slice(0, 7));
    expect(await (await get('/tickets/not-a-key!', { cookie: await sessionCookie() })).text()).toContain('Not found');
    const search = await get('/tickets?key=pay-2', { cookie: await sessionCookie() });
    expect(search.status).toBe(303);
    expect(search.headers.get('location')).toBe('/tickets/PAY-2');
  });
});

describe('re-check', () => {
  const report = makeReport();
  const action = `/deploys/acme/payments/${report.headSha}/recheck`;

  async function csrfFromPage(cookie: string): Promise<string> {
    const page = await (await get(`/deploys/acme/payments/${report.headSha}`, { cookie })).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(token).toBeTruthy();
    return token ?? '';
  }

  function post(path: string, body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${server?.baseUrl}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      redirect: 'manual',
    });
  }

  it("refuses a POST without a token, with a wrong token, or with another session's token", async () => {
    await start();
    githubCanRead('gho_dana', [FIXTURE_REPO]);
    const cookie = await sessionCookie();
    const otherToken = await csrfFromPage(cookie);
    const mine = await sessionCookie('dana', 'gho_dana', 'another-session-0123456789');
    for (const body of ['', 'csrf=', 'csrf=wrong-token', `csrf=${encodeURIComponent(otherToken)}`]) {
      const res = await post(action, body, { cookie: mine });
      expect(res.status, body).toBe(403);
    }
    expect(recheck).not.toHaveBeenCalled();
  });

  it('refuses a cross-site POST even with a valid token (Origin / Sec-Fetch-Site)', async () => {
    await start();
    githubCanRead('gho_dana', [FIXTURE_REPO]);
    const cookie = await sessionCookie();
    const token = await csrfFromPage(cookie);
    const evil = await post(action, `csrf=${encodeURIComponent(token)}`, { cookie, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const crossSite = await post(action, `csrf=${encodeURIComponent(token)}`, { cookie, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(recheck).not.toHaveBeenCalled();
  });

  it('re-checks with a valid token, waits for it, then redirects (303) to the report that shows the new state', async () => {
    recheck.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await store.saveReport(passingReport());
    });
    await start();
    githubCanPush('gho_dana', [FIXTURE_REPO]);
    const cookie = await sessionCookie();
    const token = await csrfFromPage(cookie);
    const res = await post(action, `csrf=${encodeURIComponent(token)}`, { cookie, origin: server?.baseUrl ?? '', 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/deploys/acme/payments/${report.headSha}?recheck=done`);
    expect(recheck).toHaveBeenCalledTimes(1);
    expect(recheck).toHaveBeenCalledWith(FIXTURE_REPO, report.headSha);
    const page = await (await get(res.headers.get('location') ?? '', { cookie })).text();
    expect(page).toContain('Re-checked just now');
    expect(page).toContain('data-state="success">Passing<');
  });

  it('redirects with a notice when the re-check fails or takes too long', async () => {
    await start({ options: { recheckTimeoutMs: 20, recheckLimits: { perSha: { limit: 5, windowMs: 60_000 } } } });
    githubCanPush('gho_dana', [FIXTURE_REPO]);
    const cookie = await sessionCookie();
    const token = await csrfFromPage(cookie);
    recheck.mockImplementationOnce(() => new Promise((resolve) => setTimeout(resolve, 300)));
    const slow = await post(action, `csrf=${encodeURIComponent(token)}`, { cookie });
    expect(slow.headers.get('location')).toMatch(/\?recheck=running$/);
    await new Promise((resolve) => setTimeout(resolve, 350));
    recheck.mockImplementationOnce(async () => {
      throw new Error('JIRA down');
    });
    const failed = await post(action, `csrf=${encodeURIComponent(token)}`, { cookie });
    expect(failed.headers.get('location')).toMatch(/\?recheck=failed$/);
  });

  it('404s a re-check of a repository the visitor cannot read, without calling recheck', async () => {
    await start();
    githubCanRead('gho_dana', [], [SECRET_REPO]);
    const cookie = await sessionCookie();
    const token = createCookieCodec(SESSION_SECRET).csrfToken({ sid: 'session-id-0123456789' });
    const res = await post(`/deploys/acme/secret-vault/${fakeSha('secret')}/recheck`, `csrf=${encodeURIComponent(token)}`, { cookie });
    expect(res.status).toBe(404);
    expect(recheck).not.toHaveBeenCalled();
  });
});

describe('WEB_AUTH=off', () => {
  it('shows everything without GitHub and still protects the re-check with a CSRF token', async () => {
    await start({ auth: { mode: 'off' } });
    expect(server?.handler.authDisabled).toBe(true);
    const list = await get('/deploys');
    expect(list.status).toBe(200);
    const body = await list.text();
    expect(body).toContain('acme/payments');
    expect(body).toContain('acme/secret-vault');
    expect(body).toContain('Sign-in disabled (WEB_AUTH=off)');
    const cookie = (list.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^dc_session=/);
    const page = await (await get(`/deploys/acme/payments/${makeReport().headSha}`, { cookie })).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const action = `/deploys/acme/payments/${makeReport().headSha}/recheck`;
    const refused = await fetch(`${server?.baseUrl}${action}`, {
      method: 'POST',
      body: 'csrf=nope',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(refused.status).toBe(403);
    const ok = await fetch(`${server?.baseUrl}${action}`, {
      method: 'POST',
      body: `csrf=${encodeURIComponent(token)}`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    expect(recheck).toHaveBeenCalledTimes(1);
  });
});

describe('announcement state on the report page', () => {
  it('shows a deploy that could not be announced, with the reason, and one that was', async () => {
    await start({ auth: { mode: 'off' } });
    const sha = makeReport().headSha;
    const base = {
      repo: FIXTURE_REPO,
      fromSha: fakeSha('before'),
      toSha: sha,
      rollback: false,
      ticketKeys: ['PAY-1'],
      messageTs: null,
      attempts: 3,
      leaseUntil: null,
      createdAt: '2024-05-02T10:00:00.000Z',
      updatedAt: '2024-05-02T10:05:00.000Z',
    };
    store.addAnnouncement({
      ...base,
      channel: 'C-BROKEN',
      state: 'failed',
      lastError: 'Slack error channel_not_found',
      nextAttemptAt: '2024-05-02T16:05:00.000Z',
    });
    store.addAnnouncement({ ...base, channel: 'C-DEPLOYS', state: 'posted', lastError: null, nextAttemptAt: null, messageTs: '1.2' });
    const page = await (await get(`/deploys/acme/payments/${sha}`)).text();
    expect(page).toContain('not announced: Slack error channel_not_found (next attempt 2024-05-02T16:05:00.000Z)');
    expect(page).toContain('deploy announced in C-DEPLOYS');
  });
});
