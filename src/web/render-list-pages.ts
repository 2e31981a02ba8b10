/**
 * The list pages: repositories with their pending deploy and last shipment (/deploys), and a repository's
 * timeline of evaluations and shipments (/deploys/:owner/:repo). Pure renderers: one page of rows in, HTML out.
 */
import type { RepoRef, ReportState } from '../core/domain.js';
import { shippedWithProblems, type ShipmentRecord } from '../core/records/shipment-record.js';
import { repoPath, reportPath } from '../core/report-path.js';
import type { RepositoryOverview, ReportListItem } from '../store/report-store.js';
import { formatAge, formatUtc, shortSha } from './format-time.js';
import { html, type SafeHtml } from './html.js';
import { renderPage, type PageContext } from './page-layout.js';
import { renderPageNav, shipmentFlag, shipmentReportPath } from './render-shipment-parts.js';

export interface ListPageContext extends PageContext {
  readonly now: Date;
}

const STATE_LABELS: Readonly<Record<ReportState, string>> = {
  success: 'passing',
  failure: 'failing',
  error: 'error',
};

export function stateBadge(state: ReportState): SafeHtml {
  return html`<span class="badge ${state}">${STATE_LABELS[state] ?? state}</span>`;
}

function when(iso: string, now: Date): SafeHtml {
  return html`<time datetime="${iso}" title="${formatUtc(iso)}">${formatAge(iso, now)}</time>`;
}

function kindLabel(item: ReportListItem): string {
  return item.kind === 'pull_request' && item.pullRequestNumber !== null ? `PR #${item.pullRequestNumber}` : 'deploy';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The filters of /deploys as the visitor gave them (already validated). */
export interface RepositoryListFilters {
  readonly state: 'passing' | 'failing' | 'error' | 'shipped-with-problems' | null;
  readonly repo: string | null;
}

export interface RepositoryListPage {
  readonly items: readonly RepositoryOverview[];
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
  readonly filters: RepositoryListFilters;
}

/** The query string of /deploys for these filters and page (empty values left out). */
export function repositoryListQuery(filters: RepositoryListFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.state) params.set('state', filters.state);
  if (filters.repo) params.set('repo', filters.repo);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

function renderPending(pending: ReportListItem | null, repo: RepoRef, now: Date): SafeHtml {
  if (!pending) return html`<span class="muted">nothing pending</span>`;
  return html`${stateBadge(pending.state)} <a class="sha" href="${reportPath(repo, pending.headSha)}">${shortSha(pending.headSha)}</a> <span class="small">${plural(pending.ticketCount, 'ticket', 'tickets')}, ${plural(pending.problemCount, 'problem', 'problems')}${
    pending.highRiskCount > 0 ? html`, <span class="badge risk">${pending.highRiskCount} high risk</span>` : null
  }</span> <span class="muted small">${when(pending.evaluatedAt, now)}</span>`;
}

function renderLastShipment(shipment: ShipmentRecord | null, now: Date): SafeHtml {
  if (!shipment) return html`<span class="muted">never shipped</span>`;
  return html`<a href="${shipmentReportPath(shipment)}">${when(shipment.shippedAt, now)}</a> <span class="small">by ${shipment.shippedBy ?? 'unknown'}, ${plural(shipment.ticketKeys.length, 'story', 'stories')}</span>${shipmentFlag(shipment)}`;
}

const STATE_OPTIONS: readonly { value: RepositoryListFilters['state']; label: string }[] = [
  { value: null, label: 'any state' },
  { value: 'passing', label: 'passing' },
  { value: 'failing', label: 'failing' },
  { value: 'error', label: 'error' },
  { value: 'shipped-with-problems', label: 'shipped with problems' },
];

function renderFilterForm(filters: RepositoryListFilters): SafeHtml {
  const options = STATE_OPTIONS.map((o) => html`<option value="${o.value ?? ''}"${o.value === filters.state ? html` selected` : null}>${o.label}</option>`);
  return html`<form class="filters" method="get" action="/deploys" role="search">
<label>State <select name="state">${options}</select></label>
<label>Repository <input type="search" name="repo" value="${filters.repo ?? ''}" maxlength="100" placeholder="owner/name"></label>
<button type="submit">Filter</button>${filters.state || filters.repo ? html` <a href="/deploys">Clear</a>` : null}
</form>`;
}

/** `/deploys`: one page of repositories with the deploy pending and the last shipment. */
export function renderRepositoriesPage(list: RepositoryListPage, ctx: ListPageContext): SafeHtml {
  const { items, total, page, pageSize, filters } = list;
  const rows = items.map(
    ({ repo, pendingDeploy, lastShipment }) => html`<tr>
<td class="lead"><a href="${repoPath(repo)}">${repo.owner}/${repo.repo}</a></td>
<td data-label="Pending">${renderPending(pendingDeploy, repo, ctx.now)}</td>
<td data-label="Last shipped">${renderLastShipment(lastShipment, ctx.now)}</td>
</tr>`,
  );
  const filtered = filters.state !== null || filters.repo !== null;
  const empty = filtered ? 'No repository matches these filters.' : `No reports yet${ctx.authEnabled ? ' for repositories you can read' : ''}.`;
  const table =
    items.length === 0
      ? html`<div class="card"><p>${total > 0 ? html`No repositories on this page. <a href="/deploys${repositoryListQuery(filters, 1)}">Go to the first</a>.` : empty}</p></div>`
      : html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Repository</th><th>Pending deploy</th><th>Last shipped</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
  const nav = renderPageNav({ page, pageSize, total, noun: ['repository', 'repositories'], href: (p) => `/deploys${repositoryListQuery(filters, p)}` });
  const body = html`<h1>Deploys</h1>
${renderFilterForm(filters)}
${table}
${nav}`;
  return renderPage({ title: 'Deploys', context: ctx, body });
}

export interface HistoryPage {
  readonly repo: RepoRef;
  /** One page of evaluations, newest first. */
  readonly items: readonly ReportListItem[];
  /** Shipments within the time span of that page, newest first. */
  readonly shipments?: readonly ShipmentRecord[];
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export type TimelineEntry = ReportListItem | ShipmentRecord;

/** Evaluations and shipments in one list, newest first (a shipment before an evaluation of the same instant). */
export function mergeTimeline(items: readonly ReportListItem[], shipments: readonly ShipmentRecord[]): TimelineEntry[] {
  const at = (e: TimelineEntry): number => Date.parse(e.kind === 'shipment' ? e.shippedAt : e.evaluatedAt);
  return [...shipments, ...items].sort((a, b) => at(b) - at(a));
}

function historyLink(repo: RepoRef, page: number): string {
  return page <= 1 ? repoPath(repo) : `${repoPath(repo)}?page=${page}`;
}

function renderTimelineRow(repo: RepoRef, entry: TimelineEntry, now: Date): SafeHtml {
  if (entry.kind === 'shipment') {
    return html`<tr class="shipment${shippedWithProblems(entry) ? ' flagged' : ''}">
<td class="lead"><a href="${shipmentReportPath(entry)}" class="sha">${shortSha(entry.toSha)}</a></td>
<td><span class="badge plain">${entry.rollback ? 'rolled back' : 'shipped'}</span></td>
<td>${when(entry.shippedAt, now)}</td>
<td>${entry.fromSha ? html`from <span class="sha">${shortSha(entry.fromSha)}</span>` : 'first seen'}, by ${entry.shippedBy ?? 'unknown'}</td>
<td class="num" data-label="Commits">—</td>
<td class="num" data-label="Tickets">${entry.ticketKeys.length}</td>
<td class="num" data-label="Problems">${entry.problemCount}</td>
<td class="small wide">${shipmentFlag(entry) ?? html`shipped ${entry.checkState === 'success' ? 'passing' : entry.checkState}`}</td>
</tr>`;
  }
  return html`<tr>
<td class="lead"><a href="${reportPath(repo, entry.headSha)}" class="sha">${shortSha(entry.headSha)}</a></td>
<td>${stateBadge(entry.state)}</td>
<td>${when(entry.evaluatedAt, now)}</td>
<td>${kindLabel(entry)}, ${entry.trigger}</td>
<td class="num" data-label="Commits">${entry.commitCount}</td>
<td class="num" data-label="Tickets">${entry.ticketCount}</td>
<td class="num" data-label="Problems">${entry.problemCount}</td>
<td class="small wide">${entry.statusDescription}</td>
</tr>`;
}

/** `/deploys/:owner/:repo`: the repository's evaluations (one page) and the shipments of the same span, newest first. */
export function renderHistoryPage(history: HistoryPage, ctx: ListPageContext): SafeHtml {
  const { repo, items, total, page, pageSize } = history;
  const timeline = mergeTimeline(items, history.shipments ?? []);
  const nav = renderPageNav({ page, pageSize, total, noun: ['report', 'reports'], href: (p) => historyLink(repo, p) });
  const table =
    timeline.length === 0
      ? html`<div class="card"><p>${total === 0 ? 'No reports for this repository.' : html`No reports on this page. <a href="${repoPath(repo)}">Go to the newest</a>.`}</p></div>`
      : html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Deploy</th><th>Result</th><th>When</th><th>Kind</th><th class="num">Commits</th><th class="num">Tickets</th><th class="num">Problems</th><th>Status</th></tr></thead>
<tbody>${timeline.map((entry) => renderTimelineRow(repo, entry, ctx.now))}</tbody>
</table></div>`;
  const body = html`<p class="small"><a href="/deploys">← All repositories</a> · <a href="/shipments">Shipments</a></p>
<h1>${repo.owner}/${repo.repo}</h1>
${table}
${nav}`;
  return renderPage({ title: `${repo.owner}/${repo.repo}`, context: ctx, body });
}
