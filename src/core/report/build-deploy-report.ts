/**
 * Report building: the compared range + tickets + findings → a DeployReport (pure).
 */
import type { DeployEvaluation, DeployRange, DeployReport, PullRequestEvaluation, ReportTicket, ReportTrigger, RepoRef, TicketSnapshot } from '../domain.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { DeployKeySummary, KeyMatcher } from '../jira-keys/extract-jira-keys.js';
import { summarizeDeployKeysSteps } from '../jira-keys/extract-jira-keys.js';
import { isHighRisk } from '../slack-announcement/high-risk.js';
import { evaluateDeployRulesSteps } from '../rules/evaluate-deploy-rules.js';
import { runSteps, runStepsYielding, type Steps, type YieldingOptions } from '../cooperative-steps.js';
import { errorDescription, failureDescription, successDescription, uncheckedTicketsDescription } from './status-description.js';

/** Who evaluated what: a deploy (with its release pull request, if any) or a pull request (always with it). */
export type ReportContext = {
  readonly repo: RepoRef;
  readonly trigger: ReportTrigger;
  readonly evaluatedAt: string;
} & (
  | { readonly kind?: 'deploy'; readonly pullRequest: DeployEvaluation['pullRequest'] }
  | { readonly kind: 'pull_request'; readonly pullRequest: PullRequestEvaluation['pullRequest'] }
);

/** The kind and pull request of the report, as one of the two honest combinations. */
function subjectOf(ctx: ReportContext): Pick<DeployEvaluation, 'kind' | 'pullRequest'> | Pick<PullRequestEvaluation, 'kind' | 'pullRequest'> {
  return ctx.kind === 'pull_request' ? { kind: 'pull_request', pullRequest: ctx.pullRequest } : { kind: 'deploy', pullRequest: ctx.pullRequest };
}

export interface DeployReportInput {
  readonly range: DeployRange;
  readonly config: RepoConfig;
  readonly matcher: KeyMatcher;
  readonly tickets: ReadonlyMap<string, TicketSnapshot> | null;
  /** The keys of `range.commits` when already summarized (with the same matcher); computed otherwise. */
  readonly keys?: DeployKeySummary;
}

/**
 * `highRiskKeys` of an evaluation: the keys of its tickets that are high risk by the announcement's rule
 * (src/core/slack-announcement/high-risk.ts: the risk level, or the first words of the risk assessment, is one of
 * `jira.highRiskValues`, case-insensitively), in ticket order. Unknown tickets (no snapshot) are never high risk.
 */
export function highRiskKeysOf(tickets: readonly ReportTicket[], highRiskValues: readonly string[]): string[] {
  return tickets.filter((t) => isHighRisk(t.ticket, highRiskValues)).map((t) => t.key);
}

export function buildDeployReport(ctx: ReportContext, input: DeployReportInput): DeployReport {
  return runSteps(buildDeployReportSteps(ctx, input));
}

/** buildDeployReport in slices that give the event loop back (see cooperative-steps.ts). */
export function buildDeployReportYielding(ctx: ReportContext, input: DeployReportInput, options?: YieldingOptions): Promise<DeployReport> {
  return runStepsYielding(buildDeployReportSteps(ctx, input), options);
}

export function* buildDeployReportSteps(ctx: ReportContext, input: DeployReportInput): Steps<DeployReport> {
  const { range, config, matcher, tickets } = input;
  const keys = input.keys ?? (yield* summarizeDeployKeysSteps(range.commits, matcher));
  const { findings, withoutTicket } = yield* evaluateDeployRulesSteps({ range, config, matcher, keys, tickets });
  const reportTickets = [...keys.shipped].map(([key, shas]) => ({ key, ticket: tickets?.get(key) ?? null, commitShas: shas }));
  const state = findings.length ? 'failure' : 'success';
  return {
    ...subjectOf(ctx),
    repo: ctx.repo,
    baseBranch: range.baseBranch,
    headBranch: range.headBranch,
    baseSha: range.baseSha,
    headSha: range.headSha,
    trigger: ctx.trigger,
    evaluatedAt: ctx.evaluatedAt,
    state,
    error: null,
    compare: { status: range.status, aheadBy: range.aheadBy, behindBy: range.behindBy },
    commits: range.commits,
    tickets: reportTickets,
    reverted: [...keys.reverted].map(([key, shas]) => ({ key, commitShas: shas })),
    commitsWithoutTicket: withoutTicket,
    findings,
    ticketChecksSkipped: tickets === null,
    statusDescription:
      state === 'failure'
        ? failureDescription(findings)
        : tickets === null && range.commits.length > 0
          ? uncheckedTicketsDescription(reportTickets.length, range.commits.length)
          : successDescription(reportTickets.length, range.commits.length),
    ...(keys.truncated.length ? { truncatedMessages: keys.truncated } : {}),
    // Without ticket data (no JIRA: CLI only) nothing is known about risk, so the field stays absent.
    ...(tickets === null ? {} : { highRiskKeys: highRiskKeysOf(reportTickets, config.jira.highRiskValues) }),
  };
}

export function buildErrorReport(
  ctx: ReportContext,
  input: {
    baseBranch: string;
    headBranch: string;
    baseSha: string | null;
    headSha: string;
    error: string;
    range?: DeployRange | null;
  },
): DeployReport {
  const range = input.range ?? null;
  return {
    ...subjectOf(ctx),
    repo: ctx.repo,
    baseBranch: input.baseBranch,
    headBranch: input.headBranch,
    baseSha: input.baseSha,
    headSha: input.headSha,
    trigger: ctx.trigger,
    evaluatedAt: ctx.evaluatedAt,
    state: 'error',
    error: input.error,
    compare: range ? { status: range.status, aheadBy: range.aheadBy, behindBy: range.behindBy } : null,
    commits: range?.commits ?? [],
    tickets: [],
    reverted: [],
    commitsWithoutTicket: [],
    findings: [],
    ticketChecksSkipped: true,
    statusDescription: errorDescription(input.error),
  };
}
