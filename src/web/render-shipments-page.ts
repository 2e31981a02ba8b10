/**
 * `/shipments`: everything that reached production in a time window, across the repositories the visitor may
 * read (support's morning page). Pure: one page of shipments in, HTML out.
 */
import type { ShipmentRecord } from '../core/records/shipment-record.js';
import { repoPath, reportPath } from '../core/report-path.js';
import { formatAge, formatUtc, shortSha } from './format-time.js';
import { html, type SafeHtml } from './html.js';
import { renderPage } from './page-layout.js';
import type { ListPageContext } from './render-list-pages.js';
import { renderPageNav, renderTicketKeys, shipmentFlag, shipmentReportPath } from './render-shipment-parts.js';

/** The filters of /shipments as given (validated); `since`/`until` are the window actually used (ISO). */
export interface ShipmentListFilters {
  readonly since: string;
  readonly until: string;
  /** `date=YYYY-MM-DD` when the window was given that way. */
  readonly date: string | null;
  /** "owner/repo" or null. */
  readonly repo: string | null;
  readonly problemsOnly: boolean;
  /** Whether since/until came from the query (kept in links) rather than the default last 24 h. */
  readonly explicitWindow: boolean;
}

export interface ShipmentListPage {
  readonly items: readonly ShipmentRecord[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly filters: ShipmentListFilters;
}

/** The query string of /shipments for these filters and page. */
export function shipmentListQuery(filters: ShipmentListFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.date) params.set('date', filters.date);
  else if (filters.explicitWindow) {
    params.set('since', filters.since);
    params.set('until', filters.until);
  }
  if (filters.repo) params.set('repo', filters.repo);
  if (filters.problemsOnly) params.set('problems', '1');
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

const CHECK_LABELS: Readonly<Record<ShipmentRecord['checkState'], { cls: string; text: string }>> = {
  success: { cls: 'success', text: 'passing' },
  failure: { cls: 'failure', text: 'failing' },
  error: { cls: 'error', text: 'error' },
  'never-checked': { cls: 'plain', text: 'never checked' },
};

function shaLink(shipment: ShipmentRecord, sha: string): SafeHtml {
  return html`<a class="sha" href="${reportPath(shipment.repo, sha)}">${shortSha(sha)}</a>`;
}

function renderRow(s: ShipmentRecord, now: Date): SafeHtml {
  const check = CHECK_LABELS[s.checkState];
  return html`<tr${shipmentFlag(s) ? html` class="flagged"` : null}>
<td class="lead"><a href="${repoPath(s.repo)}">${s.repo.owner}/${s.repo.repo}</a>${s.rollback ? html` <span class="badge error">rollback</span>` : null}</td>
<td data-label="Shipped">${s.fromSha ? shaLink(s, s.fromSha) : html`<span class="muted">?</span>`} → ${shaLink(s, s.toSha)}</td>
<td data-label="By">${s.shippedBy ?? html`<span class="muted">unknown</span>`}</td>
<td><time datetime="${s.shippedAt}">${formatUtc(s.shippedAt)}</time> <span class="muted small">${formatAge(s.shippedAt, now)}</span></td>
<td class="wide" data-label="Stories">${renderTicketKeys(s.ticketKeys, s.highRiskKeys)}</td>
<td data-label="Check"><span class="badge ${check.cls}">${check.text}</span>${shipmentFlag(s)} <a class="small" href="${shipmentReportPath(s)}">evaluation</a></td>
</tr>`;
}

function renderFilterForm(filters: ShipmentListFilters): SafeHtml {
  return html`<form class="filters" method="get" action="/shipments" role="search">
<label>Day <input type="date" name="date" value="${filters.date ?? ''}"></label>
<label>Repository <input type="search" name="repo" value="${filters.repo ?? ''}" maxlength="140" placeholder="owner/name"></label>
<label><input type="checkbox" name="problems" value="1"${filters.problemsOnly ? html` checked` : null}> only shipped with problems</label>
<button type="submit">Filter</button> <a href="/shipments">Last 24 h</a>
</form>`;
}

export function renderShipmentsPage(list: ShipmentListPage, ctx: ListPageContext): SafeHtml {
  const { items, total, page, pageSize, filters } = list;
  const window = html`<p class="muted small subline">Shipped from <time datetime="${filters.since}">${formatUtc(filters.since)}</time> to <time datetime="${filters.until}">${formatUtc(filters.until)}</time>${
    filters.repo ? html` in ${filters.repo}` : null
  }${filters.problemsOnly ? ' (only those shipped with problems)' : null}.</p>`;
  const table =
    items.length === 0
      ? html`<div class="card"><p>${total > 0 ? html`No shipments on this page. <a href="/shipments${shipmentListQuery(filters, 1)}">Go to the first</a>.` : 'Nothing shipped in this window.'}</p></div>`
      : html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Repository</th><th>From → to</th><th>By</th><th>When</th><th>Stories</th><th>Check</th></tr></thead>
<tbody>${items.map((s) => renderRow(s, ctx.now))}</tbody>
</table></div>`;
  const nav = renderPageNav({ page, pageSize, total, noun: ['shipment', 'shipments'], href: (p) => `/shipments${shipmentListQuery(filters, p)}` });
  const body = html`<h1>Shipments</h1>
${window}
${renderFilterForm(filters)}
${table}
${nav}`;
  return renderPage({ title: 'Shipments', context: ctx, body });
}
