import { describe, expect, it } from 'vitest';
import { expectInert } from './expect-inert.js';
import type { DeployReport } from '../../src/core/domain.js';
import type { ShipmentRecord } from '../../src/core/records/shipment-record.js';
import type { ShipmentInput } from '../../src/store/shipment-store.js';
import { formatAge, formatUtc } from '../../src/web/format-time.js';
import { renderHistoryPage, renderRepositoriesPage } from '../../src/web/render-list-pages.js';
import { renderReportPage, type ReportPageContext } from '../../src/web/render-report-page.js';
import { renderRichDoc } from '../../src/web/render-rich-doc.js';
import { MAX_REPORT_ROWS, productionStatusByRepo, renderTicketPage } from '../../src/web/render-ticket-page.js';
import {
  fakeSha,
  FIXTURE_REPO,
  hostileReport,
  IMG,
  makeCommit,
  makeReport,
  makeReportTicket,
  makeTicket,
  passingReport,
  SCRIPT,
  shipmentRecord,
} from './web-report-fixtures.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const ctx: ReportPageContext = { user: { login: 'dana' }, authEnabled: true, csrfToken: 'tok-123', notice: null, now: NOW };

function listItemOf(report: DeployReport, id: number) {
  return {
    id,
    kind: report.kind,
    repo: report.repo,
    headSha: report.headSha,
    baseSha: report.baseSha,
    pullRequestNumber: null,
    trigger: report.trigger,
    evaluatedAt: report.evaluatedAt,
    state: report.state,
    ticketCount: report.tickets.length,
    problemCount: report.findings.length,
    commitCount: report.commits.length,
    statusDescription: report.statusDescription,
    highRiskCount: 0,
  };
}

describe('report page', () => {
  it('shows the problems first, with what to do, before the tickets', () => {
    const page = renderReportPage(makeReport(), ctx).html;
    const problems = page.indexOf('id="problems"');
    const tickets = page.indexOf('id="tickets"');
    expect(problems).toBeGreaterThan(0);
    expect(tickets).toBeGreaterThan(problems);
    expect(page).toContain('PAY-2 has no post-deploy checks');
    expect(page).toContain('Describe in PAY-2 what to check after the deploy.');
    expect(page).toMatch(/<div class="state" data-state="failure">1 problem<\/div>/);
    // The problem links to its ticket, and the ticket with the problem comes first.
    expect(page).toContain('href="#ticket-PAY-2"');
    expect(page.indexOf('id="ticket-PAY-2"')).toBeLessThan(page.indexOf('id="ticket-PAY-1"'));
  });

  it('renders each ticket: key linked to JIRA, summary, type, status, assignee, risk and checks, its commits', () => {
    const page = renderReportPage(makeReport(), ctx).html;
    expect(page).toContain('<a class="key" href="https://acme.atlassian.net/browse/PAY-1">PAY-1</a>');
    expect(page).toContain('Summary of PAY-1');
    expect(page).toContain('<dt>Type</dt><dd>Story</dd>');
    expect(page).toContain('<dt>Status</dt><dd>Ready for Deploy</dd>');
    expect(page).toContain('<dt>Assignee</dt><dd>Dana Developer</dd>');
    expect(page).toContain('<p>Low risk: behind a feature flag.</p>');
    expect(page).toContain('<ul><li>Open the payments page</li><li>Check the error rate</li></ul>');
    expect(page).toContain('No post-deploy checks.');
    expect(page).toContain(`>${fakeSha('c1').slice(0, 7)}</a> <span class="subject">PAY-1 Add refunds endpoint</span> <span class="muted small">dana</span>`);
  });

  it('shows the passing and error banners', () => {
    expect(renderReportPage(passingReport(), ctx).html).toMatch(/data-state="success">Passing<\/div><p>All 2 tickets ready<\/p>/);
    const error = renderReportPage(makeReport({ state: 'error', error: 'JIRA answered 503', findings: [] }), ctx).html;
    expect(error).toMatch(/data-state="error">Error<\/div><p>JIRA answered 503<\/p>/);
  });

  it('the failure banner carries every problem, not the status text cut at 140 characters', () => {
    const findings = Array.from({ length: 12 }, (_, i) => ({
      rule: 'ticket-status' as const,
      summary: `PAY-${100 + i} is In Progress`,
      fix: 'Move it.',
      ticketKey: `PAY-${100 + i}`,
    }));
    const html = renderReportPage(makeReport({ state: 'failure', findings, statusDescription: '12 problems: PAY-100 is In Progress; PAY-101 is…' }), ctx).html;
    const banner = /<section class="banner failure"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(banner).toContain('data-state="failure">12 problems</div>');
    for (const f of findings) expect(banner).toContain(f.summary);
    expect(banner).not.toContain('PAY-101 is…');
  });

  it('orders the banner summary like the problems section: by rule, commits without a ticket folded into one phrase', () => {
    const findings = [
      { rule: 'commit-without-ticket' as const, summary: 'abc1234 references no ticket', fix: 'Reword.', commitSha: fakeSha('n1') },
      { rule: 'post-deploy-checks' as const, summary: 'PAY-2 has no post-deploy checks', fix: 'Add them.', ticketKey: 'PAY-2' },
      { rule: 'commit-without-ticket' as const, summary: 'def5678 references no ticket', fix: 'Reword.', commitSha: fakeSha('n2') },
      { rule: 'ticket-status' as const, summary: 'PAY-1 is In Progress', fix: 'Move it.', ticketKey: 'PAY-1' },
    ];
    const html = renderReportPage(makeReport({ findings }), ctx).html;
    expect(html).toContain('data-state="failure">4 problems</div><p>PAY-1 is In Progress; PAY-2 has no post-deploy checks; 2 commits without a ticket</p>');
  });

  it('says when retention pruned the commit list, and nothing when the field is absent', () => {
    const pruned = renderReportPage({ ...makeReport(), commitsPruned: true } as DeployReport, ctx).html;
    expect(pruned).toContain('The commit list of this evaluation was pruned by retention');
    expect(renderReportPage(makeReport(), ctx).html).not.toContain('pruned by retention');
  });

  it('escapes hostile shipment and evaluation text in the shipment box and the evaluation list', () => {
    const report = makeReport();
    const evaluation = { ...listItemOf(report, 2), trigger: 'push' as const };
    const page = renderReportPage(report, {
      ...ctx,
      shipments: [shipmentRecord(1, { toSha: report.headSha, shippedBy: SCRIPT, environment: IMG, checkState: 'error' })],
      evaluations: [evaluation, { ...evaluation, id: 1, evaluatedAt: '2024-05-01T09:00:00.000Z' }],
      evaluationId: 2,
    }).html;
    expect(page).toContain('by &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('⚠ shipped while its check could not finish');
    expect(page).toContain(`<a href="/deploys/acme/payments/${report.headSha}?evaluation=1">`);
    expectInert(page);
  });

  it('says which commit messages were read only in part', () => {
    const cut = Array.from({ length: 7 }, (_, i) => fakeSha(`cut-${i}`));
    const html = renderReportPage(makeReport({ truncatedMessages: cut }), ctx).html;
    expect(html).toContain(`7 commit messages were longer than 64 KB and read only up to that: ${cut[0]!.slice(0, 7)}`);
    expect(html).toContain('and 2 more.');
    expect(renderReportPage(makeReport(), ctx).html).not.toContain('longer than 64 KB');
  });

  it('has a Re-check form posting to the report with the CSRF token, and a JSON link', () => {
    const report = makeReport();
    const page = renderReportPage(report, ctx).html;
    expect(page).toContain(`<form method="post" action="/deploys/acme/payments/${report.headSha}/recheck">`);
    expect(page).toContain('<input type="hidden" name="csrf" value="tok-123">');
    expect(page).toContain(`href="/deploys/acme/payments/${report.headSha}.json"`);
  });

  it('lists commits without a ticket with their exempt reason, and reverts', () => {
    const lone = makeCommit(fakeSha('lone'), 'Tidy README');
    const bump = makeCommit(fakeSha('bump'), 'Bump deps');
    const revert = makeCommit(fakeSha('rev'), 'Revert "PAY-3 Old thing"');
    const base = makeReport();
    const report = makeReport({
      commits: [...base.commits, lone, bump, revert],
      commitsWithoutTicket: [
        { sha: lone.sha, exemptReason: null },
        { sha: bump.sha, exemptReason: 'dependency bump (renovate)' },
      ],
      reverted: [{ key: 'PAY-3', commitShas: [revert.sha] }],
    });
    const page = renderReportPage(report, ctx).html;
    expect(page).toMatch(new RegExp(`id="commit-${lone.sha}">.*Tidy README.*no ticket`));
    expect(page).toContain('exempt: dependency bump (renovate)');
    expect(page).toContain('<a href="/tickets/PAY-3">PAY-3</a> is taken out by');
    expect(page).toContain('Revert &quot;PAY-3 Old thing&quot;');
  });

  it('folds long lists behind a <details> so the page stays readable', () => {
    const commits = Array.from({ length: 60 }, (_, i) => makeCommit(fakeSha(`m${i}`), `PAY-1 part ${i}`));
    const report = makeReport({
      commits,
      tickets: [
        makeReportTicket(
          'PAY-1',
          commits.map((c) => c.sha),
        ),
      ],
      findings: [],
    });
    const page = renderReportPage(report, ctx).html;
    expect(page).toContain('<summary>Show 35 more commits</summary>');
    expect(page).toContain('PAY-1 part 59');
  });

  it('shows a re-check notice from the fixed set only', () => {
    expect(renderReportPage(makeReport(), { ...ctx, notice: 'done' }).html).toContain('Re-checked just now');
    expect(renderReportPage(makeReport(), { ...ctx, notice: 'failed' }).html).toContain('The re-check failed');
  });

  it('renders markup and javascript: links from commits and JIRA inert', () => {
    const page = renderReportPage(hostileReport(), ctx).html;
    expectInert(page);
    // The text is still there, escaped.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<a class="key" href="#">PAY-1</a>');
    expect(page).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;');
    // Markup in a status that errored, in the PR title, in the exempt reason: escaped too.
    expect(page).toContain('exempt: &lt;script&gt;alert(1)&lt;/script&gt; exempt');
  });
});

describe('rich doc', () => {
  it('renders each block kind and escapes', () => {
    const out = renderRichDoc(
      [
        { type: 'heading', text: 'Rollback' },
        { type: 'paragraph', text: 'Flip the <flag>' },
        { type: 'list', ordered: true, items: ['one', 'two'] },
        { type: 'code', text: 'kubectl rollout undo' },
        { type: 'quote', text: 'quoted' },
      ],
      'none',
    ).html;
    expect(out).toBe(
      '<div class="doc"><h4>Rollback</h4><p>Flip the &lt;flag&gt;</p><ol><li>one</li><li>two</li></ol><pre><code>kubectl rollout undo</code></pre><blockquote>quoted</blockquote></div>',
    );
  });

  it('shows the empty text for an empty or blank document', () => {
    expect(renderRichDoc([], 'No checks.').html).toBe('<p class="muted small">No checks.</p>');
    expect(renderRichDoc([{ type: 'paragraph', text: '  ' }], 'No checks.').html).toContain('No checks.');
  });
});

describe('list pages', () => {
  const item = (report: DeployReport, id: number) => ({
    id,
    kind: report.kind,
    repo: report.repo,
    headSha: report.headSha,
    baseSha: report.baseSha,
    pullRequestNumber: null,
    trigger: report.trigger,
    evaluatedAt: report.evaluatedAt,
    state: report.state,
    ticketCount: report.tickets.length,
    problemCount: report.findings.length,
    commitCount: report.commits.length,
    statusDescription: report.statusDescription,
    highRiskCount: 0,
  });

  it('lists repositories with the pending deploy (state, tickets, problems, high risk, SHA, age) and the last shipment', () => {
    const report = makeReport();
    const pending = { ...item(report, 1), highRiskCount: 2 };
    const lastShipment = shipmentRecord(9, { toSha: fakeSha('old'), evaluationId: 4, shippedAt: '2024-05-01T06:00:00.000Z', shippedBy: 'sam' });
    const list = {
      items: [{ repo: FIXTURE_REPO, latest: pending, pendingDeploy: pending, lastShipment }],
      total: 1,
      page: 1,
      pageSize: 50,
      filters: { state: null, repo: null },
    };
    const page = renderRepositoriesPage(list, { ...ctx }).html;
    expect(page).toContain('<a href="/deploys/acme/payments">acme/payments</a>');
    expect(page).toContain('<span class="badge failure">failing</span>');
    expect(page).toContain(`<a class="sha" href="/deploys/acme/payments/${report.headSha}">${report.headSha.slice(0, 7)}</a>`);
    expect(page).toContain('2 tickets, 1 problem, <span class="badge risk">2 high risk</span>');
    expect(page).toContain('2 h ago');
    expect(page).toContain(`<a href="/deploys/acme/payments/${fakeSha('old')}?evaluation=4">`);
    expect(page).toContain('by sam, 2 stories');
    expect(page).not.toContain('⚠');
    expect(page).toContain('Page 1 of 1 (1 repository)');
  });

  it('flags a last shipment with problems or without a check, and says when nothing is pending', () => {
    const flagged = shipmentRecord(9, { checkState: 'failure', problemCount: 3 });
    const unchecked = shipmentRecord(10, { checkState: 'never-checked', evaluationId: null });
    const latest = item(makeReport(), 1);
    const list = {
      items: [
        { repo: FIXTURE_REPO, latest, pendingDeploy: null, lastShipment: flagged },
        { repo: { owner: 'acme', repo: 'web' }, latest, pendingDeploy: null, lastShipment: unchecked },
      ],
      total: 2,
      page: 1,
      pageSize: 50,
      filters: { state: null, repo: null },
    };
    const page = renderRepositoriesPage(list, ctx).html;
    expect(page).toContain('⚠ shipped with 3 unresolved problems');
    expect(page).toContain('⚠ never checked');
    expect(page).toContain('nothing pending');
  });

  it('keeps the filters in the page links and the form, and says "Page 2 of 20"', () => {
    const latest = item(makeReport(), 1);
    const list = {
      items: [{ repo: FIXTURE_REPO, latest, pendingDeploy: latest, lastShipment: null }],
      total: 1000,
      page: 2,
      pageSize: 50,
      filters: { state: 'failing' as const, repo: 'pay' },
    };
    const page = renderRepositoriesPage(list, ctx).html;
    expect(page).toContain('Page 2 of 20 (1000 repositories)');
    expect(page).toContain('<a href="/deploys?state=failing&amp;repo=pay" rel="prev">');
    expect(page).toContain('<a href="/deploys?state=failing&amp;repo=pay&amp;page=3" rel="next">');
    expect(page).toContain('<option value="failing" selected>failing</option>');
    expect(page).toContain('name="repo" value="pay"');
    expect(page).toContain('never shipped');
  });

  it('escapes a hostile repo filter echoed into the form', () => {
    const list = { items: [], total: 0, page: 1, pageSize: 50, filters: { state: null, repo: `"><script>alert(1)</script>` } };
    const page = renderRepositoriesPage(list, ctx).html;
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('No repository matches these filters.');
    expectInert(page);
  });

  it('merges shipments into the history, newest first, flagging one shipped with problems', () => {
    const newer = item(makeReport({ evaluatedAt: '2024-05-01T11:00:00.000Z', headSha: fakeSha('new') }), 2);
    const older = item(makeReport({ evaluatedAt: '2024-05-01T08:00:00.000Z' }), 1);
    const shipment = shipmentRecord(5, { shippedAt: '2024-05-01T10:00:00.000Z', checkState: 'failure', problemCount: 1, evaluationId: 1 });
    const page = renderHistoryPage({ repo: FIXTURE_REPO, items: [newer, older], shipments: [shipment], total: 2, page: 1, pageSize: 50 }, ctx).html;
    const at = (text: string) => page.indexOf(text);
    expect(at(fakeSha('new').slice(0, 7))).toBeGreaterThan(0);
    expect(at('⚠ shipped with 1 unresolved problem<')).toBeGreaterThan(at(`>${fakeSha('new').slice(0, 7)}<`));
    expect(at(`?evaluation=1"`)).toBeGreaterThan(at(`>${fakeSha('new').slice(0, 7)}<`));
    expect(at(`href="/deploys/acme/payments/${older.headSha}"`)).toBeGreaterThan(at('⚠ shipped with 1 unresolved problem'));
    expect(page).toContain('<tr class="shipment flagged">');
  });

  it('paginates the history with newer/older links', () => {
    const report = makeReport();
    const page = renderHistoryPage({ repo: FIXTURE_REPO, items: [item(report, 1)], total: 120, page: 2, pageSize: 50 }, ctx).html;
    expect(page).toContain('Page 2 of 3 (120 reports)');
    expect(page).toContain('<a href="/deploys/acme/payments" rel="prev">');
    expect(page).toContain('<a href="/deploys/acme/payments?page=3" rel="next">');
  });
});

describe('ticket page', () => {
  const announcement = (over: Partial<ShipmentInput> & { id?: number; createdAt?: string }): ShipmentRecord => {
    const { id = 1, createdAt = '2024-05-01T10:00:00Z', ...rest } = over;
    return shipmentRecord(id, { toSha: fakeSha('to'), ticketKeys: ['PAY-1'], shippedAt: createdAt, ...rest });
  };

  it('says since when a ticket is in production, per repository; a later rollback wins', () => {
    const other = { owner: 'acme', repo: 'web' };
    const statuses = productionStatusByRepo('PAY-1', [
      announcement({ id: 1, createdAt: '2024-05-01T10:00:00Z', toSha: fakeSha('a') }),
      announcement({ id: 2, createdAt: '2024-05-02T10:00:00Z', toSha: fakeSha('b') }),
      announcement({ id: 3, repo: other, createdAt: '2024-05-01T10:00:00Z', toSha: fakeSha('c'), checkState: 'failure', problemCount: 2 }),
      announcement({ id: 4, repo: other, createdAt: '2024-05-03T10:00:00Z', toSha: fakeSha('d'), rollback: true }),
    ]);
    expect(statuses).toEqual([
      { kind: 'in-production', repo: FIXTURE_REPO, since: '2024-05-01T10:00:00Z', sha: fakeSha('a') },
      { kind: 'rolled-back', repo: other, at: '2024-05-03T10:00:00Z', sha: fakeSha('d') },
    ]);
  });

  it('renders production state and the reports containing the ticket', () => {
    const report = makeReport();
    const page = renderTicketPage(
      {
        key: 'PAY-1',
        snapshot: { ticket: makeTicket('PAY-1', { summary: `Refunds ${IMG}` }), evaluatedAt: report.evaluatedAt },
        reports: [],
        production: productionStatusByRepo('PAY-1', [announcement({ toSha: report.headSha })]),
      },
      ctx,
    ).html;
    expect(page).toContain('In production</span> since <time datetime="2024-05-01T10:00:00Z">2024-05-01 10:00 UTC</time>');
    expect(page).toContain(`acme/payments ${report.headSha.slice(0, 7)}</a>`);
    expect(page).toContain('No report of a repository you can read contains PAY-1.');
    expectInert(page);
    const notYet = renderTicketPage({ key: 'PAY-1', snapshot: null, reports: [], production: [] }, ctx).html;
    expect(notYet).toContain('Not in production yet');
    expect(notYet).not.toContain(SCRIPT);
    expect(page).not.toContain('not ready in JIRA');
  });

  it('warns when the ticket is in production while JIRA had it in a state the rules do not allow', () => {
    const report = makeReport();
    const data = {
      key: 'PAY-103',
      snapshot: { ticket: makeTicket('PAY-103', { status: 'In Progress' }), evaluatedAt: '2024-05-01T09:00:00Z', notDeployable: true },
      reports: [],
    };
    const shipped = renderTicketPage(
      { ...data, production: productionStatusByRepo('PAY-103', [announcement({ toSha: report.headSha, ticketKeys: ['PAY-103'] })]) },
      ctx,
    ).html;
    expect(shipped).toContain('In production, but not ready in JIRA</span> JIRA had PAY-103 as In Progress when it was last checked (2024-05-01 09:00 UTC)');
    expect(renderTicketPage({ ...data, production: [] }, ctx).html).not.toContain('not ready in JIRA');
  });
});

describe('ticket page length', () => {
  it('lists at most MAX_REPORT_ROWS reports and says how many older ones are left out', () => {
    const report = makeReport();
    const item = {
      id: 1,
      kind: report.kind,
      repo: report.repo,
      headSha: report.headSha,
      baseSha: report.baseSha,
      pullRequestNumber: null,
      trigger: report.trigger,
      evaluatedAt: report.evaluatedAt,
      state: report.state,
      ticketCount: 2,
      problemCount: 1,
      commitCount: 2,
      statusDescription: report.statusDescription,
      highRiskCount: 0,
    };
    const reports = Array.from({ length: MAX_REPORT_ROWS + 7 }, (_, i) => ({ ...item, id: i }));
    const page = renderTicketPage({ key: 'PAY-1', snapshot: null, reports, production: [] }, ctx).html;
    expect((page.match(/<td class="lead">/g) ?? []).length).toBe(MAX_REPORT_ROWS);
    expect(page).toContain('The 7 older reports are not listed.');
  });
});

describe('time formatting', () => {
  it('formats UTC times and ages', () => {
    expect(formatUtc('2024-05-01T10:05:59Z')).toBe('2024-05-01 10:05 UTC');
    expect(formatUtc('not a date')).toBe('not a date');
    expect(formatAge('2024-05-01T11:59:30Z', NOW)).toBe('just now');
    expect(formatAge('2024-05-01T11:15:00Z', NOW)).toBe('45 min ago');
    expect(formatAge('2024-04-28T12:00:00Z', NOW)).toBe('3 d ago');
    expect(formatAge('2024-06-01T12:00:00Z', NOW)).toBe('in the future');
  });
});
