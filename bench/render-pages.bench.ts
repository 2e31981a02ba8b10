/**
 * Benchmark of the list and report pages (`npm run bench:render`, after bench/render-report.bench.ts): `/deploys`
 * for 1,000 repositories (each with a pending deploy and a last shipment, every tenth flagged) and the report page
 * of a 10,000-commit deploy (2,000 tickets, a shipment and 3 evaluations of its SHA). Renders each RUNS times
 * after a warm-up; prints the median render time and the HTML size, and a Markdown table for docs/BENCHMARKS.md.
 *
 * It runs against older renderers too (for the before/after numbers): when src/web/render-shipment-parts.ts does not
 * exist, `/deploys` is rendered the old way (every repository with its latest report on one page).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CommitInfo, DeployReport, Finding, ReportTicket } from '../src/core/domain.js';
import * as listPages from '../src/web/render-list-pages.js';
import { renderReportPage } from '../src/web/render-report-page.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 30);
const WARMUP = 5;
const REPOSITORIES = 1_000;
const COMMITS = 10_000;
const TICKETS = 2_000;
const NOW = new Date('2024-05-02T09:00:00Z');

const sha = (n: number): string => n.toString(16).padStart(8, '0').repeat(5);

const newPages = await import('../src/web/render-shipment-parts.js').then(
  () => true,
  () => false,
);

function listItem(i: number) {
  return {
    id: i + 1,
    kind: 'deploy' as const,
    repo: { owner: 'acme', repo: `service-${i}` },
    headSha: sha(i + 1),
    baseSha: sha(i + 100_000),
    pullRequestNumber: null,
    trigger: 'push' as const,
    evaluatedAt: new Date(NOW.getTime() - i * 60_000).toISOString(),
    state: (i % 3 === 0 ? 'success' : 'failure') as 'success' | 'failure',
    ticketCount: 4,
    problemCount: i % 3 === 0 ? 0 : 2,
    commitCount: 12,
    statusDescription: i % 3 === 0 ? 'All clear: 4 tickets ready, 12 commits checked' : '2 problems: PAY-1 is "In Review"; PAY-2 has no risk assessment',
    highRiskCount: i % 5 === 0 ? 1 : 0,
  };
}

function shipment(i: number) {
  return {
    kind: 'shipment' as const,
    id: i + 1,
    repo: { owner: 'acme', repo: `service-${i}` },
    fromSha: sha(i + 200_000),
    toSha: sha(i + 100_000),
    source: 'push' as const,
    environment: null,
    shippedBy: `dev${i % 37}`,
    shippedAt: new Date(NOW.getTime() - 3_600_000 - i * 60_000).toISOString(),
    evaluationId: i + 5_000,
    checkState: (i % 10 === 0 ? 'failure' : 'success') as 'failure' | 'success',
    problemCount: i % 10 === 0 ? 2 : 0,
    problems: [],
    ticketKeys: ['PAY-1', 'PAY-2', 'PAY-3'],
    highRiskKeys: [],
    rollback: false,
  };
}

const listCtx = { user: { login: 'dana' }, authEnabled: true, now: NOW };
const allRepos = Array.from({ length: REPOSITORIES }, (_, i) => ({ repo: listItem(i).repo, latest: listItem(i) }));
const firstPage = allRepos.slice(0, 50).map((o, i) => ({ ...o, pendingDeploy: o.latest, lastShipment: shipment(i) }));

function deploysPage(): string {
  if (!newPages) {
    // Before: every repository with its newest report, all on one page.
    const render = listPages.renderRepositoriesPage as unknown as (repos: unknown, c: unknown) => { html: string };
    return render(allRepos, listCtx).html;
  }
  const list = { items: firstPage, total: REPOSITORIES, page: 1, pageSize: 50, filters: { state: null, repo: null } };
  return listPages.renderRepositoriesPage(list, listCtx).html;
}

function bigReport(): DeployReport {
  const commits: CommitInfo[] = [];
  const tickets: ReportTicket[] = [];
  const findings: Finding[] = [];
  let n = 0;
  for (let t = 0; t < TICKETS; t += 1) {
    const key = `PAY-${1000 + t}`;
    const shas: string[] = [];
    for (let c = 0; c < COMMITS / TICKETS; c += 1) {
      const s = sha(++n);
      shas.push(s);
      commits.push({
        sha: s,
        message: `${key} Change ${c} of the refunds <flow> & "settlement" logic`,
        authorLogin: `dev${t % 37}`,
        authorName: null,
        date: '2024-05-01T09:00:00Z',
        parents: [],
        url: `https://github.com/acme/payments/commit/${s}`,
      });
    }
    tickets.push({
      key,
      commitShas: shas,
      ticket: {
        key,
        summary: `Refunds part ${t} <with> "markup"`,
        type: 'Story',
        status: t % 5 === 0 ? 'In Review' : 'Ready for Deploy',
        assignee: `Developer ${t % 37}`,
        riskAssessment: [{ type: 'paragraph', text: `Medium risk: behind flag payments.flag_${t}.` }],
        postDeployChecks: [{ type: 'list', ordered: true, items: ['Refund a test capture', 'Watch the error rate'] }],
        riskLevel: t % 4 === 0 ? 'High' : 'Low',
        url: `https://acme.atlassian.net/browse/${key}`,
      },
    });
    if (t % 5 === 0) findings.push({ rule: 'ticket-status', summary: `${key} is "In Review"`, fix: `Move ${key} to "Ready for Deploy".`, ticketKey: key });
  }
  return {
    kind: 'deploy',
    repo: { owner: 'acme', repo: 'payments' },
    pullRequest: null,
    baseBranch: 'main',
    headBranch: 'deploy',
    baseSha: sha(0),
    headSha: sha(n),
    trigger: 'push',
    evaluatedAt: '2024-05-01T10:00:00.000Z',
    state: 'failure',
    error: null,
    compare: { status: 'ahead', aheadBy: COMMITS, behindBy: 0 },
    commits,
    tickets,
    reverted: [],
    commitsWithoutTicket: [],
    findings,
    ticketChecksSkipped: false,
    statusDescription: `${findings.length} problems`,
    highRiskKeys: tickets.filter((_, t) => t % 4 === 0).map((t) => t.key),
  };
}

const report = bigReport();
const reportCtx = {
  user: { login: 'dana' },
  authEnabled: true,
  csrfToken: 'x'.repeat(43),
  notice: null,
  now: NOW,
  evaluations: [3, 2, 1].map((id) => ({ ...listItem(0), id, repo: report.repo, headSha: report.headSha })),
  evaluationId: 3,
  shipments: [{ ...shipment(0), repo: report.repo, toSha: report.headSha, checkState: 'failure' as const, problemCount: report.findings.length }],
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function measure(render: () => string): { median: number; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < WARMUP; i += 1) bytes = Buffer.byteLength(render());
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const html = render();
    times.push(performance.now() - start);
    bytes = Buffer.byteLength(html);
  }
  return { median: median(times), bytes };
}

const deploys = measure(deploysPage);
const reportPage = measure(() => renderReportPage(report, reportCtx).html);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

console.log(`renderers: ${newPages ? 'paginated /deploys (this branch)' : 'one-page /deploys (before)'}`);
console.log('');
console.log('| Page | Runs | Median render | HTML size |');
console.log('| --- | --- | --- | --- |');
console.log(`| /deploys, ${REPOSITORIES} repositories | ${RUNS} | ${deploys.median.toFixed(2)} ms | ${kib(deploys.bytes)} |`);
console.log(`| report page, ${COMMITS} commits, ${TICKETS} tickets | ${RUNS} | ${reportPage.median.toFixed(1)} ms | ${kib(reportPage.bytes)} |`);
console.log('');
console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`);
