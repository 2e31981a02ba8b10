/**
 * The workflow run id of a deployment protection rule request, read from its `deployment_callback_url`. The URL
 * comes from the webhook payload: it is accepted only on the configured GitHub API host (and path prefix, for
 * GitHub Enterprise Server's /api/v3) and only for the repository the webhook is about. Pure.
 */
import type { RepoRef } from '../domain.js';

export function runIdFromCallbackUrl(callbackUrl: string, githubApiUrl: string, repo: RepoRef): number | null {
  let url: URL;
  let api: URL;
  try {
    url = new URL(callbackUrl);
    api = new URL(githubApiUrl);
  } catch {
    return null;
  }
  if (url.protocol !== api.protocol || url.host !== api.host || url.username || url.password || url.search || url.hash) return null;
  const prefix = api.pathname.replace(/\/+$/, '');
  const owner = encodeURIComponent(repo.owner).toLowerCase();
  const name = encodeURIComponent(repo.repo).toLowerCase();
  const match = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/([1-9][0-9]{0,18})\/deployment_protection_rule$/.exec(
    url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : '',
  );
  if (!match || match[1]?.toLowerCase() !== owner || match[2]?.toLowerCase() !== name) return null;
  const runId = Number(match[3]);
  return Number.isSafeInteger(runId) ? runId : null;
}
