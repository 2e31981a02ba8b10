/**
 * The Probot application function. Webhook handlers only parse the payload and enqueue a job: the work happens in
 * the bounded queue, recomputing from the current state of GitHub and JIRA (a webhook is a hint, not the truth).
 */
import type { ApplicationFunction } from 'probot';
import { loadRepoConfig } from '../github/load-repo-config.js';
import type { Octokit } from '../github/github-history-source.js';
import type { AppServices } from './app-services.js';
import { runDeployCheck } from './run-deploy-check.js';
import type { RepoRef } from '../core/domain.js';

const repoKey = (repo: RepoRef) => `${repo.owner}/${repo.repo}`;

/** A push: deploy-branch pushes are checked; production pushes re-check the deploy (its diff changed). */
async function handleBranchPush(services: AppServices, octokit: Octokit, repo: RepoRef, branch: string, after: string): Promise<void> {
  const configResult = await loadRepoConfig(octokit, repo);
  const branches = configResult.ok ? configResult.config.branches : configResult.branches;
  if (branch !== branches.deploy && branch !== branches.production) {
    services.logger.debug({ repo: repoKey(repo), branch }, 'push to a branch that is neither deploy nor production: ignored');
    return;
  }
  services.logger.info({ repo: repoKey(repo), branch, after }, 'push: checking the deploy');
  await runDeployCheck(services, octokit, { repo, trigger: 'push', configResult });
}

export function createDeployCheckerApp(services: AppServices): ApplicationFunction {
  return (app) => {
    app.on('push', async (context) => {
      const { payload } = context;
      const repo = context.repo();
      if (payload.deleted) {
        services.logger.debug({ repo: repoKey(repo), ref: payload.ref }, 'branch deletion: ignored');
        return;
      }
      if (!payload.ref.startsWith('refs/heads/')) {
        services.logger.debug({ repo: repoKey(repo), ref: payload.ref }, 'tag push: ignored');
        return;
      }
      const branch = payload.ref.slice('refs/heads/'.length);
      const octokit = context.octokit as unknown as Octokit;
      services.queue.enqueue(`${repoKey(repo)}:push:${branch}`, () => handleBranchPush(services, octokit, repo, branch, payload.after));
    });
  };
}
