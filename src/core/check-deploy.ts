/**
 * The deploy check's orchestrator: resolve branches → compare (all pages) → keys → tickets → rules → report →
 * status. It recomputes everything from the current state of its sources, so any trigger (push, recheck, JIRA
 * change, redelivery) gives the same answer. It never leaves a status pending: every path ends in success,
 * failure or error.
 */
import type { Logger } from 'pino';
import type { DeployRange, DeployReport, ReportTrigger, RepoRef } from './domain.js';
import type { RepoConfig } from './config/repo-config-schema.js';
import type { HistorySource, OwedStatus, ReportSink, StatusOutbox, TicketSource } from './ports.js';
import { createKeyMatcher, summarizeDeployKeysYielding, type KeyMatcher } from './jira-keys/extract-jira-keys.js';
import { buildDeployReportYielding, buildErrorReport } from './report/build-deploy-report.js';
import { pendingDescription } from './report/status-description.js';
import { buildCheckRunOutput } from './report/check-run-output.js';
import { CheckFailure, failureReason } from './check-failure.js';

export interface DeployCheckDeps {
  readonly history: HistorySource;
  /** Null: ticket checks are skipped (the CLI without JIRA settings). */
  readonly tickets: TicketSource | null;
  /** Where the head's status goes (null: nowhere, the CLI). */
  readonly status: StatusOutbox | null;
  readonly reports: ReportSink | null;
  /** Builds the report page URL for a SHA, or null when PUBLIC_URL is not set. */
  readonly reportUrl: (repo: RepoRef, sha: string) => string | null;
  readonly now: () => Date;
  readonly logger: Logger;
}

export interface DeployCheckRequest {
  readonly repo: RepoRef;
  readonly config: RepoConfig;
  readonly trigger: ReportTrigger;
  /** Check this head instead of the deploy branch's current head (release pull requests). */
  readonly headSha?: string;
  readonly pullRequest?: DeployReport['pullRequest'];
  /** Compare with this SHA instead of the production branch's head (what is live in a deployment environment). */
  readonly baseSha?: string;
}

export async function resolveKeyMatcher(config: RepoConfig, tickets: TicketSource | null): Promise<KeyMatcher> {
  if (config.jira.projects) return createKeyMatcher({ projects: config.jira.projects });
  if (!tickets) {
    throw new CheckFailure('no JIRA projects configured: set jira.projects in the config (or JIRA settings to discover them)', 'config');
  }
  return createKeyMatcher({ projects: await tickets.listProjectKeys(), projectsDiscovered: true });
}

/** Runs the deploy check; returns the report (also for errors), or null when there is nothing to check. */
export async function checkDeploy(deps: DeployCheckDeps, req: DeployCheckRequest): Promise<DeployReport | null> {
  const { config, repo } = req;
  const { deploy: headBranch, production: baseBranch } = config.branches;
  const context = config.status.context;
  const log = deps.logger.child({ repo: `${repo.owner}/${repo.repo}`, check: 'deploy', trigger: req.trigger });
  // Both heads are read at once; a failure of the production read is reported inside the try below.
  const productionRead = req.baseSha ? Promise.resolve(req.baseSha) : deps.history.resolveRef(baseBranch);
  productionRead.catch(() => undefined);
  const headSha = req.headSha ?? (await deps.history.resolveRef(headBranch));
  if (!headSha) {
    log.debug({ headBranch }, 'deploy branch does not exist; nothing to check');
    return null;
  }
  const targetUrl = deps.reportUrl(repo, headSha);
  // Recorded before anything is evaluated: from here on the head's final status is owed.
  const owed = deps.status ? await deps.status.open(headSha, context) : null;
  const ctx = { repo, trigger: req.trigger, evaluatedAt: deps.now().toISOString(), pullRequest: req.pullRequest ?? null };

  let baseSha: string | null = null;
  let range: DeployRange | null = null;
  let report: DeployReport;
  try {
    baseSha = await productionRead;
    if (!baseSha) throw new CheckFailure(`production branch "${baseBranch}" not found`, 'github');
    const base = baseSha;
    const compared = await deps.history.compare(base, headSha, (total) => owed?.progress(pendingDescription(total), targetUrl));
    range = { baseBranch, headBranch, baseSha: base, headSha, ...compared };
    // Production has reached this head (it shipped): the head keeps the evaluation it shipped with and its status,
    // never "Nothing to deploy" over it — the evidence of what shipped, with which problems, stays.
    if (base === headSha && deps.reports?.getReport) {
      const shipped = await deps.reports.getReport(repo, headSha);
      if (shipped && shipped.kind === 'deploy' && shipped.pullRequest === null && shipped.state !== 'error' && shipped.commits.length > 0) {
        log.info({ sha: headSha, state: shipped.state }, 'production reached this head: it keeps its pre-ship evaluation');
        await settleWith(owed, shipped, targetUrl)(shipped.state, shipped.statusDescription);
        return shipped;
      }
    }
    const matcher = await resolveKeyMatcher(config, deps.tickets);
    const summary = await summarizeDeployKeysYielding(range.commits, matcher);
    let tickets = null;
    if (deps.tickets) {
      const keys = [...summary.shipped.keys()];
      tickets = keys.length ? await deps.tickets.fetchTickets(keys, config.jira.fields) : new Map();
    }
    report = await buildDeployReportYielding(ctx, { range, config, matcher, tickets, keys: summary });
  } catch (error) {
    log.warn({ err: error }, 'deploy check could not be completed');
    report = buildErrorReport(ctx, { baseBranch, headBranch, baseSha, headSha, error: failureReason(error), range });
  }
  await storeAndPostFinal(deps, report, settleWith(owed, report, targetUrl), log);
  log.info({ sha: headSha, state: report.state, findings: report.findings.length, commits: report.commits.length }, 'deploy checked');
  return report;
}

/** The final status of a report, through the owed status (null: nowhere). */
export function settleWith(owed: OwedStatus | null, report: DeployReport, targetUrl: string | null) {
  return async (state: DeployReport['state'], description: string): Promise<void> => {
    const checkRun = () => buildCheckRunOutput(report, description);
    await owed?.settle({ state, description, targetUrl, checkRun }, `${report.baseSha}...${report.headSha}`, report.evaluatedAt);
  };
}

/**
 * The end of every check: store the report (a store failure is logged, never blocks the status), then post the
 * final status, so the page behind `target_url` exists by the time the status links to it.
 */
export async function storeAndPostFinal(
  deps: Pick<DeployCheckDeps, 'reports'>,
  report: DeployReport,
  setStatus: (state: DeployReport['state'], description: string) => Promise<void>,
  log: Logger,
): Promise<void> {
  if (deps.reports) {
    try {
      await deps.reports.saveReport(report);
    } catch (error) {
      log.error({ err: error }, 'could not store the report');
    }
  }
  await setStatus(report.state, report.statusDescription);
}
