/** The approval request Slack shows for a waiting protection review, built from its evaluation. Pure. */
import type { ApprovalRequestContent, ShaCheck } from '../approval/deploy-approval-port.js';
import type { DeployReport, RepoRef } from '../domain.js';
import { richDocLines } from '../slack-announcement/high-risk.js';
import { problemPhrases } from '../report/status-description.js';

export interface ApprovalRequestInput {
  readonly reviewId: number;
  readonly repo: RepoRef;
  readonly environment: string;
  readonly sha: string;
  readonly requestedBy: string | null;
  readonly reportUrl: string;
  readonly report: DeployReport | null;
  readonly checks: readonly ShaCheck[];
  readonly reason: ApprovalRequestContent['reason'];
  readonly approvers: readonly string[];
}

export function buildApprovalRequestContent(input: ApprovalRequestInput): ApprovalRequestContent {
  const highRisk = new Set(input.report?.highRiskKeys ?? []);
  return {
    reviewId: input.reviewId,
    repo: input.repo,
    environment: input.environment,
    sha: input.sha,
    requestedBy: input.requestedBy,
    reportUrl: input.reportUrl,
    stories: (input.report?.tickets ?? []).map((t) => ({
      key: t.key,
      summary: t.ticket?.summary ?? null,
      url: t.ticket?.url ?? null,
      highRisk: highRisk.has(t.key),
      postDeployChecks: t.ticket ? richDocLines(t.ticket.postDeployChecks) : [],
    })),
    problems: input.report ? problemPhrases(input.report.findings) : [],
    checks: input.checks,
    reason: input.reason,
    approvers: input.approvers,
  };
}
