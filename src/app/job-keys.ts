/**
 * Work-queue keys. Jobs with the same key supersede each other while waiting, so every producer of a job (webhook
 * handlers, the reconciler, re-checks) must build its key here.
 */
import type { RepoRef } from '../core/domain.js';

export const repoKey = (repo: RepoRef): string => `${repo.owner}/${repo.repo}`;

export const jobKeys = {
  /** A push to a branch (deploy checks of the deploy branch, production pushes). */
  branch: (repo: RepoRef, branch: string) => `${repoKey(repo)}:push:${branch}`,
  /** A re-check of the deploy branch whose name is not known yet (JIRA changes). */
  deployRecheck: (repo: RepoRef) => `${repoKey(repo)}:push:deploy-recheck`,
  /** A deploy check of one given head (report re-checks). */
  deployHead: (repo: RepoRef, sha: string) => `${repoKey(repo)}:deploy-sha:${sha}`,
  pullRequest: (repo: RepoRef, number: number) => `${repoKey(repo)}:pr:${number}`,
  recheckComment: (repo: RepoRef, commentId: number) => `${repoKey(repo)}:recheck-comment:${commentId}`,
  deploymentAnnouncement: (repo: RepoRef, sha: string) => `${repoKey(repo)}:announce:deployment:${sha}`,
} as const;
