/**
 * The pull-request ticket check's orchestrator: exemptions → keys from title, branch and commits (compare
 * base...head, all pages) → tickets → findings → report → status under `status.prContext`. Every path ends in a
 * final status (success, failure or error), never pending.
 */
import type { DeployReport, ReportTrigger, RepoRef } from './domain.js';
import type { RepoConfig } from './config/repo-config-schema.js';
import type { DeployCheckDeps } from './check-deploy.js';
import { resolveKeyMatcher, settleWith, storeAndPostFinal } from './check-deploy.js';
import { buildErrorReport } from './report/build-deploy-report.js';
import { pendingDescription } from './report/status-description.js';
import { failureReason } from './check-failure.js';
import {
  buildExemptPullRequestReport,
  buildPullRequestReportYielding,
  pullRequestExemption,
  pullRequestFindings,
  pullRequestKeysYielding,
  type PullRequestFacts,
} from './pull-request/evaluate-pull-request.js';

export interface PullRequestCheckRequest {
  readonly repo: RepoRef;
  readonly config: RepoConfig;
  readonly trigger: ReportTrigger;
  readonly pr: PullRequestFacts;
}

export type PullRequestCheckResult = { readonly exempt: string } | { readonly report: DeployReport };

export async function checkPullRequest(deps: DeployCheckDeps, req: PullRequestCheckRequest): Promise<PullRequestCheckResult> {
  const { config, repo, pr } = req;
  const context = config.status.prContext;
  const log = deps.logger.child({ repo: `${repo.owner}/${repo.repo}`, check: 'pull_request', pr: pr.number, trigger: req.trigger });
  const targetUrl = deps.reportUrl(repo, pr.headSha);
  // Recorded before anything is evaluated: from here on the head's final status is owed.
  const owed = deps.status ? await deps.status.open(pr.headSha, context) : null;

  const ctx = { repo, trigger: req.trigger, evaluatedAt: deps.now().toISOString() };
  const exemption = pullRequestExemption(pr, config);
  if (exemption) {
    // Stored too, so that the head counts as checked (the reconciler does not re-check it).
    const exempt = buildExemptPullRequestReport(ctx, pr, exemption);
    await storeAndPostFinal(deps, exempt, settleWith(owed, exempt, null), log);
    log.info({ exemption }, 'pull request exempt from the ticket check');
    return { exempt: exemption };
  }

  let report: DeployReport;
  let baseSha: string | null = null;
  try {
    baseSha = await deps.history.resolveRef(pr.baseRef);
    const base = baseSha ?? pr.baseRef;
    const compared = await deps.history.compare(base, pr.headSha, (total) => owed?.progress(pendingDescription(total), targetUrl));
    const matcher = await resolveKeyMatcher(config, deps.tickets);
    const prKeys = await pullRequestKeysYielding(pr, compared.commits, matcher);
    const tickets = prKeys.keys.length && deps.tickets ? await deps.tickets.fetchTickets(prKeys.keys, config.jira.fields) : new Map();
    const findings = pullRequestFindings(prKeys, tickets, config, matcher);
    report = await buildPullRequestReportYielding(ctx, {
      pr,
      baseSha: base,
      commits: compared.commits,
      compare: { status: compared.status, aheadBy: compared.aheadBy, behindBy: compared.behindBy },
      prKeys,
      tickets,
      findings,
      config,
      matcher,
    });
  } catch (error) {
    log.warn({ err: error }, 'pull request check could not be completed');
    report = {
      ...buildErrorReport(
        { ...ctx, pullRequest: { number: pr.number, title: pr.title, url: pr.url }, kind: 'pull_request' },
        { baseBranch: pr.baseRef, headBranch: pr.headRef, baseSha: baseSha, headSha: pr.headSha, error: failureReason(error) },
      ),
    };
  }
  await storeAndPostFinal(deps, report, settleWith(owed, report, targetUrl), log);
  log.info({ sha: pr.headSha, state: report.state, findings: report.findings.length }, 'pull request checked');
  return { report };
}
