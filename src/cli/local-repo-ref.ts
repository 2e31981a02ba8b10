/** The RepoRef a local clone reports under: owner/name from its origin remote URL, else the directory name. */
import path from 'node:path';
import type { RepoRef } from '../core/domain.js';

/**
 * owner/name from `git@host:owner/name.git`, `ssh://git@host/owner/name`, `https://host/owner/name(.git)`;
 * `{ owner: '', repo: <directory name> }` when there is no usable remote.
 */
export function localRepoRef(workTree: string, originUrl: string | null): RepoRef {
  const url = originUrl?.trim() ?? '';
  const m = /^(?:[a-z+]+:\/\/[^/]+\/|[^@/\s]+@[^:/\s]+:)(?:.*\/)?([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url);
  if (m) return { owner: m[1]!, repo: m[2]! };
  return { owner: '', repo: path.basename(workTree) };
}
