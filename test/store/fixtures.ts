/**
 * Builders of valid domain objects for tests (any suite may import them).
 *
 * `makeReport(overrides)` returns a consistent deploy report (two commits shipping PAY-1 and PAY-2, one finding);
 * overrides replace top-level fields as given (they are not merged deeply, and derived fields such as
 * `statusDescription` are not recomputed).
 */
import type { CommitInfo, DeployReport, Finding, ReportTicket, TicketSnapshot } from '../../src/core/domain.js';

export const FIXTURE_REPO = { owner: 'acme', repo: 'payments' } as const;

/** A 40-hex-digit SHA derived from a label, so tests can name commits readably. */
export function fakeSha(label: string): string {
  let hex = '';
  for (const char of label) hex += char.charCodeAt(0).toString(16).padStart(2, '0');
  return (hex + '0'.repeat(40)).slice(0, 40);
}

export function makeTicket(key: string, overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    key,
    summary: `Summary of ${key}`,
    type: 'Story',
    status: 'Ready for Deploy',
    assignee: 'Dana Developer',
    riskAssessment: [{ type: 'paragraph', text: 'Low risk: behind a feature flag.' }],
    postDeployChecks: [{ type: 'list', ordered: false, items: ['Open the payments page', 'Check the error rate'] }],
    riskLevel: 'Low',
    url: `https://acme.atlassian.net/browse/${key}`,
    ...overrides,
  };
}

export function makeCommit(sha: string, message: string, overrides: Partial<CommitInfo> = {}): CommitInfo {
  return {
    sha,
    message,
    authorLogin: 'dana',
    authorName: 'Dana Developer',
    date: '2024-05-01T09:00:00Z',
    parents: [],
    url: `https://github.com/${FIXTURE_REPO.owner}/${FIXTURE_REPO.repo}/commit/${sha}`,
    ...overrides,
  };
}

export function makeReportTicket(key: string, commitShas: readonly string[], ticket?: TicketSnapshot | null): ReportTicket {
  return { key, ticket: ticket === undefined ? makeTicket(key) : ticket, commitShas };
}

export function makeReport(overrides: Partial<DeployReport> = {}): DeployReport {
  const first = makeCommit(fakeSha('c1'), 'PAY-1 Add refunds endpoint');
  const second = makeCommit(fakeSha('c2'), 'PAY-2 Validate IBAN on payout', { parents: [first.sha] });
  const finding: Finding = {
    rule: 'post-deploy-checks',
    summary: 'PAY-2 has no post-deploy checks',
    fix: 'Describe in PAY-2 what to check after the deploy.',
    ticketKey: 'PAY-2',
  };
  return {
    kind: 'deploy',
    repo: FIXTURE_REPO,
    pullRequest: null,
    baseBranch: 'main',
    headBranch: 'deploy',
    baseSha: fakeSha('production'),
    headSha: second.sha,
    trigger: 'push',
    evaluatedAt: '2024-05-01T10:00:00.000Z',
    state: 'failure',
    error: null,
    compare: { status: 'ahead', aheadBy: 2, behindBy: 0 },
    commits: [first, second],
    tickets: [makeReportTicket('PAY-1', [first.sha]), makeReportTicket('PAY-2', [second.sha], makeTicket('PAY-2', { postDeployChecks: [] }))],
    reverted: [],
    commitsWithoutTicket: [],
    findings: [finding],
    ticketChecksSkipped: false,
    statusDescription: '1 problem: PAY-2 has no post-deploy checks',
    ...overrides,
  } as DeployReport; // overrides may change the kind: keeping kind and pullRequest consistent is the caller's part
}
