/**
 * The deploy-check job of one repository: read the config, then run the core's checkDeploy with the GitHub,
 * JIRA and store edges. An invalid config ends in an error status on the deploy head, never a crash or a silent
 * default.
 */
import type { DeployReport, RepoRef, ReportTrigger } from '../core/domain.js';
import { checkDeploy } from '../core/check-deploy.js';
import { buildErrorReport } from '../core/report/build-deploy-report.js';
import { defaultRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';
import { createGitHubHistorySource, type Octokit } from '../github/github-history-source.js';
import { createGitHubStatusSink } from '../github/github-status-sink.js';
import { loadRepoConfig, type RepoConfigResult } from '../github/load-repo-config.js';
import { reportUrlFor, type AppServices } from './app-services.js';

export interface DeployJob {
  readonly repo: RepoRef;
  readonly trigger: ReportTrigger;
  /** Check this head instead of the deploy branch's current head (release pull requests). */
  readonly headSha?: string;
  readonly pullRequest?: DeployReport['pullRequest'];
  /** Config already loaded by the caller, to avoid reading it twice. */
  readonly configResult?: RepoConfigResult;
}

export async function postConfigError(
  services: AppServices,
  octokit: Octokit,
  job: { repo: RepoRef; trigger: ReportTrigger; sha: string; context: string; error: string; pullRequest?: DeployReport['pullRequest'] },
  branches: { deploy: string; production: string },
): Promise<void> {
  const report = buildErrorReport(
    { repo: job.repo, trigger: job.trigger, evaluatedAt: services.now().toISOString(), pullRequest: job.pullRequest ?? null },
    { productionBranch: branches.production, deployBranch: branches.deploy, productionSha: null, deploySha: job.sha, error: job.error },
  );
  if (services.store) await services.store.saveReport(report).catch((err) => services.logger.error({ err }, 'could not store the report'));
  await createGitHubStatusSink(octokit, job.repo).setStatus(job.sha, {
    state: 'error',
    description: report.statusDescription,
    context: job.context,
    targetUrl: reportUrlFor(services.env)(job.repo, job.sha),
  });
}

export async function runDeployCheck(services: AppServices, octokit: Octokit, job: DeployJob): Promise<DeployReport | null> {
  const configResult = job.configResult ?? (await loadRepoConfig(octokit, job.repo));
  const history = createGitHubHistorySource(octokit, job.repo);
  if (!configResult.ok) {
    const sha = job.headSha ?? (await history.resolveRef(configResult.branches.deploy));
    services.logger.warn({ repo: job.repo, error: configResult.error }, 'invalid repository config');
    if (sha) {
      await postConfigError(
        services,
        octokit,
        { repo: job.repo, trigger: job.trigger, sha, context: defaultRepoConfig.status.context, error: configResult.error, pullRequest: job.pullRequest ?? null },
        configResult.branches,
      );
    }
    return null;
  }
  const config: RepoConfig = configResult.config;
  return checkDeploy(
    {
      history,
      tickets: services.tickets,
      status: createGitHubStatusSink(octokit, job.repo),
      reports: services.store,
      reportUrl: reportUrlFor(services.env),
      now: services.now,
      logger: services.logger,
    },
    { repo: job.repo, config, trigger: job.trigger, ...(job.headSha ? { headSha: job.headSha } : {}), pullRequest: job.pullRequest ?? null },
  );
}
