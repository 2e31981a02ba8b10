/**
 * Benchmark of server-side rendering of the report page (`npm run bench:render`): a synthetic deploy of 5,000
 * commits shipping 1,000 tickets (each with a risk assessment and post-deploy checks), 500 commits without a
 * ticket (half of them exempt) and 650 findings, rendered RUNS times by `renderReportPage` after a warm-up.
 * Prints the median and max render time, the HTML size, and a Markdown table for docs/BENCHMARKS.md.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CommitInfo, DeployReport, Finding, ReportTicket, RichDoc } from '../src/core/domain.js';
import { renderReportPage } from '../src/web/render-report-page.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 30);
const WARMUP = 5;
const COMMITS = 5_000;
const TICKETS = 1_000;
const WITHOUT_TICKET = 500;

function sha(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(5);
}

function buildReport(): DeployReport {
  const commits: CommitInfo[] = [];
  const tickets: ReportTicket[] = [];
  const findings: Finding[] = [];
  // 4,500 commits over 1,000 tickets: 4 or 5 each.
  const perTicket = (t: number): number => (t % 2 === 0 ? 4 : 5);
  let n = 0;
  for (let t = 0; t < TICKETS; t += 1) {
    const key = `PAY-${1000 + t}`;
    const shas: string[] = [];
    for (let c = 0; c < perTicket(t); c += 1) {
      const s = sha(++n);
      shas.push(s);
      commits.push({
        sha: s,
        message: `${key} Change ${c} of the refunds <flow> & "settlement" logic\n\nLonger body explaining the change in detail.`,
        authorLogin: `dev${t % 37}`,
        authorName: `Developer ${t % 37}`,
        date: '2024-05-01T09:00:00Z',
        parents: n > 1 ? [sha(n - 1)] : [],
        url: `https://github.com/acme/payments/commit/${s}`,
      });
    }
    const risk: RichDoc = [
      { type: 'paragraph', text: `Medium risk: touches ${key}'s refund path; behind flag payments.flag_${t}.` },
      { type: 'heading', text: 'Rollback' },
      { type: 'list', ordered: false, items: ['Turn the flag off', 'Redeploy the previous production SHA'] },
    ];
    const checks: RichDoc = [
      { type: 'list', ordered: true, items: ['Refund a test capture', 'Watch the refund error rate for 30 min'] },
      { type: 'code', text: 'kubectl -n payments logs deploy/refunds | grep -i error' },
    ];
    const broken = t % 5 === 0;
    tickets.push({
      key,
      commitShas: shas,
      ticket: {
        key,
        summary: `Refunds: partial refund support, part ${t} <with> "markup" & ampersands`,
        type: t % 3 === 0 ? 'Bug' : 'Story',
        status: broken ? 'In Review' : 'Ready for Deploy',
        assignee: `Developer ${t % 37}`,
        riskAssessment: broken ? [] : risk,
        postDeployChecks: checks,
        riskLevel: t % 4 === 0 ? 'High' : 'Low',
        url: `https://acme.atlassian.net/browse/${key}`,
      },
    });
    if (broken) {
      findings.push(
        { rule: 'ticket-status', summary: `${key} is "In Review"`, fix: `Move ${key} to "Ready for Deploy".`, ticketKey: key },
        { rule: 'risk-assessment', summary: `${key} has no risk assessment`, fix: `Fill in "Risk Assessment" in ${key}.`, ticketKey: key },
      );
    }
  }
  const commitsWithoutTicket: { sha: string; exemptReason: string | null }[] = [];
  for (let i = 0; i < WITHOUT_TICKET; i += 1) {
    const s = sha(++n);
    const exempt = i % 2 === 0;
    commits.push({
      sha: s,
      message: exempt ? `Bump dependency ${i} from 1.0.${i} to 1.0.${i + 1}` : `Fix flaky test ${i}`,
      authorLogin: exempt ? 'renovate[bot]' : `dev${i % 37}`,
      authorName: null,
      date: '2024-05-01T09:00:00Z',
      parents: [sha(n - 1)],
      url: `https://github.com/acme/payments/commit/${s}`,
    });
    commitsWithoutTicket.push({ sha: s, exemptReason: exempt ? 'dependency update by renovate[bot]' : null });
    if (!exempt)
      findings.push({
        rule: 'commit-without-ticket',
        summary: `${s.slice(0, 7)} references no ticket`,
        fix: 'Reword the commit with a ticket key.',
        commitSha: s,
      });
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
    reverted: [{ key: 'PAY-999', commitShas: [sha(1)] }],
    commitsWithoutTicket,
    findings,
    ticketChecksSkipped: false,
    statusDescription: `${findings.length} problems`,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const report = buildReport();
if (report.commits.length !== COMMITS || report.tickets.length !== TICKETS) throw new Error('the synthetic report has the wrong size');
const ctx = { user: { login: 'dana' }, authEnabled: true, csrfToken: 'x'.repeat(43), notice: null, now: new Date('2024-05-01T12:00:00Z') };
const coldStart = performance.now();
let bytes = Buffer.byteLength(renderReportPage(report, ctx).html);
const cold = performance.now() - coldStart;
for (let i = 1; i < WARMUP; i += 1) bytes = Buffer.byteLength(renderReportPage(report, ctx).html);
const times: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const start = performance.now();
  const page = renderReportPage(report, ctx).html;
  times.push(performance.now() - start);
  bytes = Buffer.byteLength(page);
}
const med = median(times);
const max = Math.max(...times);
const jsonBytes = Buffer.byteLength(JSON.stringify(report));

console.log(
  `report: ${report.commits.length} commits, ${report.tickets.length} tickets, ${report.commitsWithoutTicket.length} without ticket, ${report.findings.length} findings`,
);
console.log(`first render in a fresh process: ${cold.toFixed(1)} ms`);
console.log(`render ${RUNS} runs (after ${WARMUP} warm-up): median ${med.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
console.log(`HTML ${(bytes / 1024 / 1024).toFixed(2)} MiB (stored JSON ${(jsonBytes / 1024 / 1024).toFixed(2)} MiB)`);
console.log('');
console.log('| Report | First render (cold) | Runs | Median | Max | HTML size |');
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(
  `| ${report.commits.length} commits, ${report.tickets.length} tickets, ${report.findings.length} findings | ${cold.toFixed(1)} ms | ${RUNS} | ${med.toFixed(1)} ms | ${max.toFixed(1)} ms | ${(bytes / 1024 / 1024).toFixed(2)} MiB |`,
);
console.log('');
console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`);
