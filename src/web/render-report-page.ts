/**
 * The report page: banner, problems first (with what to do), then tickets with their commits, commits without
 * a ticket, reverts. Pure: a report in, a SafeHtml document out. Every value from commits and JIRA goes through
 * the `html` builder (escaped) and every external URL through `safeUrl`.
 */
import type { CommitInfo, DeployReport, Finding, ReportTicket, RuleId, TicketSnapshot } from '../core/domain.js';
import { repoPath, reportPath, ticketPath } from '../core/report-path.js';
import { problemSummary } from '../core/report/status-description.js';
import { shippedWithProblems, type ShipmentRecord } from '../core/records/shipment-record.js';
import type { ProtectionReview } from '../store/protection-review-store.js';
import type { ReportListItem } from '../store/report-store.js';
import { commitSubject, formatAge, formatUtc, shortSha } from './format-time.js';
import { html, safeUrl, type HtmlValue, type SafeHtml } from './html.js';
import { renderPage, type PageContext } from './page-layout.js';
import { renderProtectionReviews } from './render-protection-reviews.js';
import { renderRichDoc } from './render-rich-doc.js';
import { shipmentFlag } from './render-shipment-parts.js';

/** The outcome of a "Re-check now" click, shown once above the report (from a fixed set, never reflected text). */
export type RecheckNotice = 'done' | 'running' | 'failed';

export const RECHECK_NOTICES: readonly RecheckNotice[] = ['done', 'running', 'failed'];

export interface ReportPageContext extends PageContext {
  /** The visitor's CSRF token for the re-check form. */
  readonly csrfToken: string;
  readonly notice: RecheckNotice | null;
  readonly now: Date;
  /** Slack announcements of deploys to this SHA, each described ("not announced: channel_not_found …"). */
  readonly announcements?: readonly { readonly state: 'pending' | 'posted' | 'failed'; readonly text: string; readonly at: string }[];
  /** Every evaluation of this SHA, newest first, and the id of the one shown (history links). */
  readonly evaluations?: readonly ReportListItem[];
  readonly evaluationId?: number | null;
  /** Shipments of this SHA to production, newest first. */
  readonly shipments?: readonly ShipmentRecord[];
  /** Deployment protection reviews of this SHA, newest first (each links the evaluation it was decided on). */
  readonly protectionReviews?: readonly ProtectionReview[];
}

/** Reports may carry this flag (set by retention); older ones do not. */
function commitsPruned(report: DeployReport): boolean {
  return (report as { readonly commitsPruned?: unknown }).commitsPruned === true;
}

function renderShipments(shipments: readonly ShipmentRecord[], now: Date): SafeHtml | null {
  if (shipments.length === 0) return null;
  const flagged = shipments.some(shippedWithProblems);
  const items = shipments.map(
    (s) =>
      html`<li><strong>${s.rollback ? 'Rolled back to' : 'Shipped'}</strong> <time datetime="${s.shippedAt}">${formatUtc(s.shippedAt)}</time> (${formatAge(s.shippedAt, now)}) by ${s.shippedBy ?? 'unknown'}, ${
        s.fromSha ? html`<span class="sha">${shortSha(s.fromSha)}</span>` : 'unknown'
      } → <span class="sha">${shortSha(s.toSha)}</span>${s.environment ? html` to ${s.environment}` : null}${shipmentFlag(s)}</li>`,
  );
  return html`<section id="shipment" class="banner shipped ${flagged ? 'failure' : 'success'}" aria-label="Shipment"><div class="state">${
    flagged ? 'Shipped with problems' : 'Shipped to production'
  }</div><ul>${items}</ul></section>`;
}

function renderEvaluations(report: DeployReport, ctx: ReportPageContext): SafeHtml | null {
  const list = ctx.evaluations ?? [];
  if (list.length < 2) return null;
  const base = reportPath(report.repo, report.headSha);
  const newestId = list[0]?.id;
  const items = list.map((e) => {
    const label = html`${formatUtc(e.evaluatedAt)} · ${e.kind === 'pull_request' && e.pullRequestNumber !== null ? `PR #${e.pullRequestNumber}` : 'deploy'}, ${e.trigger} · ${e.state} · ${e.problemCount} ${e.problemCount === 1 ? 'problem' : 'problems'}`;
    const href = e.id === newestId ? base : `${base}?evaluation=${e.id}`;
    return e.id === ctx.evaluationId ? html`<li aria-current="page"><strong>${label}</strong> (shown)</li>` : html`<li><a href="${href}">${label}</a></li>`;
  });
  return html`<section id="evaluations"><h2>Evaluations of this SHA <span class="badge plain">${list.length}</span></h2><ul class="plain">${items}</ul></section>`;
}

function renderAnnouncements(ctx: ReportPageContext): SafeHtml | null {
  const list = ctx.announcements ?? [];
  if (list.length === 0) return null;
  return html`<section id="announcements"><h2>Announcements</h2><ul class="plain">${list.map(
    (a) =>
      html`<li><span class="badge ${a.state === 'posted' ? 'success' : a.state === 'failed' ? 'failure' : 'plain'}">${a.state}</span> ${a.text} <span class="muted small">${formatAge(a.at, ctx.now)}</span></li>`,
  )}</ul></section>`;
}

/** Problem groups, most urgent first. Rules this list does not know come last, under their id. */
const RULE_ORDER: readonly RuleId[] = [
  'branch-behind',
  'pull-request-without-ticket',
  'unknown-ticket',
  'ticket-status',
  'risk-assessment',
  'post-deploy-checks',
  'commit-without-ticket',
];

/** Group titles; a rule added later without a title here is shown under its id. */
const RULE_TITLES: Readonly<Partial<Record<RuleId, string>>> = {
  'branch-behind': 'Deploy branch is behind production',
  'pull-request-without-ticket': 'Pull request without a ticket',
  'unknown-ticket': 'Tickets JIRA does not know',
  'ticket-status': 'Tickets not ready to deploy',
  'risk-assessment': 'Missing risk assessment',
  'post-deploy-checks': 'Missing post-deploy checks',
  'commit-without-ticket': 'Commits without a ticket',
};

/** How many items of a long list are shown before the rest is folded into a <details>. */
const FOLD_AFTER = 25;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function folded(items: readonly SafeHtml[], wrap: (items: readonly SafeHtml[]) => SafeHtml, noun: string): SafeHtml {
  if (items.length <= FOLD_AFTER + 5) return wrap(items);
  const rest = items.slice(FOLD_AFTER);
  return html`${wrap(items.slice(0, FOLD_AFTER))}<details><summary>Show ${plural(rest.length, `more ${noun}`, `more ${noun}s`)}</summary>${wrap(rest)}</details>`;
}

/** Commit messages the evaluation read only in part (longer than the per-commit cap). */
function truncatedNote(report: DeployReport): SafeHtml | null {
  const cut = report.truncatedMessages ?? [];
  if (cut.length === 0) return null;
  const listed = cut.slice(0, 5).map((sha) => sha.slice(0, 7));
  const more = cut.length > listed.length ? ` and ${cut.length - listed.length} more` : '';
  return html`<p class="muted">${plural(cut.length, 'commit message was', 'commit messages were')} longer than 64 KB and read only up to that: ${listed.join(', ')}${more}.</p>`;
}

/** Findings sorted like the problems section groups them (stable within a rule). */
function inRuleOrder(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding): number => {
    const i = RULE_ORDER.indexOf(f.rule);
    return i < 0 ? RULE_ORDER.length : i;
  };
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

function renderBanner(report: DeployReport, ctx: ReportPageContext): SafeHtml {
  const problems = report.findings.length;
  let title: string;
  let detail: HtmlValue;
  switch (report.state) {
    case 'success':
      title = 'Passing';
      detail = report.statusDescription;
      break;
    case 'failure':
      title = problems > 0 ? plural(problems, 'problem', 'problems') : 'Failing';
      // The whole summary, in the order of the problems section: the page has the room the 140-character status lacks.
      detail = problems > 0 ? problemSummary(inRuleOrder(report.findings)) : report.statusDescription;
      break;
    default:
      title = 'Error';
      detail = report.error ?? report.statusDescription;
      break;
  }
  const recheck = html`<form method="post" action="${reportPath(report.repo, report.headSha)}/recheck">
<input type="hidden" name="csrf" value="${ctx.csrfToken}"><button class="primary" type="submit">Re-check now</button></form>`;
  return html`<section class="banner ${report.state}" aria-label="Result">
<div><div class="state" data-state="${report.state}">${title}</div>${detail ? html`<p>${detail}</p>` : null}${truncatedNote(report)}</div>
${recheck}
</section>`;
}

function renderNotice(notice: RecheckNotice | null): SafeHtml | null {
  switch (notice) {
    case 'done':
      return html`<p class="notice" role="status">Re-checked just now: this is the new result.</p>`;
    case 'running':
      return html`<p class="notice" role="status">The re-check is still running. Reload this page in a moment to see its result.</p>`;
    case 'failed':
      return html`<p class="notice" role="status">The re-check failed (the app's log has the details). The result below is the previous one.</p>`;
    default:
      return null;
  }
}

function commitLink(sha: string, commit: CommitInfo | undefined): SafeHtml {
  return commit?.url ? html`<a class="sha" href="${safeUrl(commit.url)}">${shortSha(sha)}</a>` : html`<code class="sha">${shortSha(sha)}</code>`;
}

function author(commit: CommitInfo | undefined): string {
  return commit?.authorLogin ?? commit?.authorName ?? 'unknown author';
}

function renderCommitItem(sha: string, commit: CommitInfo | undefined, id: string | null, extra: HtmlValue = null): SafeHtml {
  return html`<li${id ? html` id="${id}"` : null}>${commitLink(sha, commit)} <span class="subject">${
    commit ? commitSubject(commit.message) : html`<span class="muted">(commit not in this report)</span>`
  }</span> <span class="muted small">${author(commit)}</span>${extra}</li>`;
}

const commitList = (items: readonly SafeHtml[]): SafeHtml => html`<ul class="commits">${items}</ul>`;

function findingTarget(finding: Finding, withoutTicket: ReadonlySet<string>): SafeHtml | null {
  if (finding.ticketKey) return html` <a class="small" href="#ticket-${finding.ticketKey}">${finding.ticketKey}</a>`;
  if (finding.commitSha && withoutTicket.has(finding.commitSha)) {
    return html` <a class="small sha" href="#commit-${finding.commitSha}">${shortSha(finding.commitSha)}</a>`;
  }
  return null;
}

function renderProblems(report: DeployReport, withoutTicket: ReadonlySet<string>): SafeHtml {
  if (report.findings.length === 0) {
    return report.state === 'error'
      ? html`<p class="muted">No problems could be concluded: the check ended with an error (see above).</p>`
      : html`<p class="muted">No problems.</p>`;
  }
  const groups = new Map<string, Finding[]>();
  for (const rule of RULE_ORDER) groups.set(rule, []);
  for (const finding of report.findings) {
    const list = groups.get(finding.rule);
    if (list) list.push(finding);
    else groups.set(finding.rule, [finding]);
  }
  const sections: SafeHtml[] = [];
  for (const [rule, findings] of groups) {
    if (findings.length === 0) continue;
    const title = RULE_TITLES[rule as RuleId] ?? rule;
    const items = findings.map(
      (f) => html`<li data-rule="${f.rule}"><div class="summary">${f.summary}${findingTarget(f, withoutTicket)}</div><p class="fix">${f.fix}</p></li>`,
    );
    sections.push(
      html`<div class="group-title">${title} <span class="badge failure">${findings.length}</span></div>${folded(
        items,
        (list) => html`<ol class="problems">${list}</ol>`,
        'problem',
      )}`,
    );
  }
  return html`${sections}`;
}

function renderTicketFacts(ticket: TicketSnapshot): SafeHtml {
  return html`<dl class="facts inline small">
<div><dt>Type</dt><dd>${ticket.type ?? '—'}</dd></div>
<div><dt>Status</dt><dd>${ticket.status ?? '—'}</dd></div>
<div><dt>Assignee</dt><dd>${ticket.assignee ?? 'Unassigned'}</dd></div>
${ticket.riskLevel !== null ? html`<div><dt>Risk level</dt><dd>${ticket.riskLevel}</dd></div>` : null}
</dl>`;
}

function renderTicket(
  entry: ReportTicket,
  findings: readonly Finding[],
  commits: ReadonlyMap<string, CommitInfo>,
  checksSkipped: boolean,
  highRisk: boolean,
): SafeHtml {
  const { ticket } = entry;
  const keyPart = ticket ? html`<a class="key" href="${safeUrl(ticket.url)}">${entry.key}</a>` : html`<span class="key">${entry.key}</span>`;
  const problemBadge = findings.length > 0 ? html`<span class="badge failure">${plural(findings.length, 'problem', 'problems')}</span>` : null;
  const body = ticket
    ? html`${renderTicketFacts(ticket)}
<div class="grid2">
<section><h4>Risk assessment</h4>${renderRichDoc(ticket.riskAssessment, 'No risk assessment.')}</section>
<section><h4>Post-deploy checks</h4>${renderRichDoc(ticket.postDeployChecks, 'No post-deploy checks.')}</section>
</div>`
    : html`<p class="muted">${checksSkipped ? 'Ticket checks were skipped for this report.' : 'JIRA does not know this ticket.'}</p>`;
  const commitItems = entry.commitShas.map((sha) => renderCommitItem(sha, commits.get(sha), null));
  return html`<article class="ticket${findings.length > 0 ? ' has-problems' : ''}" id="ticket-${entry.key}">
<header>${keyPart} ${ticket ? html`<h3>${ticket.summary}</h3>` : null} ${highRisk ? html`<span class="badge risk">high risk</span>` : null} ${problemBadge} <a class="small" href="${ticketPath(entry.key)}">all deploys of ${entry.key}</a></header>
${body}
<h4>${plural(entry.commitShas.length, 'commit', 'commits')}</h4>
${folded(commitItems, commitList, 'commit')}
</article>`;
}

function renderTickets(report: DeployReport, commits: ReadonlyMap<string, CommitInfo>): SafeHtml {
  if (report.tickets.length === 0) return html`<p class="muted">No tickets in this deploy.</p>`;
  const findingsByTicket = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    if (!finding.ticketKey) continue;
    const list = findingsByTicket.get(finding.ticketKey);
    if (list) list.push(finding);
    else findingsByTicket.set(finding.ticketKey, [finding]);
  }
  // Tickets with problems first, otherwise in the report's order.
  const withProblems: ReportTicket[] = [];
  const clean: ReportTicket[] = [];
  for (const entry of report.tickets) (findingsByTicket.has(entry.key) ? withProblems : clean).push(entry);
  const highRisk = new Set(report.highRiskKeys ?? []);
  return html`${[...withProblems, ...clean].map((entry) =>
    renderTicket(entry, findingsByTicket.get(entry.key) ?? [], commits, report.ticketChecksSkipped, highRisk.has(entry.key)),
  )}`;
}

function renderCommitsWithoutTicket(report: DeployReport, commits: ReadonlyMap<string, CommitInfo>): SafeHtml {
  const list = report.commitsWithoutTicket;
  if (list.length === 0) return html`<p class="muted">Every commit references a ticket.</p>`;
  const notExempt = list.filter((c) => c.exemptReason === null);
  const exempt = list.filter((c) => c.exemptReason !== null);
  const parts: SafeHtml[] = [];
  if (notExempt.length > 0) {
    const items = notExempt.map((c) => renderCommitItem(c.sha, commits.get(c.sha), `commit-${c.sha}`, html` <span class="badge failure">no ticket</span>`));
    parts.push(folded(items, commitList, 'commit'));
  }
  if (exempt.length > 0) {
    const items = exempt.map((c) =>
      renderCommitItem(c.sha, commits.get(c.sha), `commit-${c.sha}`, html` <span class="badge plain">exempt: ${c.exemptReason}</span>`),
    );
    parts.push(html`<h4>${plural(exempt.length, 'exempt commit', 'exempt commits')}</h4>${folded(items, commitList, 'commit')}`);
  }
  return html`${parts}`;
}

function renderReverts(report: DeployReport, commits: ReadonlyMap<string, CommitInfo>): SafeHtml {
  return html`${report.reverted.map(
    (r) =>
      html`<div class="card"><h3><a href="${ticketPath(r.key)}">${r.key}</a> is taken out by</h3>${commitList(
        r.commitShas.map((sha) => renderCommitItem(sha, commits.get(sha), null)),
      )}</div>`,
  )}`;
}

function renderFacts(report: DeployReport, ctx: ReportPageContext): SafeHtml {
  const deployCommit = report.commits.find((c) => c.sha === report.headSha);
  const compare = report.compare ? `${report.compare.status}: ahead by ${report.compare.aheadBy}, behind by ${report.compare.behindBy}` : 'not compared';
  const pr = report.pullRequest
    ? html`<dt>Pull request</dt><dd><a href="${safeUrl(report.pullRequest.url)}">#${report.pullRequest.number}</a> ${report.pullRequest.title}</dd>`
    : null;
  return html`<dl class="facts">
<dt>Repository</dt><dd><a href="${repoPath(report.repo)}">${report.repo.owner}/${report.repo.repo}</a></dd>
${pr}
<dt>Deploy</dt><dd><code>${report.headBranch}</code> at ${commitLink(report.headSha, deployCommit)}</dd>
<dt>Production</dt><dd><code>${report.baseBranch}</code> at ${report.baseSha === null ? html`unknown` : html`<code class="sha">${shortSha(report.baseSha)}</code>`}</dd>
<dt>Compared</dt><dd>${compare}; ${plural(report.commits.length, 'commit', 'commits')}, ${plural(report.tickets.length, 'ticket', 'tickets')}</dd>
<dt>Checked</dt><dd><time datetime="${report.evaluatedAt}">${formatUtc(report.evaluatedAt)}</time> <span class="muted">(${formatAge(report.evaluatedAt, ctx.now)}, ${report.trigger})</span></dd>
</dl>`;
}

/** The whole report page. */
export function renderReportPage(report: DeployReport, ctx: ReportPageContext): SafeHtml {
  const commits = new Map<string, CommitInfo>();
  for (const commit of report.commits) commits.set(commit.sha, commit);
  const withoutTicket = new Set(report.commitsWithoutTicket.map((c) => c.sha));
  const heading = report.pullRequest
    ? html`${report.repo.owner}/${report.repo.repo} · pull request #${report.pullRequest.number}`
    : html`${report.repo.owner}/${report.repo.repo} · deploy ${shortSha(report.headSha)}`;
  const subline = html`<p class="muted small subline"><code>${report.headBranch}</code> → <code>${report.baseBranch}</code> · ${plural(report.commits.length, 'commit', 'commits')} · ${plural(report.tickets.length, 'ticket', 'tickets')} · checked <time datetime="${report.evaluatedAt}" title="${formatUtc(report.evaluatedAt)}">${formatAge(report.evaluatedAt, ctx.now)}</time></p>`;
  const skippedNote = report.ticketChecksSkipped
    ? html`<p class="notice">Ticket checks were skipped (no JIRA configured): only commit references were checked.</p>`
    : null;
  const prunedNote = commitsPruned(report)
    ? html`<p class="notice">The commit list of this evaluation was pruned by retention: the tickets and problems are kept, the commits are not.</p>`
    : null;
  const olderNote =
    ctx.evaluationId != null && ctx.evaluations?.[0] && ctx.evaluations[0].id !== ctx.evaluationId
      ? html`<p class="notice">This is an earlier evaluation. <a href="${reportPath(report.repo, report.headSha)}">See the newest</a>.</p>`
      : null;
  const body = html`<h1>${heading}</h1>
${subline}
${renderNotice(ctx.notice)}
${olderNote}
${renderShipments(ctx.shipments ?? [], ctx.now)}
${renderBanner(report, ctx)}
${renderProtectionReviews(ctx.protectionReviews ?? [], (id) => `${reportPath(report.repo, report.headSha)}?evaluation=${id}`)}
${skippedNote}
${prunedNote}
<section id="problems"><h2>Problems${report.findings.length > 0 ? html` <span class="badge failure">${report.findings.length}</span>` : null}</h2>
${renderProblems(report, withoutTicket)}</section>
<section id="tickets"><h2>Tickets <span class="badge plain">${report.tickets.length}</span></h2>
${renderTickets(report, commits)}</section>
<section id="commits-without-ticket"><h2>Commits without a ticket <span class="badge plain">${report.commitsWithoutTicket.length}</span></h2>
${renderCommitsWithoutTicket(report, commits)}</section>
${renderAnnouncements(ctx)}
${renderEvaluations(report, ctx)}
${report.reverted.length > 0 ? html`<section id="reverts"><h2>Reverts <span class="badge plain">${report.reverted.length}</span></h2>${renderReverts(report, commits)}</section>` : null}
<section id="details"><h2>Details</h2>${renderFacts(report, ctx)}
<p class="small"><a href="${reportPath(report.repo, report.headSha)}.json">This report as JSON</a></p></section>
`;
  const title = `${report.repo.owner}/${report.repo.repo} ${shortSha(report.headSha)}`;
  return renderPage({ title, context: ctx, body });
}
