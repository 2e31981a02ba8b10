/**
 * Reads `.github/deploy-checker.yml` the way Probot's `context.config` does (the @probot/octokit-plugin-config
 * `octokit.config.get`, which follows `_extends` to org-wide defaults such as `org/.github`), deep-merging the
 * files like context.config, then validates with the zod schema. Never throws: a missing file gives the
 * defaults, a broken one a clear error.
 */
import type { RepoRef } from '../core/domain.js';
import { branchesFromRawConfig, parseRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';
import type { Octokit } from './github-history-source.js';
import { describeGitHubError } from './describe-github-error.js';

export const CONFIG_PATH = '.github/deploy-checker.yml';

export type RepoConfigResult =
  | { readonly ok: true; readonly config: RepoConfig }
  | { readonly ok: false; readonly error: string; readonly branches: { deploy: string; production: string } };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Later objects win; nested objects merge; arrays and scalars replace. */
export function deepMergeConfigs(configs: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of configs) {
    if (!isPlainObject(c)) continue;
    for (const [k, v] of Object.entries(c)) {
      out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMergeConfigs([out[k], v]) : v;
    }
  }
  return out;
}

export async function loadRepoConfig(octokit: Octokit, repo: RepoRef): Promise<RepoConfigResult> {
  let raw: unknown;
  try {
    const result = await octokit.config.get({
      ...repo,
      path: CONFIG_PATH,
      // files come innermost-extended first, the repository's own file last (it wins)
      defaults: (configs: object[]) => deepMergeConfigs(configs),
    });
    raw = result.config;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const reason = /invalid YAML|not an object|invalid JSON/.test(message)
      ? `${CONFIG_PATH} is not a valid YAML mapping`
      : /_extends|extends/i.test(message)
        ? `${CONFIG_PATH} has an invalid _extends value`
        : describeGitHubError(error, `reading ${CONFIG_PATH}`);
    return { ok: false, error: reason, branches: branchesFromRawConfig(null) };
  }
  const parsed = parseRepoConfig(raw);
  if (parsed.ok) return parsed;
  return { ok: false, error: `invalid ${CONFIG_PATH}: ${parsed.error}`, branches: branchesFromRawConfig(raw) };
}
