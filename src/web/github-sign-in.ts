/**
 * Sign-in with GitHub (OAuth web flow with the GitHub App's client id/secret) and sign-out.
 *
 * - /login remembers a same-site `next` path in the signed OAuth-state cookie and sends the visitor to GitHub.
 * - /login/callback checks the state, exchanges the code, asks GitHub who the user is and starts a server-side
 *   session (web-sessions.ts), then redirects to `next`.
 * - GET /logout shows a sign-out form; POST /logout (same site, CSRF token) revokes the session server-side, so
 *   the old cookie stops working everywhere at once.
 */
import { exchangeCode, fetchUser, authorizeUrl } from './github-user-auth.js';
import { acceptFormPost } from './form-post-guard.js';
import { html } from './html.js';
import { redirect, sendHtml } from './http-io.js';
import { renderMessagePage } from './page-layout.js';
import type { RouteHandler } from './route-request.js';
import { constantTimeEqual, parseCookies, randomId } from './session-cookie.js';

const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
const DEFAULT_SESSION_TTL_MS = 8 * 3600 * 1000;
const FALLBACK_NEXT = '/deploys';

/**
 * A same-site path to return to after sign-in, safe to put in a Location header: anything that is not a plain
 * local path becomes /deploys, and characters outside printable ASCII are percent-encoded (a Location header
 * cannot carry them).
 */
export function safeNextPath(next: string | null): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return FALLBACK_NEXT;
  }
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return FALLBACK_NEXT;
  try {
    // encodeURIComponent throws on a lone surrogate: such a path falls back too.
    return next.replace(/[^\u0021-\u007e]/gu, (char) => encodeURIComponent(char));
  } catch {
    return FALLBACK_NEXT;
  }
}

const stateCookieName = (https: boolean): string => (https ? '__Host-dc_oauth_state' : 'dc_oauth_state');

export const login: RouteHandler = (ctx, { res, url }) => {
  const { auth } = ctx.deps;
  const next = safeNextPath(url.searchParams.get('next'));
  if (auth.mode === 'off') return redirect(res, 302, next);
  const state = randomId();
  const value = ctx.sessions.codec.encodeState({ state, next, expiresAt: ctx.now().getTime() + OAUTH_STATE_TTL_MS });
  res.appendHeader('Set-Cookie', ctx.sessions.cookie(stateCookieName(ctx.https), value, OAUTH_STATE_TTL_MS));
  redirect(res, 302, authorizeUrl(auth, auth.clientId, `${ctx.publicBase}/login/callback`, state));
};

export const loginCallback: RouteHandler = async (ctx, { req, res, url }) => {
  const { auth } = ctx.deps;
  if (auth.mode === 'off') return redirect(res, 302, FALLBACK_NEXT);
  const stateCookie = stateCookieName(ctx.https);
  const saved = ctx.sessions.codec.decodeState(parseCookies(req.headers.cookie).get(stateCookie), ctx.now().getTime());
  res.appendHeader('Set-Cookie', ctx.sessions.cookie(stateCookie, '', 0));
  const state = url.searchParams.get('state');
  const retry = html`<p><a href="/login">Sign in again</a></p>`;
  if (!saved || !state || !constantTimeEqual(state, saved.state)) {
    return sendHtml(
      req,
      res,
      400,
      renderMessagePage(ctx.pageContext(null), 'Sign-in expired', html`<p>The sign-in took too long or was started in another window.</p>${retry}`),
    );
  }
  const code = url.searchParams.get('code');
  if (url.searchParams.has('error') || !code) {
    return sendHtml(req, res, 403, renderMessagePage(ctx.pageContext(null), 'Not signed in', html`<p>GitHub did not sign you in.</p>${retry}`));
  }
  const fetchFn = ctx.deps.fetch ?? globalThis.fetch;
  let user: { login: string; token: string; ttlMs: number };
  try {
    const token = await exchangeCode(fetchFn, auth, auth, code, `${ctx.publicBase}/login/callback`);
    const { login: userLogin } = await fetchUser(fetchFn, auth, token.accessToken);
    const sessionTtlMs = ctx.deps.options?.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    const ttlMs = Math.min(sessionTtlMs, token.expiresInSeconds === null ? Infinity : token.expiresInSeconds * 1000);
    user = { login: userLogin, token: token.accessToken, ttlMs };
  } catch (err) {
    ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'GitHub sign-in failed');
    return sendHtml(req, res, 502, renderMessagePage(ctx.pageContext(null), 'Sign-in failed', html`<p>GitHub could not confirm the sign-in.</p>${retry}`));
  }
  await ctx.sessions.start(res, user);
  ctx.log.info({ user: user.login }, 'signed in');
  // Checked again here: a state cookie signed before this rule existed may still carry a raw path.
  redirect(res, 303, safeNextPath(saved.next));
};

const signedOutPage = html`<p>You are signed out.</p><p><a href="/login">Sign in</a></p>`;

/** GET /logout: a form that POSTs the sign-out (a link or an image must not be able to sign anyone out). */
export const logoutPage: RouteHandler = async (ctx, { req, res }) => {
  const session = await ctx.sessions.read(req);
  if (!session?.login) {
    return sendHtml(req, res, 200, renderMessagePage(ctx.pageContext(null), 'Signed out', signedOutPage));
  }
  const form = html`<form method="post" action="/logout"><input type="hidden" name="csrf" value="${ctx.sessions.codec.csrfToken(session)}"><button class="primary" type="submit">Sign out</button></form>`;
  sendHtml(req, res, 200, renderMessagePage(ctx.pageContext(session), 'Sign out', html`<p>Sign out of deploy-checker on this browser?</p>${form}`));
};

/** POST /logout: revokes the session server-side and deletes the cookie. */
export const logout: RouteHandler = async (ctx, { req, res }) => {
  const session = await ctx.sessions.read(req);
  if (!session?.login) {
    ctx.sessions.clearCookie(res);
    return sendHtml(req, res, 200, renderMessagePage(ctx.pageContext(null), 'Signed out', signedOutPage));
  }
  if (!(await acceptFormPost(ctx, req, res, session, 'logout'))) return;
  await ctx.sessions.revoke(res, session);
  ctx.log.info({ user: session.login }, 'signed out');
  sendHtml(req, res, 200, renderMessagePage(ctx.pageContext(null), 'Signed out', signedOutPage));
};
