/** Pull requests and the recheck comment's permission check, over the GitHub edge. */
import type { RepoRef } from '../core/domain.js';
import type { PullRequestFacts } from '../core/pull-request/evaluate-pull-request.js';
import { CheckFailure } from '../core/check-failure.js';
import { describeGitHubError } from './describe-github-error.js';
import type { GitHubEdge } from './github-edge.js';

/** The pull request as it is now (a webhook payload may be stale), or null when it does not exist. */
export async function fetchPullRequest(github: GitHubEdge, repo: RepoRef, number: number): Promise<PullRequestFacts | null> {
  try {
    return await github.getPullRequest(repo, number);
  } catch (error) {
    throw new CheckFailure(describeGitHubError(error, `reading pull request #${number}`), 'github', { cause: error });
  }
}

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/** Whether `login` may push to the repository (the right to ask for a recheck). */
export async function userCanWrite(github: GitHubEdge, repo: RepoRef, login: string): Promise<boolean> {
  return WRITE_ROLES.has((await github.getCollaboratorRole(repo, login)) ?? '');
}
