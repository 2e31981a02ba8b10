/** Pull requests, permissions, reactions and replies over GitHub's REST API. */
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';
import type { PullRequestFacts } from '../core/pull-request/evaluate-pull-request.js';
import { CheckFailure } from '../core/check-failure.js';
import type { Octokit } from './github-history-source.js';
import { describeGitHubError } from './describe-github-error.js';

const pullSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().nullish(),
  user: z.object({ login: z.string() }).nullish(),
  labels: z.array(z.object({ name: z.string() })).default([]),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string(), sha: z.string() }),
});

/** The pull request as it is now (a webhook payload may be stale), or null when it does not exist. */
export async function fetchPullRequest(octokit: Octokit, repo: RepoRef, number: number): Promise<PullRequestFacts | null> {
  let raw: unknown;
  try {
    ({ data: raw } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: number }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw new CheckFailure(describeGitHubError(error, `reading pull request #${number}`), 'github', { cause: error });
  }
  const pr = pullSchema.parse(raw);
  return {
    number: pr.number,
    title: pr.title,
    url: pr.html_url ?? null,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    author: pr.user?.login ?? '',
    draft: pr.draft ?? false,
    labels: pr.labels.map((l) => l.name),
    state: pr.state,
  };
}

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/** Whether `login` may push to the repository (the right to ask for a recheck). */
export async function userCanWrite(octokit: Octokit, repo: RepoRef, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username: login });
    const role = (data as { role_name?: string; permission?: string }).role_name ?? (data as { permission?: string }).permission ?? '';
    return WRITE_ROLES.has(role);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

export async function reactToComment(octokit: Octokit, repo: RepoRef, commentId: number, content: 'eyes'): Promise<void> {
  await octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: commentId, content });
}

export async function commentOnIssue(octokit: Octokit, repo: RepoRef, number: number, body: string): Promise<void> {
  await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: number, body });
}
