/** An installation-authenticated Octokit for a repository, found with the App's own JWT (no webhook needed). */
import type { Probot } from 'probot';
import type { RepoRef } from '../core/domain.js';
import type { Octokit } from './github-history-source.js';

export type InstallationOctokitFor = (repo: RepoRef) => Promise<Octokit>;

export function createInstallationOctokitFor(app: Probot): InstallationOctokitFor {
  return async (repo) => {
    const appOctokit = await app.auth();
    const { data } = await appOctokit.request('GET /repos/{owner}/{repo}/installation', { ...repo });
    return (await app.auth(data.id)) as unknown as Octokit;
  };
}
