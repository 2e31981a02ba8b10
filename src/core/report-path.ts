/**
 * Paths of the web pages, shared by the web routes and by whoever links to them (the commit status target_url,
 * Slack messages). Pure: no I/O. Every part is URL-encoded.
 */
import type { RepoRef } from './domain.js';

/** `/deploys/:owner/:repo`: the report history of a repository. */
export function repoPath(repo: RepoRef): string {
  return `/deploys/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`;
}

/** `/deploys/:owner/:repo/:sha`: one report. */
export function reportPath(repo: RepoRef, sha: string): string {
  return `${repoPath(repo)}/${encodeURIComponent(sha)}`;
}

/** `/tickets/:key`: every report that contains the ticket. */
export function ticketPath(key: string): string {
  return `/tickets/${encodeURIComponent(key)}`;
}

/**
 * Absolute URL of a report page under the app's public URL (e.g. for a commit status target_url). A trailing
 * slash of `publicUrl` is ignored; a path prefix in it is kept.
 */
export function reportUrl(publicUrl: string, repo: RepoRef, sha: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${reportPath(repo, sha)}`;
}
