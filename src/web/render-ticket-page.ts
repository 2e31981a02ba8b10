/**
 * `/tickets/:key`: the shipments that carried the ticket, per repository whether it is in production (from the
 * shipments), and every report that contains it. Pure: the route passes only data of repositories the visitor may read.
 */
import type { RepoRef, TicketSnapshot } from '../core/domain.js';
import { repoPath, reportPath } from '../core/report-path.js';
import type { ShipmentRecord } from '../core/records/shipment-record.js';
import type { ReportListItem } from '../store/report-store.js';
import { formatAge, formatUtc, shortSha } from './format-time.js';
import { html, safeUrl, type SafeHtml } from './html.js';
import { renderPage } from './page-layout.js';
import { stateBadge, type ListPageContext } from './render-list-pages.js';
import { shipmentFlag, shipmentReportPath } from './render-shipment-parts.js';

/** The ticket page lists at most this many reports (newest first). */
export const MAX_REPORT_ROWS = 200;

export type ProductionStatus =
  | { readonly kind: 'in-production'; readonly repo: RepoRef; readonly since: string; readonly sha: string }
  | { readonly kind: 'rolled-back'; readonly repo: RepoRef; readonly at: string; readonly sha: string };

function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

/** What the production status needs of a shipment. */
export type ProductionMove = Pick<ShipmentRecord, 'id' | 'repo' | 'toSha' | 'shippedAt' | 'rollback' | 'ticketKeys'>;

/**
 * Per repository, from the shipments that carried the ticket (a rollback's keys are those it took out): in
 * production since the first shipment after the last rollback that removed it, or rolled back.
 */
export function productionStatusByRepo(key: string, shipments: readonly ProductionMove[]): ProductionStatus[] {
  const upper = key.toUpperCase();
  const byRepo = new Map<string, ProductionMove[]>();
  for (const a of shipments) {
    if (!a.ticketKeys.some((k) => k.toUpperCase() === upper)) continue;
    const list = byRepo.get(repoKey(a.repo));
    if (list) list.push(a);
    else byRepo.set(repoKey(a.repo), [a]);
  }
  const result: ProductionStatus[] = [];
  for (const list of byRepo.values()) {
    list.sort((x, y) => Date.parse(x.shippedAt) - Date.parse(y.shippedAt) || x.id - y.id);
    let status: ProductionStatus | null = null;
    for (const a of list) {
      if (a.rollback) status = { kind: 'rolled-back', repo: a.repo, at: a.shippedAt, sha: a.toSha };
      else if (status?.kind !== 'in-production') status = { kind: 'in-production', repo: a.repo, since: a.shippedAt, sha: a.toSha };
    }
    if (status) result.push(status);
  }
  return result.sort((x, y) => repoKey(x.repo).localeCompare(repoKey(y.repo)));
}

export interface TicketPageData {
  readonly key: string;
  /**
   * The ticket as the newest readable report saw it, with that report's time; null when none had it.
   * `notDeployable`: that evaluation found its status outside the repository's allowed statuses.
   */
  readonly snapshot: { readonly ticket: TicketSnapshot; readonly evaluatedAt: string; readonly notDeployable?: boolean } | null;
  readonly reports: readonly ReportListItem[];
  readonly production: readonly ProductionStatus[];
  /** Shipments that carried the ticket, newest first. */
  readonly shipments?: readonly ShipmentRecord[];
}

function renderShipmentList(key: string, shipments: readonly ShipmentRecord[], ctx: ListPageContext): SafeHtml {
  if (shipments.length === 0) return html`<p class="muted">No shipment${ctx.authEnabled ? ' of a repository you can read' : ''} carried ${key}.</p>`;
  const shown = shipments.slice(0, MAX_REPORT_ROWS);
  const rows = shown.map(
    (s) => html`<tr${shipmentFlag(s) ? html` class="flagged"` : null}>
<td class="lead"><a href="${repoPath(s.repo)}">${s.repo.owner}/${s.repo.repo}</a>${s.rollback ? html` <span class="badge error">rollback</span>` : null}</td>
<td><a class="sha" href="${shipmentReportPath(s)}">${shortSha(s.toSha)}</a></td>
<td><time datetime="${s.shippedAt}" title="${formatUtc(s.shippedAt)}">${formatAge(s.shippedAt, ctx.now)}</time> <span class="small">by ${s.shippedBy ?? 'unknown'}</span></td>
<td class="wide" data-label="Flags">${s.highRiskKeys.includes(key) ? html`<span class="badge risk">high risk</span>` : null}${shipmentFlag(s) ?? html` <span class="muted small">no open problems</span>`}</td>
</tr>`,
  );
  return html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Repository</th><th>Shipped</th><th>When</th><th>Flags</th></tr></thead>
<tbody>${rows}</tbody></table></div>${shipments.length > shown.length ? html`<p class="muted small">The ${shipments.length - shown.length} older shipments are not listed.</p>` : null}`;
}

function renderProduction(production: readonly ProductionStatus[], now: Date): SafeHtml {
  if (production.length === 0) {
    return html`<p class="banner error"><span class="state">Not in production yet</span></p>`;
  }
  return html`${production.map((p) =>
    p.kind === 'in-production'
      ? html`<p class="banner success"><span><span class="state">In production</span> since <time datetime="${p.since}">${formatUtc(p.since)}</time> (<a href="${reportPath(p.repo, p.sha)}">${p.repo.owner}/${p.repo.repo} ${shortSha(p.sha)}</a>, ${formatAge(p.since, now)})</span></p>`
      : html`<p class="banner failure"><span><span class="state">Rolled back</span> on <time datetime="${p.at}">${formatUtc(p.at)}</time> (<a href="${reportPath(p.repo, p.sha)}">${p.repo.owner}/${p.repo.repo} ${shortSha(p.sha)}</a>)</span></p>`,
  )}`;
}

export function renderTicketPage(data: TicketPageData, ctx: ListPageContext): SafeHtml {
  const { key, snapshot, reports, production } = data;
  const about = snapshot
    ? html`<div class="card"><h3><a href="${safeUrl(snapshot.ticket.url)}">${key}</a> ${snapshot.ticket.summary}</h3>
<p class="small muted">${snapshot.ticket.type ?? 'Ticket'} · ${snapshot.ticket.status ?? 'no status'} · ${snapshot.ticket.assignee ?? 'Unassigned'} · as of ${formatUtc(snapshot.evaluatedAt)}</p></div>`
    : null;
  // In production while JIRA (when last read) had it in a state the deploy rules do not allow: support should know.
  const warning =
    snapshot?.notDeployable && production.some((p) => p.kind === 'in-production')
      ? html`<p class="banner failure"><span><span class="state">In production, but not ready in JIRA</span> JIRA had ${key} as ${snapshot.ticket.status ?? 'no status'} when it was last checked (${formatUtc(snapshot.evaluatedAt)}): it shipped without being in a deployable state.</span></p>`
      : null;
  const shown = reports.slice(0, MAX_REPORT_ROWS);
  const rows = shown.map(
    (item) => html`<tr>
<td class="lead"><a href="${repoPath(item.repo)}">${item.repo.owner}/${item.repo.repo}</a></td>
<td><a href="${reportPath(item.repo, item.headSha)}" class="sha">${shortSha(item.headSha)}</a>${item.kind === 'pull_request' && item.pullRequestNumber !== null ? html` <span class="small muted">PR #${item.pullRequestNumber}</span>` : null}</td>
<td>${stateBadge(item.state)}</td>
<td><time datetime="${item.evaluatedAt}" title="${formatUtc(item.evaluatedAt)}">${formatAge(item.evaluatedAt, ctx.now)}</time></td>
<td class="num" data-label="Problems">${item.problemCount}</td>
</tr>`,
  );
  const table =
    reports.length === 0
      ? html`<div class="card"><p>No report${ctx.authEnabled ? ' of a repository you can read' : ''} contains ${key}.</p></div>`
      : html`<div class="table-wrap"><table class="stack">
<thead><tr><th>Repository</th><th>Deploy</th><th>Result</th><th>Checked</th><th class="num">Problems</th></tr></thead>
<tbody>${rows}</tbody></table></div>${
          reports.length > shown.length ? html`<p class="muted small">The ${reports.length - shown.length} older reports are not listed.</p>` : null
        }`;
  const body = html`<h1>${key}</h1>
${about}
<h2>Production</h2>
${warning}
${renderProduction(production, ctx.now)}
<h2>Shipments carrying ${key} <span class="badge plain">${(data.shipments ?? []).length}</span></h2>
${renderShipmentList(key, data.shipments ?? [], ctx)}
<h2>Reports containing ${key} <span class="badge plain">${reports.length}</span></h2>
${table}`;
  return renderPage({ title: key, context: ctx, body });
}
