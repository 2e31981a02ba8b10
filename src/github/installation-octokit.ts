/**
 * Installation GitHub edges (src/github/github-edge.ts) over installation-authenticated Octokits built with the App's own credentials (`app.auth(installationId)`), never the
 * webhook's `context.octokit`: Probot gives each installation's Octokit its own throttle id, so the one-write-a-
 * second pacing and the retries are per installation, not shared by the whole app. One Octokit per installation is
 * cached (bounded, least recently used first out); its token renews itself.
 */
import type { Probot } from 'probot';
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';
import { createGitHubEdge, type GitHubEdge } from './github-edge.js';

export type InstallationOctokitFor = (repo: RepoRef) => Promise<GitHubEdge>;

export interface InstallationOctokits {
  /** The GitHub edge of an installation (the webhook payload's `installation.id`). */
  forInstallation(installationId: number): Promise<GitHubEdge>;
  /** The installation of a repository, looked up with the App's JWT (cached). */
  installationIdFor(repo: RepoRef): Promise<number>;
  /** The GitHub edge for a repository whose installation is not known yet. */
  forRepo: InstallationOctokitFor;
}

const DEFAULT_MAX_CACHED = 500;

/** A small LRU map: Map keeps insertion order, so the first key is the least recently used. */
function boundedCache<K, V>(max: number) {
  const map = new Map<K, V>();
  return {
    get(key: K): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: K, value: V): void {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as K);
    },
    delete(key: K): void {
      map.delete(key);
    },
  };
}

export function createInstallationOctokits(app: Pick<Probot, 'auth'>, options: { maxCached?: number } = {}): InstallationOctokits {
  const max = options.maxCached ?? DEFAULT_MAX_CACHED;
  const octokits = boundedCache<number, Promise<GitHubEdge>>(max);
  const installations = boundedCache<string, number>(max * 4);

  const forInstallation = (installationId: number): Promise<GitHubEdge> => {
    const cached = octokits.get(installationId);
    if (cached) return cached;
    const created = app
      .auth(installationId)
      .then((octokit) => createGitHubEdge(octokit))
      .catch((error: unknown) => {
        octokits.delete(installationId); // not cached: the next call tries again
        throw error;
      });
    octokits.set(installationId, created);
    return created;
  };

  const installationIdFor = async (repo: RepoRef): Promise<number> => {
    const name = `${repo.owner}/${repo.repo}`.toLowerCase();
    const known = installations.get(name);
    if (known !== undefined) return known;
    const appOctokit = await app.auth();
    const { data } = await appOctokit.request('GET /repos/{owner}/{repo}/installation', { ...repo });
    const id = z.object({ id: z.number().int() }).parse(data).id;
    installations.set(name, id);
    return id;
  };

  return {
    forInstallation,
    installationIdFor,
    forRepo: async (repo) => forInstallation(await installationIdFor(repo)),
  };
}

/** The GitHub edge for a repository (kept for callers that only know the repository). */
export function createInstallationOctokitFor(app: Probot): InstallationOctokitFor {
  return createInstallationOctokits(app).forRepo;
}
