/**
 * The pull-request job: re-read the pull request and the config, run the ticket check on its head, and — for a
 * release pull request (base = production branch) — the full deploy check too, under the deploy context.
 */
import type { RepoRef, ReportTrigger } from '../core/domain.js';
import { checkPullRequest } from '../core/check-pull-request.js';
import { defaultRepoConfig } from '../core/config/repo-config-schema.js';
import { createGitHubHistorySource, type Octokit } from '../github/github-history-source.js';
import { createGitHubStatusSink } from '../github/github-status-sink.js';
import { fetchPullRequest } from '../github/github-pull-requests.js';
import { loadRepoConfig } from '../github/load-repo-config.js';
import { reportUrlFor, type AppServices } from './app-services.js';
import { postConfigError, runDeployCheck } from './run-deploy-check.js';

export async function runPullRequestCheck(
  services: AppServices,
  octokit: Octokit,
  job: { repo: RepoRef; number: number; trigger: ReportTrigger },
): Promise<void> {
  const { repo } = job;
  const pr = await fetchPullRequest(octokit, repo, job.number);
  if (!pr || pr.state !== 'open') {
    services.logger.debug({ repo, pr: job.number }, 'pull request gone or closed: nothing to check');
    return;
  }
  const configResult = await loadRepoConfig(octokit, repo);
  const pullRequest = { number: pr.number, title: pr.title, url: pr.url };
  if (!configResult.ok) {
    const error = { repo, trigger: job.trigger, sha: pr.headSha, error: configResult.error, pullRequest };
    await postConfigError(services, octokit, { ...error, context: defaultRepoConfig.status.prContext }, configResult.branches);
    if (pr.baseRef === configResult.branches.production) {
      await postConfigError(services, octokit, { ...error, context: defaultRepoConfig.status.context }, configResult.branches);
    }
    return;
  }
  const { config } = configResult;
  await checkPullRequest(
    {
      history: createGitHubHistorySource(octokit, repo),
      tickets: services.tickets,
      status: createGitHubStatusSink(octokit, repo),
      reports: services.store,
      reportUrl: reportUrlFor(services.env),
      now: services.now,
      logger: services.logger,
    },
    { repo, config, trigger: job.trigger, pr },
  );
  if (pr.baseRef === config.branches.production) {
    await runDeployCheck(services, octokit, { repo, trigger: job.trigger, headSha: pr.headSha, pullRequest, configResult });
  }
}
