/**
 * GitHub sign-in for the web pages (the GitHub App's own OAuth client id/secret) and the per-visitor repository
 * access check. Every GitHub answer is parsed with zod; tokens and codes are never logged.
 */
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';

export interface GitHubEndpoints {
  /** e.g. https://github.com (or https://ghe.example.com) */
  readonly githubWebUrl: string;
  /** e.g. https://api.github.com (or https://ghe.example.com/api/v3) */
  readonly githubApiUrl: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function authorizeUrl(endpoints: GitHubEndpoints, clientId: string, redirectUri: string, state: string): string {
  const url = new URL(`${trimSlash(endpoints.githubWebUrl)}/login/oauth/authorize`);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('allow_signup', 'false');
  return url.toString();
}

const tokenResponse = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

const userResponse = z.object({ login: z.string().min(1).max(100), id: z.number().int() });

export class GitHubAuthError extends Error {
  override readonly name = 'GitHubAuthError';
}

/** Exchanges an OAuth code for the user's token. Throws GitHubAuthError when GitHub refuses or answers oddly. */
export async function exchangeCode(
  fetchFn: typeof fetch,
  endpoints: GitHubEndpoints,
  client: { clientId: string; clientSecret: string },
  code: string,
  redirectUri: string,
): Promise<{ accessToken: string; expiresInSeconds: number | null }> {
  const response = await fetchFn(`${trimSlash(endpoints.githubWebUrl)}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, code, redirect_uri: redirectUri }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new GitHubAuthError(`token exchange answered HTTP ${response.status}`);
  const parsed = tokenResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new GitHubAuthError('token exchange answered an unexpected body');
  if ('error' in parsed.data) throw new GitHubAuthError(`token exchange refused: ${parsed.data.error}`);
  return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in ?? null };
}

function apiHeaders(token: string): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'deploy-checker',
  };
}

export async function fetchUser(fetchFn: typeof fetch, endpoints: GitHubEndpoints, token: string): Promise<{ login: string; id: number }> {
  const response = await fetchFn(`${trimSlash(endpoints.githubApiUrl)}/user`, {
    headers: apiHeaders(token),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new GitHubAuthError(`GET /user answered HTTP ${response.status}`);
  const parsed = userResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new GitHubAuthError('GET /user answered an unexpected body');
  return parsed.data;
}

/**
 * 'writable' (200 with permissions.push), 'readable' (200 without), 'hidden' (403/404: no access or no such
 * repository), 'signed-out' (401: the token is dead).
 */
export type RepoAccess = 'writable' | 'readable' | 'hidden' | 'signed-out';

const repositoryPermissions = z.object({ permissions: z.object({ push: z.boolean().optional() }).optional() });

export interface RepoAccessChecker {
  check(sessionId: string, token: string, repo: RepoRef): Promise<RepoAccess>;
}

/**
 * Asks GitHub, with the visitor's token, whether they can read (and push to) the repository; answers are cached per session and
 * repository for `ttlMs` (concurrent asks share one request). Other statuses and network errors throw (and are
 * not cached).
 */
export function createRepoAccessChecker(options: {
  fetch: typeof fetch;
  endpoints: GitHubEndpoints;
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}): RepoAccessChecker {
  const cache = new Map<string, { expiresAt: number; answer: Promise<RepoAccess> }>();

  const ask = async (token: string, repo: RepoRef): Promise<RepoAccess> => {
    const url = `${trimSlash(options.endpoints.githubApiUrl)}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`;
    const response = await options.fetch(url, { headers: apiHeaders(token), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (response.status === 200) {
      // With a user token GitHub says what that user may do: push (write) is what a re-check needs.
      const repository = repositoryPermissions.safeParse(await response.json().catch(() => null));
      return repository.success && repository.data.permissions?.push === true ? 'writable' : 'readable';
    }
    // The body is not needed; release the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 404 || response.status === 403) return 'hidden';
    if (response.status === 401) return 'signed-out';
    throw new GitHubAuthError(`GET /repos/${repo.owner}/${repo.repo} answered HTTP ${response.status}`);
  };

  return {
    check(sessionId, token, repo) {
      const key = `${sessionId}\u0000${`${repo.owner}/${repo.repo}`.toLowerCase()}`;
      const now = options.now();
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now) return hit.answer;
      if (hit) cache.delete(key);
      const answer = ask(token, repo);
      const entry = { expiresAt: now + options.ttlMs, answer };
      cache.set(key, entry);
      // Failures are not remembered.
      answer.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      // Bounded: drop the oldest entries (Map keeps insertion order).
      while (cache.size > options.maxEntries) {
        const oldest = cache.keys().next();
        if (oldest.done) break;
        cache.delete(oldest.value);
      }
      return answer;
    },
  };
}
