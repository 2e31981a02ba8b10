/**
 * The list pages: repositories with their latest report (/deploys) and a repository's report history
 * (/deploys/:owner/:repo). Pure renderers.
 */
import type { RepoRef, ReportState } from '../core/domain.js';
import { repoPath, reportPath } from '../core/report-path.js';
import type { ReportListItem, RepoSummary } from '../store/report-store.js';
import { formatAge, formatUtc, shortSha } from './format-time.js';
import { html, type SafeHtml } from './html.js';
import { renderPage, type PageContext } from './page-layout.js';

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

function when(item: ReportListItem, now: Date): SafeHtml {
  return html`<time datetime="${item.evaluatedAt}" title="${formatUtc(item.evaluatedAt)}">${formatAge(item.evaluatedAt, now)}</time>`;
}

function kindLabel(item: ReportListItem): string {
  return item.kind === 'pull_request' && item.pullRequestNumber !== null ? `PR #${item.pullRequestNumber}` : 'deploy';
}

/** `/deploys`: every repository the visitor may read, with its newest report. */
export function renderRepositoriesPage(repos: readonly RepoSummary[], ctx: ListPageContext): SafeHtml {
  const rows = repos.map(
    ({ repo, latest }) => html`<tr>
<td class="lead"><a href="${repoPath(repo)}">${repo.owner}/${repo.repo}</a></td>
<td>${stateBadge(latest.state)}</td>
<td><a href="${reportPath(repo, latest.headSha)}">${when(latest, ctx.now)}</a></td>
<td class="num" data-label="Tickets">${latest.ticketCount}</td>
<td class="num" data-label="Problems">${latest.problemCount}</td>
<td class="small wide">${latest.statusDescription}</td>
</tr>`,
  );
  const body =
    repos.length === 0
      ? html`<h1>Deploys</h1><div class="card"><p>No reports yet${ctx.authEnabled ? ' for repositories you can read' : ''}.</p></div>`
      : html`<h1>Deploys</h1>
<div class="table-wrap"><table class="stack">
<thead><tr><th>Repository</th><th>Latest</th><th>Checked</th><th class="num">Tickets</th><th class="num">Problems</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
  return renderPage({ title: 'Deploys', context: ctx, body });
}

export interface HistoryPage {
  readonly repo: RepoRef;
  readonly items: readonly ReportListItem[];
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

function pageLink(repo: RepoRef, page: number): string {
  return page <= 1 ? repoPath(repo) : `${repoPath(repo)}?page=${page}`;
}

/** `/deploys/:owner/:repo`: the repository's reports, newest first, one page of them. */
export function renderHistoryPage(history: HistoryPage, ctx: ListPageContext): SafeHtml {
  const { repo, items, total, page, pageSize } = history;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const rows = items.map(
    (item) => html`<tr>
<td class="lead"><a href="${reportPath(repo, item.headSha)}" class="sha">${shortSha(item.headSha)}</a></td>
<td>${stateBadge(item.state)}</td>
<td>${when(item, ctx.now)}</td>
<td>${kindLabel(item)}, ${item.trigger}</td>
<td class="num" data-label="Commits">${item.commitCount}</td>
<td class="num" data-label="Tickets">${item.ticketCount}</td>
<td class="num" data-label="Problems">${item.problemCount}</td>
<td class="small wide">${item.statusDescription}</td>
</tr>`,
  );
  const nav = html`<nav class="pages" aria-label="Pages">
${page > 1 ? html`<a href="${pageLink(repo, page - 1)}" rel="prev">← Newer</a>` : null}
<span class="muted">Page ${page} of ${pages} (${total} reports)</span>
${page < pages ? html`<a href="${pageLink(repo, page + 1)}" rel="next">Older →</a>` : null}
</nav>`;
  const table =
    items.length === 0
      ? html`<div class="card"><p>${total === 0 ? 'No reports for this repository.' : html`No reports on this page. <a href="${repoPath(repo)}">Go to the newest</a>.`}</p></div>`
      : html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Deploy</th><th>Result</th><th>Checked</th><th>Kind</th><th class="num">Commits</th><th class="num">Tickets</th><th class="num">Problems</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
  const body = html`<p class="small"><a href="/deploys">← All repositories</a></p>
<h1>${repo.owner}/${repo.repo}</h1>
${table}
${nav}`;
  return renderPage({ title: `${repo.owner}/${repo.repo}`, context: ctx, body });
}
