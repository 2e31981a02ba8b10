/**
 * The read-only pages: repositories (/deploys), a repository's timeline, a report (HTML or JSON), shipments in a
 * time window (/shipments), a ticket. Query parameters are parsed by one zod schema per page; a bad value is a
 * 400 page (or JSON), never a crash. List pages answer JSON as `{ items, total, page, pageSize }`.
 */
import { z } from 'zod';
import type { DeployReport, RepoRef, ReportState } from '../core/domain.js';
import { shippedWithProblems, type ShipmentRecord } from '../core/records/shipment-record.js';
import { reportPath } from '../core/report-path.js';
import { describeAnnouncementState } from '../core/slack-announcement/announcement-retry-policy.js';
import type { RepositoryOverview, ReportListItem } from '../store/report-store.js';
import { prefersJson, redirect, sendHtml, sendJson } from './http-io.js';
import { isJiraKeyShape } from './jira-webhook.js';
import { mergeTimeline, renderHistoryPage, renderRepositoriesPage, type RepositoryListFilters } from './render-list-pages.js';
import { RECHECK_NOTICES, renderReportPage } from './render-report-page.js';
import { renderShipmentsPage, type ShipmentListFilters } from './render-shipments-page.js';
import { productionStatusByRepo, renderTicketPage } from './render-ticket-page.js';
import { decodeSegment, repoParam, SHA, type RouteHandler, type RouteRequest } from './route-request.js';
import type { WebContext } from './web-context.js';
import type { WebSession } from './web-sessions.js';

/** Rows per page of /deploys and /shipments. */
export const LIST_PAGE_SIZE = 50;
/** With sign-in on, lists are filtered by the visitor's access before paging: at most this many rows are read. */
const MAX_FILTERED_ROWS = 10_000;
/** Shipments shown beside one page of a repository's evaluations. */
const MAX_TIMELINE_SHIPMENTS = 200;

const pageParam = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/, 'page must be a whole number from 1')
  .transform(Number)
  .optional();
/** An empty form field is the same as leaving it out. */
const optionalText = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const deploysQuerySchema = z.object({
  state: optionalText(z.enum(['passing', 'failing', 'error', 'shipped-with-problems'])),
  repo: optionalText(z.string().max(100, 'repo filter is at most 100 characters')),
  page: pageParam,
});

const historyQuerySchema = z.object({ page: pageParam });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const isoInstant = z
  .string()
  .regex(ISO_DATE_TIME, 'must be an ISO date (2024-05-01) or date-time (2024-05-01T08:00:00Z)')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date')
  .transform((v) => new Date(Date.parse(v)).toISOString());

const shipmentsQuerySchema = z
  .object({
    since: optionalText(isoInstant),
    until: optionalText(isoInstant),
    date: optionalText(
      z
        .string()
        .regex(ISO_DATE, 'date must be YYYY-MM-DD')
        .refine((v) => !Number.isNaN(Date.parse(v)), 'date must be a real day'),
    ),
    repo: optionalText(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, 'repo must be owner/name')),
    problems: optionalText(z.enum(['0', '1'])),
    page: pageParam,
  })
  .refine((q) => q.date === undefined || (q.since === undefined && q.until === undefined), 'give either date or since/until, not both')
  .refine((q) => q.since === undefined || q.until === undefined || q.since < q.until, 'since must be before until');

const evaluationParam = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'evaluation must be an evaluation id')
  .transform(Number)
  .optional();

/** The query as a plain object (a repeated parameter is a 400: arrays fail the string schemas). */
function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function parseQuery<T extends z.ZodTypeAny>(schema: T, url: URL): { ok: true; value: z.output<T> } | { ok: false; message: string } {
  const parsed = schema.safeParse(queryObject(url));
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `Bad query: ${where}${issue?.message ?? 'invalid'}` };
}

function badRequest(ctx: WebContext, req: RouteRequest['req'], res: RouteRequest['res'], session: WebSession, message: string, json: boolean): void {
  ctx.sendError(req, res, session, 400, 'Bad request', message, json);
}

/** JSON when the path ends in `.json` or the Accept header prefers it; the answer varies on both. */
function wantsJson(req: RouteRequest['req'], res: RouteRequest['res'], suffix = false): boolean {
  res.setHeader('Vary', 'Accept, Cookie');
  return suffix || prefersJson(req.headers.accept);
}

/** A `:name.json` path segment: the segment without the suffix and whether it was there. */
function splitJsonSuffix(segment: string): { value: string; json: boolean } {
  return segment.endsWith('.json') ? { value: segment.slice(0, -'.json'.length), json: true } : { value: segment, json: false };
}

const repoName = (repo: RepoRef): string => `${repo.owner}/${repo.repo}`;

/**
 * One page of a list the store can filter and page itself. With sign-in on, the rows the visitor may not read
 * have to go before paging, so the (bounded) whole list is read, filtered and sliced here.
 */
async function readablePage<T>(
  ctx: WebContext,
  session: WebSession,
  page: number,
  fetchRows: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>,
  repoOf: (item: T) => RepoRef,
): Promise<{ items: T[]; total: number }> {
  const offset = (page - 1) * LIST_PAGE_SIZE;
  if (ctx.deps.auth.mode === 'off') return fetchRows(LIST_PAGE_SIZE, offset);
  const all = await fetchRows(MAX_FILTERED_ROWS, 0);
  const readable = await ctx.readableFilter(session, all.items, repoOf);
  return { items: readable.slice(offset, offset + LIST_PAGE_SIZE), total: readable.length };
}

const STATE_FILTER: Readonly<Record<NonNullable<RepositoryListFilters['state']>, ReportState | 'shipped-with-problems'>> = {
  passing: 'success',
  failing: 'failure',
  error: 'error',
  'shipped-with-problems': 'shipped-with-problems',
};

function overviewJson(o: RepositoryOverview): unknown {
  return { repo: repoName(o.repo), latest: o.latest, pendingDeploy: o.pendingDeploy, lastShipment: o.lastShipment && shipmentJson(o.lastShipment) };
}

function shipmentJson(s: ShipmentRecord): unknown {
  return { ...s, shippedWithProblems: shippedWithProblems(s) };
}

export const repositoriesPage: RouteHandler = async (ctx, { req, res, url }) => {
  const json = wantsJson(req, res, url.pathname.endsWith('.json'));
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const query = parseQuery(deploysQuerySchema, url);
  if (!query.ok) return badRequest(ctx, req, res, session, query.message, json);
  const page = query.value.page ?? 1;
  const filters: RepositoryListFilters = { state: query.value.state ?? null, repo: query.value.repo ?? null };
  const { items, total } = await readablePage(
    ctx,
    session,
    page,
    (limit, offset) =>
      ctx.deps.store.listRepositoryOverviews({
        ...(filters.state ? { state: STATE_FILTER[filters.state] } : {}),
        ...(filters.repo ? { repoContains: filters.repo } : {}),
        limit,
        offset,
      }),
    (o) => o.repo,
  );
  if (json) return sendJson(req, res, 200, { items: items.map(overviewJson), total, page, pageSize: LIST_PAGE_SIZE });
  sendHtml(req, res, 200, renderRepositoriesPage({ items, total, page, pageSize: LIST_PAGE_SIZE, filters }, { ...ctx.pageContext(session), now: ctx.now() }));
};

export const historyPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const repoSegment = splitJsonSuffix(params['repo'] ?? '');
  const json = wantsJson(req, res, repoSegment.json);
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const repo = repoParam({ owner: params['owner'] ?? '', repo: repoSegment.value });
  if (!repo || !(await ctx.canRead(session, repo))) return ctx.notFound(req, res, session, json);
  const query = parseQuery(historyQuerySchema, url);
  if (!query.ok) return badRequest(ctx, req, res, session, query.message, json);
  const pageSize = ctx.deps.options?.pageSize ?? LIST_PAGE_SIZE;
  const page = query.value.page ?? 1;
  // Past the first page, one more row is read: the previous page's oldest evaluation bounds this page's span.
  const offset = (page - 1) * pageSize;
  const read = await ctx.deps.store.listReports(repo, page > 1 ? { limit: pageSize + 1, offset: offset - 1 } : { limit: pageSize, offset });
  const previous = page > 1 ? read.items[0] : undefined;
  const items = page > 1 ? read.items.slice(1) : read.items;
  const { total } = read;
  // Shipments in the span of this page: from its oldest evaluation (everything older on the last page) up to the
  // previous page's oldest evaluation (no bound on the first page), so that no shipment falls between two pages.
  const oldest = items.at(-1);
  const lastPage = offset + pageSize >= total;
  const shipments =
    items.length === 0 && total > 0
      ? []
      : (
          await ctx.deps.store.listShipments({
            repo,
            ...(oldest && !lastPage ? { since: oldest.evaluatedAt } : {}),
            ...(previous ? { until: previous.evaluatedAt } : {}),
            limit: MAX_TIMELINE_SHIPMENTS,
            offset: 0,
          })
        ).items;
  if (total === 0 && shipments.length === 0) return ctx.notFound(req, res, session, json);
  if (json) {
    const timeline = mergeTimeline(items, shipments).map((e) => (e.kind === 'shipment' ? shipmentJson(e) : e));
    return sendJson(req, res, 200, { repo: repoName(repo), items: timeline, total, page, pageSize });
  }
  sendHtml(req, res, 200, renderHistoryPage({ repo, items, shipments, total, page, pageSize }, { ...ctx.pageContext(session), now: ctx.now() }));
};

export const shipmentsPage: RouteHandler = async (ctx, { req, res, url }) => {
  const json = wantsJson(req, res, url.pathname.endsWith('.json'));
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const query = parseQuery(shipmentsQuerySchema, url);
  if (!query.ok) return badRequest(ctx, req, res, session, query.message, json);
  const q = query.value;
  const now = ctx.now();
  const day = q.date ? Date.parse(`${q.date}T00:00:00Z`) : null;
  const until = day !== null ? new Date(day + 86_400_000).toISOString() : (q.until ?? now.toISOString());
  const since = day !== null ? new Date(day).toISOString() : (q.since ?? new Date(Date.parse(until) - 86_400_000).toISOString());
  if (since >= until) return badRequest(ctx, req, res, session, 'Bad query: since must be before until', json);
  const filters: ShipmentListFilters = {
    since,
    until,
    date: q.date ?? null,
    repo: q.repo ?? null,
    problemsOnly: q.problems === '1',
    explicitWindow: q.since !== undefined || q.until !== undefined,
  };
  const [owner = '', name = ''] = (q.repo ?? '').split('/');
  const page = q.page ?? 1;
  const { items, total } = await readablePage(
    ctx,
    session,
    page,
    (limit, offset) =>
      ctx.deps.store.listShipments({
        since,
        until,
        ...(q.repo ? { repo: { owner, repo: name } } : {}),
        ...(filters.problemsOnly ? { withProblemsOnly: true } : {}),
        limit,
        offset,
      }),
    (s) => s.repo,
  );
  if (json) return sendJson(req, res, 200, { items: items.map(shipmentJson), total, page, pageSize: LIST_PAGE_SIZE, since, until });
  sendHtml(req, res, 200, renderShipmentsPage({ items, total, page, pageSize: LIST_PAGE_SIZE, filters }, { ...ctx.pageContext(session), now }));
};

/** The evaluation the page shows: a named one (must be of this repository and SHA) or the current one. */
async function evaluationToShow(
  ctx: WebContext,
  repo: RepoRef,
  sha: string,
  evaluationId: number | undefined,
): Promise<{ report: DeployReport; id: number | null } | null> {
  if (evaluationId === undefined) {
    const report = await ctx.deps.store.getReport(repo, sha);
    return report ? { report, id: null } : null;
  }
  const report = await ctx.deps.store.getReportById(evaluationId);
  const sameRepo = report && report.repo.owner.toLowerCase() === repo.owner.toLowerCase() && report.repo.repo.toLowerCase() === repo.repo.toLowerCase();
  return report && sameRepo && report.headSha === sha ? { report, id: evaluationId } : null;
}

export const reportPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const { value: sha, json: suffixJson } = splitJsonSuffix(decodeSegment(params['sha'] ?? '') ?? '');
  const json = wantsJson(req, res, suffixJson);
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const repo = repoParam(params);
  if (!repo || !SHA.test(sha) || !(await ctx.canRead(session, repo))) return ctx.notFound(req, res, session, json);
  const evaluation = evaluationParam.safeParse(url.searchParams.get('evaluation') ?? undefined);
  if (!evaluation.success) return badRequest(ctx, req, res, session, 'Bad query: evaluation must be an evaluation id', json);
  const shown = await evaluationToShow(ctx, repo, sha.toLowerCase(), evaluation.data);
  if (!shown) {
    // A short SHA (the form shown everywhere) redirects to the full one; unknown or ambiguous is a 404.
    const matches = sha.length < 40 ? await ctx.deps.store.reportShasWithPrefix(repo, sha.toLowerCase(), 2) : [];
    if (matches.length === 1 && matches[0]) {
      return redirect(res, 302, `${reportPath(repo, matches[0])}${suffixJson ? '.json' : ''}${url.search}`);
    }
    return ctx.notFound(req, res, session, json);
  }
  const { report } = shown;
  if (json) return sendJson(req, res, 200, report);
  const noticeParam = url.searchParams.get('recheck');
  const notice = RECHECK_NOTICES.find((n) => n === noticeParam) ?? null;
  const [announcementRecords, evaluations, shipments, protectionReviews] = await Promise.all([
    ctx.deps.store.announcementsForSha(repo, report.headSha),
    ctx.deps.store.listEvaluationsForSha(repo, report.headSha),
    ctx.deps.store.shipmentsForSha(repo, report.headSha),
    ctx.deps.store.listProtectionReviewsForSha(repo, report.headSha),
  ]);
  const announcements = announcementRecords.map((a) => ({ state: a.state, text: describeAnnouncementState(a), at: a.updatedAt }));
  const currentId =
    shown.id ??
    evaluations.find((e) => e.kind === report.kind && e.evaluatedAt === report.evaluatedAt && e.pullRequestNumber === (report.pullRequest?.number ?? null))
      ?.id ??
    null;
  sendHtml(
    req,
    res,
    200,
    renderReportPage(report, {
      ...ctx.pageContext(session),
      csrfToken: ctx.sessions.codec.csrfToken(session),
      notice,
      now: ctx.now(),
      announcements,
      evaluations,
      evaluationId: currentId,
      shipments,
      protectionReviews,
    }),
  );
};

export const ticketPage: RouteHandler = async (ctx, { req, res, url, params }) => {
  const { value: keySegment, json: suffixJson } = splitJsonSuffix(params['key'] ?? '');
  const json = wantsJson(req, res, suffixJson);
  const session = await ctx.requireSession(req, res, url, json);
  if (!session) return;
  const decoded = decodeSegment(keySegment);
  if (decoded === null || !isJiraKeyShape(decoded)) return ctx.notFound(req, res, session, json);
  const key = decoded.toUpperCase();
  const [allReports, allShipments] = await Promise.all([ctx.deps.store.reportsForTicket(key), ctx.deps.store.shipmentsForTicket(key)]);
  const reports = await ctx.readableFilter<ReportListItem>(session, allReports, (r) => r.repo);
  const shipments = await ctx.readableFilter(session, allShipments, (s) => s.repo);
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
  const production = productionStatusByRepo(key, shipments);
  if (json) {
    return sendJson(req, res, 200, {
      key,
      snapshot,
      production,
      items: shipments.map(shipmentJson),
      total: shipments.length,
      page: 1,
      pageSize: Math.max(1, shipments.length),
      reports,
    });
  }
  sendHtml(req, res, 200, renderTicketPage({ key, snapshot, reports, production, shipments }, { ...ctx.pageContext(session), now: ctx.now() }));
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
