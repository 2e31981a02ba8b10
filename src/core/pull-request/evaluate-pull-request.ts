/**
 * The pull-request ticket check (pure): exemptions, where the keys come from (title, head branch, commits), and the
 * findings. Ticket status is not judged here: a story under review is rightly "In Review".
 */
import type { CommitInfo, DeployReport, Finding, ReportTrigger, RepoRef, TicketSnapshot } from '../domain.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import { extractKeys, summarizeDeployKeysSteps, type KeyMatcher } from '../jira-keys/extract-jira-keys.js';
import { commitsWithoutTicketSteps, sortFindings, ticketFindings } from '../rules/evaluate-deploy-rules.js';
import { runSteps, runStepsYielding, type Steps, type YieldingOptions } from '../cooperative-steps.js';
import { failureDescription, truncateDescription } from '../report/status-description.js';
import { highRiskKeysOf } from '../report/build-deploy-report.js';

export interface PullRequestFacts {
  readonly number: number;
  readonly title: string;
  readonly url: string | null;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly author: string;
  readonly draft: boolean;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
}

/** Why the pull request needs no ticket check, or null. */
export function pullRequestExemption(pr: PullRequestFacts, config: RepoConfig): string | null {
  if (config.commits.exemptAuthors.some((a) => a.toLowerCase() === pr.author.toLowerCase())) return `author ${pr.author} is exempt`;
  const exemptLabels = new Set(config.pullRequests.exemptLabels.map((l) => l.toLowerCase()));
  const label = pr.labels.find((l) => exemptLabels.has(l.toLowerCase()));
  if (label) return `labelled "${label}"`;
  if (pr.draft && config.pullRequests.skipDrafts) return 'draft (checked when ready for review)';
  return null;
}

export function exemptDescription(reason: string): string {
  return truncateDescription(`Exempt from the ticket check: ${reason}`);
}

export interface PullRequestKeys {
  readonly keys: readonly string[];
  readonly fromTitle: readonly string[];
  readonly fromBranch: readonly string[];
  readonly fromCommits: readonly string[];
  /** Key → commits that reference it. */
  readonly shasByKey: ReadonlyMap<string, readonly string[]>;
}

export function pullRequestKeys(pr: PullRequestFacts, commits: readonly CommitInfo[], matcher: KeyMatcher): PullRequestKeys {
  return runSteps(pullRequestKeysSteps(pr, commits, matcher));
}

/** pullRequestKeys in slices that give the event loop back (see cooperative-steps.ts). */
export function pullRequestKeysYielding(
  pr: PullRequestFacts,
  commits: readonly CommitInfo[],
  matcher: KeyMatcher,
  options?: YieldingOptions,
): Promise<PullRequestKeys> {
  return runStepsYielding(pullRequestKeysSteps(pr, commits, matcher), options);
}

function* pullRequestKeysSteps(pr: PullRequestFacts, commits: readonly CommitInfo[], matcher: KeyMatcher): Steps<PullRequestKeys> {
  const fromTitle = extractKeys(pr.title, matcher);
  const fromBranch = extractKeys(pr.headRef, matcher);
  const summary = yield* summarizeDeployKeysSteps(commits, matcher);
  const fromCommits = [...summary.shipped.keys()];
  const keys = [...new Set([...fromTitle, ...fromBranch, ...fromCommits])];
  return { keys, fromTitle, fromBranch, fromCommits, shasByKey: summary.shipped };
}

export function pullRequestFindings(prKeys: PullRequestKeys, tickets: ReadonlyMap<string, TicketSnapshot>, config: RepoConfig, matcher: KeyMatcher): Finding[] {
  if (prKeys.keys.length === 0) {
    const example = `${[...matcher.projects][0] ?? 'PROJ'}-123`;
    return [
      {
        rule: 'pull-request-without-ticket',
        summary: 'no JIRA ticket in the title, branch or commits',
        fix: `Put the ticket key in the pull request title (e.g. "${example}: …") or the branch name (feature/${example}-…). If no ticket is needed, add the label ${config.pullRequests.exemptLabels.map((l) => `"${l}"`).join(' or ') || '(none configured)'}.`,
      },
    ];
  }
  return sortFindings(ticketFindings(prKeys.keys, tickets, prKeys.shasByKey, config, { checkStatus: false }));
}

export function pullRequestSuccessDescription(keys: readonly string[]): string {
  if (keys.length === 1) return truncateDescription(`${keys[0]} has its risk assessment and post-deploy checks`);
  return truncateDescription(`${keys.length} tickets have their risk assessment and post-deploy checks`);
}

export interface PullRequestReportInput {
  readonly pr: PullRequestFacts;
  readonly baseSha: string;
  readonly commits: readonly CommitInfo[];
  readonly compare: DeployReport['compare'];
  readonly prKeys: PullRequestKeys;
  readonly tickets: ReadonlyMap<string, TicketSnapshot>;
  readonly findings: readonly Finding[];
  readonly config: RepoConfig;
  readonly matcher: KeyMatcher;
}

type PullRequestReportContext = { repo: RepoRef; trigger: ReportTrigger; evaluatedAt: string };

export function buildPullRequestReport(ctx: PullRequestReportContext, input: PullRequestReportInput): DeployReport {
  return runSteps(buildPullRequestReportSteps(ctx, input));
}

/** buildPullRequestReport in slices that give the event loop back (see cooperative-steps.ts). */
export function buildPullRequestReportYielding(ctx: PullRequestReportContext, input: PullRequestReportInput, options?: YieldingOptions): Promise<DeployReport> {
  return runStepsYielding(buildPullRequestReportSteps(ctx, input), options);
}

function* buildPullRequestReportSteps(ctx: PullRequestReportContext, input: PullRequestReportInput): Steps<DeployReport> {
  const { pr, prKeys, tickets, findings } = input;
  const summary = yield* summarizeDeployKeysSteps(input.commits, input.matcher);
  const withoutTicket = yield* commitsWithoutTicketSteps(input.commits, summary.byCommit, input.config);
  const state = findings.length ? 'failure' : 'success';
  const reportTickets = prKeys.keys.map((key) => ({ key, ticket: tickets.get(key) ?? null, commitShas: prKeys.shasByKey.get(key) ?? [] }));
  return {
    kind: 'pull_request',
    repo: ctx.repo,
    pullRequest: { number: pr.number, title: pr.title, url: pr.url },
    baseBranch: pr.baseRef,
    headBranch: pr.headRef,
    baseSha: input.baseSha,
    headSha: pr.headSha,
    trigger: ctx.trigger,
    evaluatedAt: ctx.evaluatedAt,
    state,
    error: null,
    compare: input.compare,
    commits: input.commits,
    tickets: reportTickets,
    reverted: [...summary.reverted].map(([key, shas]) => ({ key, commitShas: shas })),
    commitsWithoutTicket: withoutTicket,
    findings,
    ticketChecksSkipped: false,
    statusDescription: state === 'failure' ? failureDescription(findings) : pullRequestSuccessDescription(prKeys.keys),
    ...(summary.truncated.length ? { truncatedMessages: summary.truncated } : {}),
    highRiskKeys: highRiskKeysOf(reportTickets, input.config.jira.highRiskValues),
  };
}

/** The stored report of an exempt pull request: success, nothing read, the reason as its description. */
export function buildExemptPullRequestReport(
  ctx: { repo: RepoRef; trigger: ReportTrigger; evaluatedAt: string },
  pr: PullRequestFacts,
  reason: string,
): DeployReport {
  return {
    kind: 'pull_request',
    repo: ctx.repo,
    pullRequest: { number: pr.number, title: pr.title, url: pr.url },
    baseBranch: pr.baseRef,
    headBranch: pr.headRef,
    baseSha: null,
    headSha: pr.headSha,
    trigger: ctx.trigger,
    evaluatedAt: ctx.evaluatedAt,
    state: 'success',
    error: null,
    compare: null,
    commits: [],
    tickets: [],
    reverted: [],
    commitsWithoutTicket: [],
    findings: [],
    ticketChecksSkipped: true,
    statusDescription: exemptDescription(reason),
  };
}
