/**
 * HistorySource over GitHub's REST API: branch heads and the compare endpoint, every page read.
 * GitHub's compare returns at most 250 commits unless paginated; we page with per_page=100 until total_commits
 * are read and refuse to conclude on fewer.
 */
import type { ProbotOctokit } from 'probot';
import { z } from 'zod';
import type { CommitInfo, RepoRef } from '../core/domain.js';
import type { HistorySource } from '../core/ports.js';
import { CheckFailure } from '../core/check-failure.js';
import { describeGitHubError } from './describe-github-error.js';

export type Octokit = InstanceType<typeof ProbotOctokit>;

const compareCommitSchema = z.object({
  sha: z.string(),
  html_url: z.string().nullish(),
  commit: z.object({
    message: z.string(),
    author: z.object({ name: z.string().nullish(), date: z.string().nullish() }).nullish(),
  }),
  author: z.object({ login: z.string() }).nullish(),
  parents: z.array(z.object({ sha: z.string() })),
});

const comparePageSchema = z.object({
  status: z.enum(['ahead', 'behind', 'diverged', 'identical']),
  ahead_by: z.number().int().nonnegative(),
  behind_by: z.number().int().nonnegative(),
  total_commits: z.number().int().nonnegative(),
  commits: z.array(compareCommitSchema),
});

export const COMPARE_PAGE_SIZE = 100;

function toCommitInfo(c: z.infer<typeof compareCommitSchema>): CommitInfo {
  return {
    sha: c.sha,
    message: c.commit.message,
    authorLogin: c.author?.login ?? null,
    authorName: c.commit.author?.name ?? null,
    date: c.commit.author?.date ?? null,
    parents: c.parents.map((p) => p.sha),
    url: c.html_url ?? null,
  };
}

export function createGitHubHistorySource(octokit: Octokit, repo: RepoRef): HistorySource {
  return {
    async resolveRef(branch) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { ...repo, branch });
        return data.commit.sha;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw new CheckFailure(describeGitHubError(error, `reading branch ${branch}`), 'github', { cause: error });
      }
    },

    async compare(baseSha, headSha, onTotal) {
      const commits: CommitInfo[] = [];
      let first: z.infer<typeof comparePageSchema> | null = null;
      for (let page = 1; ; page++) {
        let raw: unknown;
        try {
          ({ data: raw } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
            ...repo,
            basehead: `${baseSha}...${headSha}`,
            per_page: COMPARE_PAGE_SIZE,
            page,
          }));
        } catch (error) {
          throw new CheckFailure(describeGitHubError(error, `comparing ${baseSha.slice(0, 7)}...${headSha.slice(0, 7)}`), 'github', {
            cause: error,
          });
        }
        const parsed = comparePageSchema.safeParse(raw);
        if (!parsed.success) throw new CheckFailure(`GitHub compare page ${page} had an unexpected shape`, 'github');
        const data = parsed.data;
        if (!first) {
          first = data;
          if (onTotal) await onTotal(data.total_commits);
        }
        commits.push(...data.commits.map(toCommitInfo));
        if (commits.length >= first.total_commits || data.commits.length === 0) break;
      }
      if (commits.length !== first.total_commits) {
        throw new CheckFailure(
          `GitHub compare listed ${commits.length} of ${first.total_commits} commits; refusing to judge a partial deploy`,
          'github',
        );
      }
      const unique = new Set(commits.map((c) => c.sha));
      if (unique.size !== commits.length) throw new CheckFailure('GitHub compare pages overlapped (the branch moved while reading)', 'github');
      return { status: first.status, aheadBy: first.ahead_by, behindBy: first.behind_by, commits };
    },
  };
}
