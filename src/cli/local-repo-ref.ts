/** The RepoRef a local clone reports under: owner/name from its origin remote URL, else the directory name. */
import path from 'node:path';
import type { RepoRef } from '../core/domain.js';

// scheme://[user[:password]@]host[:port]/…/owner/name[.git][/]
const URL_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+\/(?:[^\s]*\/)?([^/\s]+)\/([^/\s]+?)(?:\.git)?\/*$/i;
// scp-like [user@]host:…/owner/name[.git] (host of two characters or more, so that C:/x/y is not one)
const SCP_FORM = /^(?:[^@/\s]+@)?[^@:/\s]{2,}:(?!\/\/)(?:[^\s]*\/)?([^/\s]+)\/([^/\s]+?)(?:\.git)?\/*$/;

/**
 * owner/name from a remote URL: `https://host/owner/name(.git)`, `ssh://git@host:22/owner/name.git`,
 * `git@host:owner/name.git`, `git://…`; with more path segments (GitLab subgroups) the last two. Null for a
 * local path or `file://` URL, which name no owner.
 */
export function repoRefFromRemoteUrl(url: string): RepoRef | null {
  const trimmed = url.trim();
  if (/^file:/i.test(trimmed)) return null;
  const m = URL_FORM.exec(trimmed) ?? SCP_FORM.exec(trimmed);
  if (!m || m[2] === '' || m[1] === '.' || m[1] === '..') return null;
  return { owner: m[1]!, repo: m[2]! };
}

/**
 * owner/name from the origin remote's URL when it has one; else `{ owner: '', repo: <directory name> }`, where a
 * bare clone's `shop.git` directory gives `shop`.
 */
export function localRepoRef(repoDir: string, originUrl: string | null): RepoRef {
  const fromRemote = originUrl ? repoRefFromRemoteUrl(originUrl) : null;
  if (fromRemote) return fromRemote;
  return { owner: '', repo: path.basename(repoDir).replace(/\.git$/, '') || path.basename(repoDir) };
}
