/**
 * The web side of deploy-checker as one Node request handler (for Probot's `addHandler`): report pages, GitHub
 * sign-in, the re-check button and the JIRA webhook. It answers the paths in its route table (web-routes.ts) and
 * returns false for every other path, so that Probot's handlers run.
 *
 * One module per concern: routes (web-routes.ts), pages (report-pages.ts), sign-in and sign-out
 * (github-sign-in.ts, web-sessions.ts), re-check (recheck-action.ts), JIRA webhook (jira-webhook-route.ts), form
 * POST rules (form-post-guard.ts), body limits (request-limits.ts), security headers (security-headers.ts; the
 * front handler in front-handler.ts sets them on Probot's routes too).
 *
 * Access: with auth mode 'github' a visitor signs in with GitHub and sees a repository only when GitHub says
 * their token can read it (asked per session and repository, cached for a few minutes). A repository they
 * cannot read gets the same 404 page as one that does not exist. With mode 'off' everything is visible.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { prefersJson, redirect } from './http-io.js';
import { setSecurityHeaders } from './security-headers.js';
import { createWebContext, SignedOutError } from './web-context.js';
import type { WebHandlerDeps } from './web-deps.js';
import { matchRoute, webRoutes } from './web-routes.js';

export type { WebAuthConfig } from './web-auth-config.js';
export type { RecheckLimits, WebHandlerDeps, WebHandlerOptions, WebReportStore } from './web-deps.js';

export interface WebHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** True when WEB_AUTH=off: the caller should log a warning at start (see webAuthWarning). */
  readonly authDisabled: boolean;
}

export function createWebHandler(deps: WebHandlerDeps): WebHandler {
  const ctx = createWebContext(deps);
  const routes = webRoutes();

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    // Slack interactions (slack-interactions-route.ts) answer their own path, before the route table.
    if (deps.slackInteractions && (await deps.slackInteractions(req, res))) return true;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://web-handler.invalid');
    } catch {
      return false;
    }
    const method = req.method ?? 'GET';
    const matched = matchRoute(routes, method, url.pathname);
    if (!matched) return false;
    setSecurityHeaders(res, { https: ctx.https });
    try {
      if (matched.kind === 'method-not-allowed') {
        res.setHeader('Allow', matched.allow.join(', '));
        ctx.sendError(req, res, null, 405, 'Method not allowed', 'This address does not take that method.', false);
        return true;
      }
      await matched.route.handle(ctx, { req, res, url, params: matched.params });
    } catch (err) {
      if (err instanceof SignedOutError) {
        if (!res.headersSent) {
          const session = await ctx.sessions.read(req).catch(() => null);
          if (session) await ctx.sessions.revoke(res, session).catch(() => ctx.sessions.clearCookie(res));
          else ctx.sessions.clearCookie(res);
          if (method === 'GET' || method === 'HEAD') redirect(res, 302, `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
          else ctx.sendError(req, res, null, 401, 'Sign in', 'Your GitHub sign-in expired. Sign in again.', false);
        }
        return true;
      }
      ctx.log.error({ err, path: url.pathname, method }, 'web request failed');
      if (!res.headersSent) {
        const isJson = url.pathname === '/jira/webhook' || url.pathname.endsWith('.json') || prefersJson(req.headers.accept);
        ctx.sendError(req, res, null, 500, 'Something went wrong', 'The page could not be made right now. Try again in a moment.', isJson);
      } else {
        res.destroy();
      }
    }
    return true;
  };

  return Object.assign(handler, { authDisabled: deps.auth.mode === 'off' });
}
