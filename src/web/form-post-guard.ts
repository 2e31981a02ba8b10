/**
 * The one rule every HTML form POST (re-check, sign-out) passes before it acts: sent from this site (Sec-Fetch-Site
 * and Origin, when the browser sends them), a body within BODY_LIMITS.form, and the session's CSRF token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY_LIMITS, readLimitedBody, refuseTooLarge } from './request-limits.js';
import type { WebContext } from './web-context.js';
import type { WebSession } from './web-sessions.js';

/** Same-origin check from Sec-Fetch-Site and Origin, when the browser sends them. */
function sameOriginRequest(req: IncomingMessage, publicOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    if (origin === publicOrigin) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  return true;
}

/** The form's fields, or null after answering 403 / 413. `what` names the action in logs. */
export async function acceptFormPost(
  ctx: WebContext,
  req: IncomingMessage,
  res: ServerResponse,
  session: WebSession,
  what: string,
): Promise<URLSearchParams | null> {
  if (!sameOriginRequest(req, ctx.publicUrl.origin)) {
    ctx.log.warn({ action: what, origin: req.headers.origin, secFetchSite: req.headers['sec-fetch-site'] }, 'cross-site form refused');
    ctx.sendError(req, res, session, 403, 'Refused', 'This form must be sent from this site.', false);
    return null;
  }
  const body = await readLimitedBody(req, BODY_LIMITS.form);
  if (!body.ok) {
    if (body.reason === 'aborted') res.destroy();
    else refuseTooLarge(req, res, () => ctx.sendError(req, res, session, 413, 'Too large', 'The form is too large.', false));
    return null;
  }
  const form = new URLSearchParams(body.body.toString('utf8'));
  if (!ctx.sessions.codec.verifyCsrfToken(session, form.get('csrf') ?? undefined)) {
    ctx.log.warn({ action: what }, 'form refused: missing or wrong CSRF token');
    ctx.sendError(req, res, session, 403, 'Refused', 'The form expired or did not come from this site. Reload the page and try again.', false);
    return null;
  }
  return form;
}
