/**
 * What every route shares, built once per handler (no module-level state): dependencies, sessions, the GitHub
 * access check and the common answers (404, error pages, "sign in first").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import { createRepoAccessChecker, type RepoAccess, type RepoAccessChecker } from './github-user-auth.js';
import { html } from './html.js';
import { redirect, sendHtml, sendJson } from './http-io.js';
import { renderMessagePage, type PageContext } from './page-layout.js';
import type { WebHandlerDeps } from './web-deps.js';
import { createWebSessions, type WebSession, type WebSessions } from './web-sessions.js';

const ACCESS_CHECK_CONCURRENCY = 8;

/** GitHub answered 401 for the session's token: the handler signs the visitor out. */
export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';
}

export interface WebContext {
  readonly deps: WebHandlerDeps;
  readonly log: Logger;
  now(): Date;
  readonly https: boolean;
  readonly publicUrl: URL;
  /** Public base URL without a trailing slash. */
  readonly publicBase: string;
  readonly sessions: WebSessions;
  pageContext(session: WebSession | null): PageContext;
  notFound(req: IncomingMessage, res: ServerResponse, session: WebSession | null, json: boolean): void;
  sendError(req: IncomingMessage, res: ServerResponse, session: WebSession | null, status: number, title: string, message: string, json: boolean): void;
  /**
   * The visitor's session, or null after answering (redirect to sign-in, or 401 for JSON and POST). With
   * WEB_AUTH=off an anonymous session is created on the fly.
   */
  requireSession(req: IncomingMessage, res: ServerResponse, url: URL, json: boolean): Promise<WebSession | null>;
  canRead(session: WebSession, repo: RepoRef): Promise<boolean>;
  /** Push (write) access, as the `/deploy-checker recheck` comment command requires. Always true with WEB_AUTH=off. */
  canWrite(session: WebSession, repo: RepoRef): Promise<boolean>;
  readableFilter<T>(session: WebSession, items: readonly T[], repoOf: (item: T) => RepoRef): Promise<T[]>;
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

export function createWebContext(deps: WebHandlerDeps): WebContext {
  const log = deps.logger.child({ component: 'web' });
  const now = deps.now ?? (() => new Date());
  const publicUrl = new URL(deps.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const { auth } = deps;
  const sessions = createWebSessions({ store: deps.store, auth, https, now });
  const access: RepoAccessChecker | null =
    auth.mode === 'github'
      ? createRepoAccessChecker({
          fetch: deps.fetch ?? globalThis.fetch,
          endpoints: auth,
          ttlMs: deps.options?.accessCacheTtlMs ?? 5 * 60 * 1000,
          maxEntries: 10_000,
          now: () => now().getTime(),
        })
      : null;

  const pageContext = (session: WebSession | null): PageContext => ({
    user: session?.login ? { login: session.login } : null,
    authEnabled: auth.mode === 'github',
  });

  const sendError: WebContext['sendError'] = (req, res, session, status, title, message, json) => {
    if (json) sendJson(req, res, status, { error: message });
    else sendHtml(req, res, status, renderMessagePage(pageContext(session), title, html`<p>${message}</p>`));
  };

  const accessOf = async (session: WebSession, repo: RepoRef): Promise<RepoAccess> => {
    if (!access) return 'writable';
    const answer = await access.check(session.sid, session.token ?? '', repo);
    if (answer === 'signed-out') throw new SignedOutError('GitHub no longer accepts the session token');
    return answer;
  };
  const canRead = async (session: WebSession, repo: RepoRef): Promise<boolean> => (await accessOf(session, repo)) !== 'hidden';

  return {
    deps,
    log,
    now,
    https,
    publicUrl,
    publicBase: deps.publicUrl.replace(/\/+$/, ''),
    sessions,
    pageContext,
    sendError,
    notFound(req, res, session, json) {
      if (json) sendJson(req, res, 404, { error: 'not found' });
      else
        sendHtml(
          req,
          res,
          404,
          renderMessagePage(
            pageContext(session),
            'Not found',
            html`<p>There is no such page, or you cannot see it.</p><p><a href="/deploys">All repositories</a></p>`,
          ),
        );
    },
    async requireSession(req, res, url, json) {
      if (auth.mode === 'off') return sessions.anonymous(req, res);
      const session = await sessions.read(req);
      if (session?.token && session.login) return session;
      if (json || req.method === 'POST') {
        sendError(req, res, null, 401, 'Sign in', 'Sign in first.', json);
      } else {
        redirect(res, 302, `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
      }
      return null;
    },
    canRead,
    async canWrite(session, repo) {
      return (await accessOf(session, repo)) === 'writable';
    },
    async readableFilter(session, items, repoOf) {
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
    },
  };
}
