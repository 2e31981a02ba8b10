/**
 * POST /deploys/:owner/:repo/:sha/recheck — "Re-check now". Each re-check costs GitHub and JIRA calls, so it asks
 * what the `/deploy-checker recheck` comment command asks, and is rate-limited:
 * 1. a signed-in session and a same-site form with the CSRF token (form-post-guard.ts);
 * 2. read access (else 404, like any hidden repository), then push access (else 403);
 * 3. rate limits in the store, so that every replica counts the same hits: per deploy SHA (default one per minute,
 *    by anyone) and per user (default 10 per 10 minutes) → 429 with Retry-After;
 * 4. concurrent re-checks of one SHA in this process share one run.
 */
import type { RepoRef } from '../core/domain.js';
import { reportPath } from '../core/report-path.js';
import { acceptFormPost } from './form-post-guard.js';
import { redirect } from './http-io.js';
import type { RecheckNotice } from './render-report-page.js';
import { decodeSegment, repoParam, SHA, type RouteHandler } from './route-request.js';
import type { WebContext } from './web-context.js';
import type { RecheckLimits } from './web-deps.js';

export const DEFAULT_RECHECK_LIMITS: RecheckLimits = {
  perSha: { limit: 1, windowMs: 60_000 },
  perUser: { limit: 10, windowMs: 10 * 60_000 },
};

/** The re-check route; `inFlight` (per handler) lets concurrent re-checks of one SHA share a run. */
export function createRecheckAction(inFlight: Map<string, Promise<void>>): RouteHandler {
  const runRecheck = (ctx: WebContext, repo: RepoRef, sha: string): Promise<void> => {
    const key = `${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
    const running = inFlight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(() => ctx.deps.recheck(repo, sha))
      .finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  return async (ctx, { req, res, url, params }) => {
    const session = await ctx.requireSession(req, res, url, false);
    if (!session) return;
    if (!(await acceptFormPost(ctx, req, res, session, 'recheck'))) return;
    const repo = repoParam(params);
    const sha = decodeSegment(params['sha'] ?? '') ?? '';
    if (!repo || !SHA.test(sha) || !(await ctx.canRead(session, repo))) return ctx.notFound(req, res, session, false);
    const report = await ctx.deps.store.getReport(repo, sha.toLowerCase());
    if (!report) return ctx.notFound(req, res, session, false);
    if (!(await ctx.canWrite(session, report.repo))) {
      ctx.log.warn({ repo: report.repo, user: session.login }, 're-check refused: no push access');
      return ctx.sendError(req, res, session, 403, 'Not allowed', 'Only people with write access to this repository can ask for a re-check.', false);
    }
    const limits = { ...DEFAULT_RECHECK_LIMITS, ...ctx.deps.options?.recheckLimits };
    const now = ctx.now();
    const userBucket = `recheck-user:${(session.login ?? 'anonymous').toLowerCase()}`;
    const shaBucket = `recheck-sha:${`${report.repo.owner}/${report.repo.repo}@${report.headSha}`.toLowerCase()}`;
    let answer = await ctx.deps.store.hitRateLimit(userBucket, limits.perUser.limit, limits.perUser.windowMs, now);
    if (answer.allowed) answer = await ctx.deps.store.hitRateLimit(shaBucket, limits.perSha.limit, limits.perSha.windowMs, now);
    if (!answer.allowed) {
      const seconds = Math.max(1, Math.ceil(answer.retryAfterMs / 1000));
      ctx.log.warn({ repo: report.repo, sha: report.headSha, user: session.login, retryAfterSeconds: seconds }, 're-check refused: rate limit');
      res.setHeader('Retry-After', String(seconds));
      return ctx.sendError(
        req,
        res,
        session,
        429,
        'Too many re-checks',
        `This deploy was re-checked moments ago, or you asked for many re-checks. Try again in ${seconds} s.`,
        false,
      );
    }
    const target = reportPath(report.repo, report.headSha);
    ctx.log.info({ repo: report.repo, sha: report.headSha, user: session.login }, 're-check requested');
    let notice: RecheckNotice;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ctx.deps.options?.recheckTimeoutMs ?? 25_000);
      });
      const outcome = await Promise.race([runRecheck(ctx, report.repo, report.headSha).then(() => 'done' as const), timedOut]);
      notice = outcome === 'done' ? 'done' : 'running';
    } catch (err) {
      ctx.log.error({ err, repo: report.repo, sha: report.headSha }, 're-check failed');
      notice = 'failed';
    } finally {
      clearTimeout(timer);
    }
    redirect(res, 303, `${target}?recheck=${notice}`);
  };
}
