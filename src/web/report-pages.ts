/** The read-only pages: repositories, a repository's history, a report (HTML or JSON), a ticket. */
import { describeAnnouncementState } from '../core/slack-announcement/announcement-retry-policy.js';
import type { ReportListItem, RepoSummary } from '../store/report-store.js';
import { reportPath } from '../core/report-path.js';
import { prefersJson, redirect, sendHtml, sendJson } from './http-io.js';
import { isJiraKeyShape } from './jira-webhook.js';
import { renderHistoryPage, renderRepositoriesPage } from './render-list-pages.js';
import { RECHECK_NOTICES, renderReportPage } from './render-report-page.js';
import { productionStatusByRepo, renderTicketPage } from './render-ticket-page.js';
import { decodeSegment, repoParam, SHA, type RouteHandler } from './route-request.js';

const PAGE = /^[1-9][0-9]{0,5}$/;

/** JSON when the path ends in `.json` (list routes that have one) or the Accept header prefers it; the answer varies on both. */
function wantsJson(req: Parameters<RouteHandler>[1]['req'], res: Parameters<RouteHandler>[1]['res'], suffix = false): boolean {
  res.setHeader('Vary', 'Accept, Cookie');
  return suffix || prefersJson(req.headers.accept);
}

export const repositoriesPage: RouteHandler = async (ctx, { req, res, url }) => {
  const json = wantsJson(req, res, url.pathname.endsWith('.json'));
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const repos = await ctx.readableFilter<RepoSummary>(session, await ctx.deps.store.listRepositories(), (r) => r.repo);
  if (json) return sendJson(req, res, 200, { repositories: repos.map((r) => ({ repo: `${r.repo.owner}/${r.repo.repo}`, latest: r.latest })) });
  sendHtml(req, res, 200, renderRepositoriesPage(repos, { ...ctx.pageContext(session), now: ctx.now() }));
};

export const historyPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const json = wantsJson(req, res);
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const repo = repoParam(params);
  if (!repo || !(await ctx.canRead(session, repo))) return ctx.notFound(req, res, session, json);
  const pageSize = ctx.deps.options?.pageSize ?? 50;
  const pageParam = url.searchParams.get('page');
  const page = pageParam !== null && PAGE.test(pageParam) ? Number(pageParam) : 1;
  const { items, total } = await ctx.deps.store.listReports(repo, { limit: pageSize, offset: (page - 1) * pageSize });
  if (total === 0 && items.length === 0) return ctx.notFound(req, res, session, json);
  if (json) return sendJson(req, res, 200, { repo: `${repo.owner}/${repo.repo}`, page, pageSize, total, items });
  sendHtml(req, res, 200, renderHistoryPage({ repo, items, total, page, pageSize }, { ...ctx.pageContext(session), now: ctx.now() }));
};

export const reportPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const shaSegment = decodeSegment(params['sha'] ?? '') ?? '';
  const suffixJson = shaSegment.endsWith('.json');
  const sha = suffixJson ? shaSegment.slice(0, -'.json'.length) : shaSegment;
  const json = suffixJson || prefersJson(req.headers.accept);
  res.setHeader('Vary', 'Accept, Cookie');
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const repo = repoParam(params);
  if (!repo || !SHA.test(sha) || !(await ctx.canRead(session, repo))) return ctx.notFound(req, res, session, json);
  const report = await ctx.deps.store.getReport(repo, sha.toLowerCase());
  if (!report) {
    // A short SHA (the form shown everywhere) redirects to the full one; unknown or ambiguous is a 404.
    const matches = sha.length < 40 ? await ctx.deps.store.reportShasWithPrefix(repo, sha.toLowerCase(), 2) : [];
    if (matches.length === 1 && matches[0]) {
      return redirect(res, 302, `${reportPath(repo, matches[0])}${suffixJson ? '.json' : ''}${url.search}`);
    }
    return ctx.notFound(req, res, session, json);
  }
  if (json) return sendJson(req, res, 200, report);
  const noticeParam = url.searchParams.get('recheck');
  const notice = RECHECK_NOTICES.find((n) => n === noticeParam) ?? null;
  const announcements = (await ctx.deps.store.announcementsForSha(repo, report.headSha)).map((a) => ({
    state: a.state,
    text: describeAnnouncementState(a),
    at: a.updatedAt,
  }));
  sendHtml(
    req,
    res,
    200,
    renderReportPage(report, { ...ctx.pageContext(session), csrfToken: ctx.sessions.codec.csrfToken(session), notice, now: ctx.now(), announcements }),
  );
};

export const ticketPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const json = wantsJson(req, res);
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const decoded = decodeSegment(params['key'] ?? '');
  if (decoded === null || !isJiraKeyShape(decoded)) return ctx.notFound(req, res, session, json);
  const key = decoded.toUpperCase();
  const [allReports, allAnnouncements] = await Promise.all([ctx.deps.store.reportsForTicket(key), ctx.deps.store.announcementsForTicket(key)]);
  const reports = await ctx.readableFilter<ReportListItem>(session, allReports, (r) => r.repo);
  const announcements = await ctx.readableFilter(session, allAnnouncements, (a) => a.repo);
  let snapshot = null;
  for (const item of reports.slice(0, 5)) {
    const report = await ctx.deps.store.getReport(item.repo, item.headSha);
    const ticket = report?.tickets.find((t) => t.key.toUpperCase() === key)?.ticket;
    if (report && ticket) {
      const notDeployable = report.findings.some((f) => f.rule === 'ticket-status' && f.ticketKey?.toUpperCase() === key);
      snapshot = { ticket, evaluatedAt: report.evaluatedAt, notDeployable };
      break;
    }
  }
  const production = productionStatusByRepo(key, announcements);
  if (json) return sendJson(req, res, 200, { key, snapshot, production, reports });
  sendHtml(req, res, 200, renderTicketPage({ key, snapshot, reports, production }, { ...ctx.pageContext(session), now: ctx.now() }));
};

/** The ticket search box: /tickets?key=… */
export const ticketSearch: RouteHandler = (_ctx, { res, url }) => {
  const key = (url.searchParams.get('key') ?? '').trim();
  redirect(res, 303, isJiraKeyShape(key) ? `/tickets/${encodeURIComponent(key.toUpperCase())}` : '/deploys');
};

/** Any other path under the prefixes we own. */
export const notFoundPage: RouteHandler = async (ctx, { req, res }) => {
  ctx.notFound(req, res, await ctx.sessions.read(req), false);
};
