/**
 * The web side of deploy-checker as one Node request handler (for Probot's `addHandler`): report pages, GitHub
 * sign-in, the re-check button and the JIRA webhook. It answers the paths it owns (/deploys…, /tickets…,
 * /login…, /logout, /jira/webhook) and returns false for every other path, so that Probot's handlers run.
 *
 * Access: with auth mode 'github' a visitor signs in with GitHub and sees a repository only when GitHub says
 * their token can read it (asked per session and repository, cached for a few minutes). A repository they
 * cannot read gets the same 404 page as one that does not exist. With mode 'off' everything is visible.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import { reportPath } from '../core/report-path.js';
import type { ReportListItem, ReportStore, RepoSummary } from '../store/report-store.js';
import {
  authorizeUrl,
  createRepoAccessChecker,
  exchangeCode,
  fetchUser,
  type RepoAccessChecker,
} from './github-user-auth.js';
import { html } from './html.js';
import { prefersJson, readBody, redirect, sendHtml, sendJson, setSecurityHeaders } from './http-io.js';
import { isFresh, isJiraKeyShape, JIRA_FRESHNESS_WINDOW_MS, JIRA_TICKET_EVENTS, jiraDeliveryKeys, parseJiraWebhook, verifyJiraSignature } from './jira-webhook.js';
import { renderMessagePage, type PageContext } from './page-layout.js';
import { renderHistoryPage, renderRepositoriesPage } from './render-list-pages.js';
import { RECHECK_NOTICES, renderReportPage, type RecheckNotice } from './render-report-page.js';
import { describeAnnouncementState } from '../core/slack-announcement/announcement-retry-policy.js';
import { productionStatusByRepo, renderTicketPage } from './render-ticket-page.js';
import {
  constantTimeEqual,
  createCookieCodec,
  parseCookies,
  randomId,
  serializeCookie,
  type WebSession,
} from './session-cookie.js';
import type { WebAuthConfig } from './web-auth-config.js';

export type { WebAuthConfig } from './web-auth-config.js';

/** The store methods the web pages use. */
export type WebReportStore = Pick<
  ReportStore,
  | 'getReport'
  | 'listRepositories'
  | 'listReports'
  | 'reportsForTicket'
  | 'announcementsForTicket'
  | 'announcementsForSha'
  | 'recordJiraDelivery'
>;

export interface WebHandlerOptions {
  /** Reports per history page. Default 50. */
  readonly pageSize?: number;
  /** How long "Re-check now" waits for the re-check before redirecting anyway. Default 25 s. */
  readonly recheckTimeoutMs?: number;
  /** How long a "can this visitor read this repository" answer is kept. Default 5 min. */
  readonly accessCacheTtlMs?: number;
  /** Session lifetime (capped by the GitHub token's own expiry). Default 8 h. */
  readonly sessionTtlMs?: number;
  /** Largest accepted JIRA webhook body. Default 1 MiB. */
  readonly maxWebhookBodyBytes?: number;
}

export interface WebHandlerDeps {
  readonly store: WebReportStore;
  readonly auth: WebAuthConfig;
  /** The app's public base URL, e.g. https://deploys.example.com (its scheme decides the cookies' Secure flag). */
  readonly publicUrl: string;
  /** JIRA_WEBHOOK_SECRET; null disables POST /jira/webhook (404). */
  readonly jiraWebhookSecret: string | null;
  /** Re-evaluates a deploy and stores the new report. */
  recheck(repo: RepoRef, sha: string): Promise<void>;
  /** Called (not awaited) for each accepted JIRA ticket change. */
  onTicketChanged(key: string): void;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly options?: WebHandlerOptions;
}

export interface WebHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** True when WEB_AUTH=off: the caller should log a warning at start (see webAuthWarning). */
  readonly authDisabled: boolean;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SHA = /^[0-9a-fA-F]{4,64}$/;
const PAGE = /^[1-9][0-9]{0,5}$/;
const RECHECK_BODY_LIMIT = 16 * 1024;
const ACCESS_CHECK_CONCURRENCY = 8;
const ANONYMOUS_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

class SignedOutError extends Error {
  override readonly name = 'SignedOutError';
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function parseRepo(ownerSegment: string, repoSegment: string): RepoRef | null {
  const owner = decodeSegment(ownerSegment);
  const repo = decodeSegment(repoSegment);
  if (owner === null || repo === null || !OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    return null;
  }
  return { owner, repo };
}

/** A same-site path to return to after sign-in, or /deploys. */
function safeNextPath(next: string | null): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/deploys';
  }
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/deploys';
  return next;
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function createWebHandler(deps: WebHandlerDeps): WebHandler {
  const log = deps.logger.child({ component: 'web' });
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const now = deps.now ?? (() => new Date());
  const pageSize = deps.options?.pageSize ?? 50;
  const recheckTimeoutMs = deps.options?.recheckTimeoutMs ?? 25_000;
  const sessionTtlMs = deps.options?.sessionTtlMs ?? 8 * 3600 * 1000;
  const maxWebhookBody = deps.options?.maxWebhookBodyBytes ?? 1024 * 1024;
  const publicUrl = new URL(deps.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const publicBase = deps.publicUrl.replace(/\/+$/, '');
  const { auth } = deps;
  // Off mode has no configured secret: anonymous sessions (which only carry the CSRF token) use a per-process key.
  const codec = createCookieCodec(auth.mode === 'github' ? auth.sessionSecret : randomBytes(32));
  const sessionCookie = https ? '__Host-dc_session' : 'dc_session';
  const stateCookie = https ? '__Host-dc_oauth_state' : 'dc_oauth_state';
  const access: RepoAccessChecker | null =
    auth.mode === 'github'
      ? createRepoAccessChecker({
          fetch: fetchFn,
          endpoints: auth,
          ttlMs: deps.options?.accessCacheTtlMs ?? 5 * 60 * 1000,
          maxEntries: 10_000,
          now: () => now().getTime(),
        })
      : null;
  const rechecksInFlight = new Map<string, Promise<void>>();

  const cookie = (name: string, value: string, maxAgeMs: number): string =>
    serializeCookie(name, value, { maxAge: maxAgeMs / 1000, path: '/', secure: https, sameSite: 'Lax' });

  const readSession = (req: IncomingMessage): WebSession | null =>
    codec.decodeSession(parseCookies(req.headers.cookie).get(sessionCookie), now().getTime());

  const pageContext = (session: WebSession | null): PageContext => ({
    user: session?.login ? { login: session.login } : null,
    authEnabled: auth.mode === 'github',
  });

  const notFound = (req: IncomingMessage, res: ServerResponse, session: WebSession | null, json: boolean): void => {
    if (json) sendJson(req, res, 404, { error: 'not found' });
    else sendHtml(req, res, 404, renderMessagePage(pageContext(session), 'Not found', html`<p>There is no such page, or you cannot see it.</p><p><a href="/deploys">All repositories</a></p>`));
  };

  const sendError = (req: IncomingMessage, res: ServerResponse, session: WebSession | null, status: number, title: string, message: string, json: boolean): void => {
    if (json) sendJson(req, res, status, { error: message });
    else sendHtml(req, res, status, renderMessagePage(pageContext(session), title, html`<p>${message}</p>`));
  };

  /**
   * The visitor's session, or null after answering (redirect to sign-in, or 401 for JSON and POST). In off mode
   * an anonymous session is created on the fly.
   */
  const requireSession = (req: IncomingMessage, res: ServerResponse, url: URL, json: boolean): WebSession | null => {
    const session = readSession(req);
    if (auth.mode === 'off') {
      if (session) return session;
      const anonymous: WebSession = { sid: randomId(), login: null, token: null, expiresAt: now().getTime() + ANONYMOUS_SESSION_TTL_MS };
      res.appendHeader('Set-Cookie', cookie(sessionCookie, codec.encodeSession(anonymous), ANONYMOUS_SESSION_TTL_MS));
      return anonymous;
    }
    if (session?.token && session.login) return session;
    if (json || req.method === 'POST') {
      sendError(req, res, null, 401, 'Sign in', 'Sign in first.', json);
    } else {
      redirect(res, 302, `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
    }
    return null;
  };

  const canRead = async (session: WebSession, repo: RepoRef): Promise<boolean> => {
    if (!access) return true;
    const answer = await access.check(session.sid, session.token ?? '', repo);
    if (answer === 'signed-out') throw new SignedOutError('GitHub no longer accepts the session token');
    return answer === 'readable';
  };

  const readableFilter = async <T>(session: WebSession, items: readonly T[], repoOf: (item: T) => RepoRef): Promise<T[]> => {
    if (!access) return [...items];
    const repos = new Map<string, RepoRef>();
    for (const item of items) {
      const repo = repoOf(item);
      repos.set(`${repo.owner}/${repo.repo}`.toLowerCase(), repo);
    }
    const keys = [...repos.keys()];
    const answers = await mapWithConcurrency(keys, ACCESS_CHECK_CONCURRENCY, (key) => canRead(session, repos.get(key) as RepoRef));
    const readable = new Set(keys.filter((_, i) => answers[i]));
    return items.filter((item) => {
      const repo = repoOf(item);
      return readable.has(`${repo.owner}/${repo.repo}`.toLowerCase());
    });
  };

  // ---- pages -------------------------------------------------------------------------------------------------

  const repositoriesPage = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const session = requireSession(req, res, url, false);
    if (!session) return;
    const repos = await readableFilter<RepoSummary>(session, await deps.store.listRepositories(), (r) => r.repo);
    sendHtml(req, res, 200, renderRepositoriesPage(repos, { ...pageContext(session), now: now() }));
  };

  const historyPage = async (req: IncomingMessage, res: ServerResponse, url: URL, repo: RepoRef): Promise<void> => {
    const session = requireSession(req, res, url, false);
    if (!session) return;
    if (!(await canRead(session, repo))) return notFound(req, res, session, false);
    const pageParam = url.searchParams.get('page');
    const page = pageParam !== null && PAGE.test(pageParam) ? Number(pageParam) : 1;
    const { items, total } = await deps.store.listReports(repo, { limit: pageSize, offset: (page - 1) * pageSize });
    if (total === 0 && items.length === 0) return notFound(req, res, session, false);
    sendHtml(req, res, 200, renderHistoryPage({ repo, items, total, page, pageSize }, { ...pageContext(session), now: now() }));
  };

  const reportPage = async (req: IncomingMessage, res: ServerResponse, url: URL, repo: RepoRef, shaSegment: string): Promise<void> => {
    const suffixJson = shaSegment.endsWith('.json');
    const sha = suffixJson ? shaSegment.slice(0, -'.json'.length) : shaSegment;
    const json = suffixJson || prefersJson(req.headers.accept);
    res.setHeader('Vary', 'Accept, Cookie');
    const session = requireSession(req, res, url, json);
    if (!session) return;
    if (!SHA.test(sha) || !(await canRead(session, repo))) return notFound(req, res, session, json);
    const report = await deps.store.getReport(repo, sha.toLowerCase());
    if (!report) return notFound(req, res, session, json);
    if (json) return sendJson(req, res, 200, report);
    const noticeParam = url.searchParams.get('recheck');
    const notice = RECHECK_NOTICES.find((n) => n === noticeParam) ?? null;
    const announcements = (await deps.store.announcementsForSha(repo, report.deploySha)).map((a) => ({
      state: a.state,
      text: describeAnnouncementState(a),
      at: a.updatedAt,
    }));
    sendHtml(
      req,
      res,
      200,
      renderReportPage(report, { ...pageContext(session), csrfToken: codec.csrfToken(session), notice, now: now(), announcements }),
    );
  };

  const ticketPage = async (req: IncomingMessage, res: ServerResponse, url: URL, keySegment: string): Promise<void> => {
    const session = requireSession(req, res, url, false);
    if (!session) return;
    const decoded = decodeSegment(keySegment);
    if (decoded === null || !isJiraKeyShape(decoded)) return notFound(req, res, session, false);
    const key = decoded.toUpperCase();
    const [allReports, allAnnouncements] = await Promise.all([
      deps.store.reportsForTicket(key),
      deps.store.announcementsForTicket(key),
    ]);
    const reports = await readableFilter<ReportListItem>(session, allReports, (r) => r.repo);
    const announcements = await readableFilter(session, allAnnouncements, (a) => a.repo);
    let snapshot = null;
    for (const item of reports.slice(0, 5)) {
      const report = await deps.store.getReport(item.repo, item.deploySha);
      const ticket = report?.tickets.find((t) => t.key.toUpperCase() === key)?.ticket;
      if (report && ticket) {
        snapshot = { ticket, evaluatedAt: report.evaluatedAt };
        break;
      }
    }
    const production = productionStatusByRepo(key, announcements);
    sendHtml(req, res, 200, renderTicketPage({ key, snapshot, reports, production }, { ...pageContext(session), now: now() }));
  };

  // ---- re-check ----------------------------------------------------------------------------------------------

  /** Same-origin check from Sec-Fetch-Site and Origin, when the browser sends them. */
  const sameOriginRequest = (req: IncomingMessage): boolean => {
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      if (origin === publicUrl.origin) return true;
      try {
        return new URL(origin).host === req.headers.host;
      } catch {
        return false;
      }
    }
    return true;
  };

  const runRecheck = (repo: RepoRef, sha: string): Promise<void> => {
    const key = `${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
    const running = rechecksInFlight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(() => deps.recheck(repo, sha))
      .finally(() => rechecksInFlight.delete(key));
    rechecksInFlight.set(key, started);
    return started;
  };

  const recheckAction = async (req: IncomingMessage, res: ServerResponse, url: URL, repo: RepoRef, sha: string): Promise<void> => {
    const session = requireSession(req, res, url, false);
    if (!session) return;
    if (!sameOriginRequest(req)) {
      log.warn({ repo, origin: req.headers.origin, secFetchSite: req.headers['sec-fetch-site'] }, 'cross-site re-check refused');
      return sendError(req, res, session, 403, 'Refused', 'This form must be sent from this site.', false);
    }
    const body = await readBody(req, RECHECK_BODY_LIMIT);
    if (!body.ok) {
      res.setHeader('Connection', 'close');
      return sendError(req, res, session, 413, 'Too large', 'The form is too large.', false);
    }
    const form = new URLSearchParams(body.body.toString('utf8'));
    if (!codec.verifyCsrfToken(session, form.get('csrf') ?? undefined)) {
      log.warn({ repo, sha }, 're-check refused: missing or wrong CSRF token');
      return sendError(req, res, session, 403, 'Refused', 'The form expired or did not come from this site. Reload the page and try again.', false);
    }
    if (!SHA.test(sha) || !(await canRead(session, repo))) return notFound(req, res, session, false);
    const report = await deps.store.getReport(repo, sha.toLowerCase());
    if (!report) return notFound(req, res, session, false);
    const target = reportPath(report.repo, report.deploySha);
    log.info({ repo: report.repo, sha: report.deploySha, user: session.login }, 're-check requested');
    let notice: RecheckNotice;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), recheckTimeoutMs);
      });
      const outcome = await Promise.race([runRecheck(report.repo, report.deploySha).then(() => 'done' as const), timedOut]);
      notice = outcome === 'done' ? 'done' : 'running';
    } catch (err) {
      log.error({ err, repo: report.repo, sha: report.deploySha }, 're-check failed');
      notice = 'failed';
    } finally {
      clearTimeout(timer);
    }
    redirect(res, 303, `${target}?recheck=${notice}`);
  };

  // ---- sign-in -----------------------------------------------------------------------------------------------

  const redirectUri = `${publicBase}/login/callback`;

  const login = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const next = safeNextPath(url.searchParams.get('next'));
    if (auth.mode === 'off') return redirect(res, 302, next);
    const state = randomId();
    res.appendHeader('Set-Cookie', cookie(stateCookie, codec.encodeState({ state, next, expiresAt: now().getTime() + OAUTH_STATE_TTL_MS }), OAUTH_STATE_TTL_MS));
    redirect(res, 302, authorizeUrl(auth, auth.clientId, redirectUri, state));
  };

  const loginCallback = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (auth.mode === 'off') return redirect(res, 302, '/deploys');
    const saved = codec.decodeState(parseCookies(req.headers.cookie).get(stateCookie), now().getTime());
    res.appendHeader('Set-Cookie', cookie(stateCookie, '', 0));
    const state = url.searchParams.get('state');
    const retry = html`<p><a href="/login">Sign in again</a></p>`;
    if (!saved || !state || !constantTimeEqual(state, saved.state)) {
      return sendHtml(req, res, 400, renderMessagePage(pageContext(null), 'Sign-in expired', html`<p>The sign-in took too long or was started in another window.</p>${retry}`));
    }
    const code = url.searchParams.get('code');
    if (url.searchParams.has('error') || !code) {
      return sendHtml(req, res, 403, renderMessagePage(pageContext(null), 'Not signed in', html`<p>GitHub did not sign you in.</p>${retry}`));
    }
    let session: WebSession;
    try {
      const token = await exchangeCode(fetchFn, auth, auth, code, redirectUri);
      const user = await fetchUser(fetchFn, auth, token.accessToken);
      const ttl = Math.min(sessionTtlMs, token.expiresInSeconds === null ? Infinity : token.expiresInSeconds * 1000);
      session = { sid: randomId(), login: user.login, token: token.accessToken, expiresAt: now().getTime() + ttl };
      log.info({ user: user.login }, 'signed in');
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'GitHub sign-in failed');
      return sendHtml(req, res, 502, renderMessagePage(pageContext(null), 'Sign-in failed', html`<p>GitHub could not confirm the sign-in.</p>${retry}`));
    }
    res.appendHeader('Set-Cookie', cookie(sessionCookie, codec.encodeSession(session), session.expiresAt - now().getTime()));
    redirect(res, 303, saved.next);
  };

  const logout = (req: IncomingMessage, res: ServerResponse): void => {
    res.appendHeader('Set-Cookie', cookie(sessionCookie, '', 0));
    sendHtml(req, res, 200, renderMessagePage({ user: null, authEnabled: auth.mode === 'github' }, 'Signed out', html`<p>You are signed out.</p><p><a href="/login">Sign in</a></p>`));
  };

  // ---- JIRA webhook ------------------------------------------------------------------------------------------

  const jiraWebhook = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const deliveryId = typeof req.headers['x-atlassian-webhook-identifier'] === 'string' ? req.headers['x-atlassian-webhook-identifier'] : null;
    if (deps.jiraWebhookSecret === null) return sendJson(req, res, 404, { error: 'JIRA webhook not configured' });
    const body = await readBody(req, maxWebhookBody);
    if (!body.ok) {
      res.setHeader('Connection', 'close');
      log.warn({ deliveryId }, 'JIRA webhook body too large');
      return sendJson(req, res, 413, { error: 'body too large' });
    }
    const signature = req.headers['x-hub-signature'];
    if (!verifyJiraSignature(deps.jiraWebhookSecret, body.body, typeof signature === 'string' ? signature : undefined)) {
      log.warn({ deliveryId, signed: typeof signature === 'string' }, 'JIRA webhook refused: missing or wrong signature');
      return sendJson(req, res, 401, { error: 'bad signature' });
    }
    const parsed = parseJiraWebhook(body.body);
    if (!parsed.ok) {
      log.warn({ deliveryId, reason: parsed.reason }, 'JIRA webhook refused: bad payload');
      return sendJson(req, res, 400, { error: parsed.reason });
    }
    if (!isFresh(parsed.timestamp, now(), JIRA_FRESHNESS_WINDOW_MS)) {
      log.warn({ deliveryId, timestamp: parsed.timestamp, now: now().getTime() }, 'JIRA webhook refused: timestamp outside the freshness window (replayed or clock skew)');
      return sendJson(req, res, 400, { error: 'stale timestamp' });
    }
    if (parsed.event !== null && !JIRA_TICKET_EVENTS.has(parsed.event)) {
      return sendJson(req, res, 200, { ignored: parsed.event });
    }
    if (!(await deps.store.recordJiraDelivery(jiraDeliveryKeys(req.headers, body.body), now()))) {
      log.info({ deliveryId, key: parsed.key }, 'JIRA webhook duplicate ignored');
      return sendJson(req, res, 200, { duplicate: true });
    }
    log.info({ deliveryId, key: parsed.key, event: parsed.event }, 'JIRA ticket changed');
    try {
      deps.onTicketChanged(parsed.key);
    } catch (err) {
      log.error({ err, key: parsed.key }, 'onTicketChanged threw');
    }
    sendJson(req, res, 202, { accepted: parsed.key });
  };

  // ---- routing -----------------------------------------------------------------------------------------------

  type Route = { methods: readonly string[]; run: () => Promise<void> | void };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL): Route | null => {
    const path = url.pathname;
    const get = ['GET', 'HEAD'];
    if (path === '/jira/webhook') return { methods: ['POST'], run: () => jiraWebhook(req, res) };
    if (path === '/login') return { methods: get, run: () => login(req, res, url) };
    if (path === '/login/callback') return { methods: get, run: () => loginCallback(req, res, url) };
    if (path === '/logout') return { methods: [...get, 'POST'], run: () => logout(req, res) };
    if (path === '/tickets' || path === '/tickets/') {
      return {
        methods: get,
        run: () => {
          const key = (url.searchParams.get('key') ?? '').trim();
          redirect(res, 303, isJiraKeyShape(key) ? `/tickets/${encodeURIComponent(key.toUpperCase())}` : '/deploys');
        },
      };
    }
    const parts = path.split('/').slice(1);
    if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop(); // one trailing slash
    const [top, a, b, c, d, ...rest] = parts;
    if (top === 'tickets' && a !== undefined && b === undefined) return { methods: get, run: () => ticketPage(req, res, url, a) };
    if (top !== 'deploys') return top === 'tickets' ? { methods: get, run: () => notFound(req, res, readSession(req), false) } : null;
    if (a === undefined) return { methods: get, run: () => repositoriesPage(req, res, url) };
    const repo = b === undefined || rest.length > 0 ? null : parseRepo(a, b);
    if (!repo) return { methods: get, run: () => notFound(req, res, readSession(req), false) };
    if (c === undefined) return { methods: get, run: () => historyPage(req, res, url, repo) };
    const sha = decodeSegment(c) ?? '';
    if (d === undefined) return { methods: get, run: () => reportPage(req, res, url, repo, sha) };
    if (d === 'recheck') return { methods: ['POST'], run: () => recheckAction(req, res, url, repo, sha) };
    return { methods: get, run: () => notFound(req, res, readSession(req), false) };
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://web-handler.invalid');
    } catch {
      return false;
    }
    const matched = route(req, res, url);
    if (!matched) return false;
    setSecurityHeaders(res, { https });
    const method = req.method ?? 'GET';
    if (!matched.methods.includes(method)) {
      res.setHeader('Allow', matched.methods.join(', '));
      sendError(req, res, readSession(req), 405, 'Method not allowed', 'This address does not take that method.', false);
      return true;
    }
    try {
      await matched.run();
    } catch (err) {
      if (err instanceof SignedOutError) {
        if (!res.headersSent) {
          res.appendHeader('Set-Cookie', cookie(sessionCookie, '', 0));
          if (method === 'GET' || method === 'HEAD') redirect(res, 302, `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
          else sendError(req, res, null, 401, 'Sign in', 'Your GitHub sign-in expired. Sign in again.', false);
        }
        return true;
      }
      log.error({ err, path: url.pathname, method }, 'web request failed');
      if (!res.headersSent) {
        const isJson = url.pathname === '/jira/webhook' || url.pathname.endsWith('.json') || prefersJson(req.headers.accept);
        sendError(req, res, null, 500, 'Something went wrong', 'The page could not be made right now. Try again in a moment.', isJson);
      } else {
        res.destroy();
      }
    }
    return true;
  };

  return Object.assign(handler, { authDisabled: auth.mode === 'off' });
}
