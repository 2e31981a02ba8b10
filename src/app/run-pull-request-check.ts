/**
 * The pull-request job: re-read the pull request and the config, run the ticket check on its head, and — for a
 * release pull request (base = production branch) — the full deploy check too, under the deploy context.
 */
import type { RepoRef, ReportTrigger } from '../core/domain.js';
import { checkPullRequest } from '../core/check-pull-request.js';
import { defaultRepoConfig } from '../core/config/repo-config-schema.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import { fetchPullRequest } from '../github/github-pull-requests.js';
import { loadRepoConfig } from '../github/load-repo-config.js';
import { reportUrlFor, statusOutboxFor, type AppServices, type JobGitHub } from './app-services.js';
import { postConfigError, runDeployCheck } from './run-deploy-check.js';

export async function runPullRequestCheck(
  services: AppServices,
  github: JobGitHub,
  job: { repo: RepoRef; number: number; trigger: ReportTrigger },
): Promise<void> {
  const { repo } = job;
  const { edge } = github;
  const pr = await fetchPullRequest(edge, repo, job.number);
  if (pr?.state !== 'open') {
    services.logger.debug({ repo, pr: job.number }, 'pull request gone or closed: nothing to check');
    return;
  }
  const configResult = await loadRepoConfig(edge, repo);
  const pullRequest = { number: pr.number, title: pr.title, url: pr.url };
  if (!configResult.ok) {
    const error = { repo, trigger: job.trigger, sha: pr.headSha, error: configResult.error, pullRequest };
    await postConfigError(services, github, { ...error, context: defaultRepoConfig.status.prContext }, configResult.branches);
    if (pr.baseRef === configResult.branches.production) {
      await postConfigError(services, github, { ...error, context: defaultRepoConfig.status.context }, configResult.branches);
    }
    return;
  }
  const { config } = configResult;
  const outbox = statusOutboxFor(services, github, repo, { kind: 'pull_request', number: pr.number }, config.status.kind);
  try {
    await checkPullRequest(
      {
        history: createGitHubHistorySource(edge, repo),
        tickets: services.tickets,
        status: outbox,
        reports: services.store,
        reportUrl: reportUrlFor(services.env),
        now: services.now,
        logger: services.logger,
      },
      { repo, config, trigger: job.trigger, pr },
    );
  } finally {
    outbox.close();
  }
  if (pr.baseRef === config.branches.production) {
    await runDeployCheck(services, github, { repo, trigger: job.trigger, headSha: pr.headSha, pullRequest, configResult });
  }
}
