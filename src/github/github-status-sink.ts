/** StatusSink over GitHub's commit status API. */
import type { RepoRef } from '../core/domain.js';
import type { StatusSink } from '../core/ports.js';
import { truncateDescription } from '../core/report/status-description.js';
import type { Octokit } from './github-history-source.js';

export function createGitHubStatusSink(octokit: Octokit, repo: RepoRef): StatusSink {
  return {
    async setStatus(sha, status) {
      await octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        ...repo,
        sha,
        state: status.state,
        context: status.context,
        description: truncateDescription(status.description),
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },
  };
}
