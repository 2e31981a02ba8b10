/**
 * HistorySource over GitHub's REST API: branch heads and the compare endpoint, every page read.
 * GitHub's compare returns at most 250 commits unless paginated; we page with per_page=100: page 1 gives
 * total_commits, then pages 2…N are fetched a few at a time and assembled in order. We refuse to conclude on fewer
 * commits than total_commits, or on pages that overlap.
 */
import { z } from 'zod';
import type { CommitInfo, RepoRef } from '../core/domain.js';
import type { HistorySource } from '../core/ports.js';
import { CheckFailure } from '../core/check-failure.js';
import { describeGitHubError } from './describe-github-error.js';
import type { GitHubEdge } from './github-edge.js';

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

export const comparePageSchema = z.object({
  status: z.enum(['ahead', 'behind', 'diverged', 'identical']),
  ahead_by: z.number().int().nonnegative(),
  behind_by: z.number().int().nonnegative(),
  total_commits: z.number().int().nonnegative(),
  commits: z.array(compareCommitSchema),
});

type ComparePage = z.infer<typeof comparePageSchema>;

export const COMPARE_PAGE_SIZE = 100;
/** Compare pages 2…N in flight at once (Probot's Octokit lets 10 requests run at a time). */
export const COMPARE_PAGE_CONCURRENCY = 6;

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`; stops starting work after a failure. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

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

export function createGitHubHistorySource(github: GitHubEdge, repo: RepoRef): HistorySource {
  return {
    async resolveRef(branch) {
      try {
        return await github.getBranchHeadSha(repo, branch);
      } catch (error) {
        throw new CheckFailure(describeGitHubError(error, `reading branch ${branch}`), 'github', { cause: error });
      }
    },

    async compare(baseSha, headSha, onTotal) {
      const range = `${baseSha.slice(0, 7)}...${headSha.slice(0, 7)}`;
      const fetchPage = async (page: number): Promise<ComparePage> => {
        let text: string;
        try {
          // Unparsed text, then JSON.parse (Octokit's own parsing costs ~20× the CPU on compare pages).
          text = await github.getComparePageText(repo, baseSha, headSha, page, COMPARE_PAGE_SIZE);
        } catch (error) {
          throw new CheckFailure(describeGitHubError(error, `comparing ${range}`), 'github', { cause: error });
        }
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new CheckFailure(`GitHub compare page ${page} was not JSON`, 'github');
        }
        const parsed = comparePageSchema.safeParse(raw);
        if (!parsed.success) throw new CheckFailure(`GitHub compare page ${page} had an unexpected shape`, 'github');
        return parsed.data;
      };

      const first = await fetchPage(1);
      const total = first.total_commits;
      // "Checking N commits…" is posted while the other pages are read, never in front of them; compare settles
      // only after it, so the final status cannot overtake it.
      const announced = onTotal ? Promise.resolve().then(() => onTotal(total)) : Promise.resolve();
      const pageCount = first.commits.length === 0 ? 1 : Math.ceil(total / COMPARE_PAGE_SIZE);
      const pageNumbers = Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => i + 2);
      const [rest, announcement] = await Promise.allSettled([mapBounded(pageNumbers, COMPARE_PAGE_CONCURRENCY, fetchPage), announced]);
      if (rest.status === 'rejected') throw rest.reason;
      if (announcement.status === 'rejected') throw announcement.reason;

      const commits: CommitInfo[] = [];
      for (const data of [first, ...rest.value]) {
        if (data.total_commits !== total)
          throw new CheckFailure(`GitHub compare pages disagreed on the total (${total}, then ${data.total_commits})`, 'github');
        for (const c of data.commits) commits.push(toCommitInfo(c));
      }
      if (commits.length !== total) {
        throw new CheckFailure(`GitHub compare listed ${commits.length} of ${total} commits; refusing to judge a partial deploy`, 'github');
      }
      const unique = new Set(commits.map((c) => c.sha));
      if (unique.size !== commits.length) throw new CheckFailure('GitHub compare pages overlapped (the branch moved while reading)', 'github');
      return { status: first.status, aheadBy: first.ahead_by, behindBy: first.behind_by, commits };
    },
  };
}
