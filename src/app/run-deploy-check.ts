/**
 * The deploy-check job of one repository: read the config, then run the core's checkDeploy with the GitHub,
 * JIRA and store edges and the status outbox. An invalid config ends in an error status on the deploy head, never
 * a crash or a silent default.
 */
import type { DeployReport, RepoRef, ReportTrigger } from '../core/domain.js';
import { checkDeploy, settleWith } from '../core/check-deploy.js';
import { buildErrorReport } from '../core/report/build-deploy-report.js';
import { defaultRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import { loadRepoConfig, type RepoConfigResult } from '../github/load-repo-config.js';
import type { StatusSubject } from '../store/status-intent-store.js';
import { reportUrlFor, statusOutboxFor, type AppServices, type JobGitHub } from './app-services.js';

export interface DeployJob {
  readonly repo: RepoRef;
  readonly trigger: ReportTrigger;
  /** Check this head instead of the deploy branch's current head (release pull requests). */
  readonly headSha?: string;
  readonly pullRequest?: DeployReport['pullRequest'];
  /** Config already loaded by the caller, to avoid reading it twice. */
  readonly configResult?: RepoConfigResult;
}

/** What an orphaned status intent re-runs: the release pull request's check for its head, else the deploy check. */
const subjectOf = (pullRequest: DeployReport['pullRequest'] | undefined): StatusSubject =>
  pullRequest ? { kind: 'pull_request', number: pullRequest.number } : { kind: 'deploy' };

export async function postConfigError(
  services: AppServices,
  github: JobGitHub,
  job: { repo: RepoRef; trigger: ReportTrigger; sha: string; context: string; error: string; pullRequest?: DeployReport['pullRequest'] },
  branches: { deploy: string; production: string },
): Promise<void> {
  const outbox = statusOutboxFor(services, github, job.repo, subjectOf(job.pullRequest));
  try {
    const owed = await outbox.open(job.sha, job.context);
    const report = buildErrorReport(
      { repo: job.repo, trigger: job.trigger, evaluatedAt: services.now().toISOString(), pullRequest: job.pullRequest ?? null },
      { baseBranch: branches.production, headBranch: branches.deploy, baseSha: null, headSha: job.sha, error: job.error },
    );
    if (services.store) await services.store.saveReport(report).catch((err) => services.logger.error({ err }, 'could not store the report'));
    await settleWith(owed, report, reportUrlFor(services.env)(job.repo, job.sha))(report.state, report.statusDescription);
  } finally {
    outbox.close();
  }
}

export async function runDeployCheck(services: AppServices, github: JobGitHub, job: DeployJob): Promise<DeployReport | null> {
  const { edge } = github;
  const configResult = job.configResult ?? (await loadRepoConfig(edge, job.repo));
  const history = createGitHubHistorySource(edge, job.repo);
  if (!configResult.ok) {
    const sha = job.headSha ?? (await history.resolveRef(configResult.branches.deploy));
    services.logger.warn({ repo: job.repo, error: configResult.error }, 'invalid repository config');
    if (sha) {
      await postConfigError(
        services,
        github,
        {
          repo: job.repo,
          trigger: job.trigger,
          sha,
          context: defaultRepoConfig.status.context,
          error: configResult.error,
          pullRequest: job.pullRequest ?? null,
        },
        configResult.branches,
      );
    }
    return null;
  }
  const config: RepoConfig = configResult.config;
  const outbox = statusOutboxFor(services, github, job.repo, subjectOf(job.pullRequest), config.status.kind);
  try {
    return await checkDeploy(
      {
        history,
        tickets: services.tickets,
        status: outbox,
        reports: services.store,
        reportUrl: reportUrlFor(services.env),
        now: services.now,
        logger: services.logger,
      },
      { repo: job.repo, config, trigger: job.trigger, ...(job.headSha ? { headSha: job.headSha } : {}), pullRequest: job.pullRequest ?? null },
    );
  } finally {
    outbox.close();
  }
}
