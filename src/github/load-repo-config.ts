/**
 * Reads `.github/deploy-checker.yml` the way Probot's `context.config` does (@probot/octokit-plugin-config: a
 * missing file falls back to `<owner>/.github`, `_extends` is followed, the files are deep-merged), but reads the
 * files itself so that `_extends` stays within the repository's owner, and validates with the zod schema. Never
 * throws: a missing file gives the defaults, a broken one a clear error. Errors show key names and values only
 * from the repository's own file, never from a file it extends.
 */
import type { RepoRef } from '../core/domain.js';
import { branchesFromRawConfig, parseRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';
import YAML from 'yaml';
import { MAX_CONFIG_FILES, describeConfigFile, resolveExtendsTarget, sameConfigFile, type ConfigFileRef } from '../core/config/config-extends.js';
import type { GitHubEdge } from './github-edge.js';
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

/** A config file that could not be used; `reason` names no content of the file. */
class ConfigFileError extends Error {}

/** One config file as YAML data, or null when it does not exist (the contents API, raw, like Probot's plugin). */
async function readConfigFile(github: GitHubEdge, file: ConfigFileRef): Promise<Record<string, unknown> | null> {
  const text = await github.getFileText(file);
  if (text === null) return null;
  if (typeof text !== 'string') throw new ConfigFileError('is a directory or a submodule, not a file');
  let data: unknown;
  try {
    data = YAML.parse(text, { logLevel: 'error' }) ?? {};
  } catch {
    throw new ConfigFileError('is not a valid YAML mapping');
  }
  if (!isPlainObject(data)) throw new ConfigFileError('is not a valid YAML mapping');
  return data;
}

interface ReadFile {
  readonly ref: ConfigFileRef;
  readonly data: Record<string, unknown>;
}

/**
 * The files that make up the config, the repository's own first: like Probot, a missing file falls back to
 * `<owner>/.github`, and the last file's `_extends` is followed (with the first file's owner and path as defaults)
 * until a file without one. Unlike Probot, `_extends` stays within the owner.
 */
async function readConfigFiles(github: GitHubEdge, repo: RepoRef): Promise<{ own: ReadFile | null; files: ReadFile[] }> {
  const ownRef = { owner: repo.owner, repo: repo.repo, path: CONFIG_PATH };
  const describe = (ref: ConfigFileRef) => (sameConfigFile(ref, ownRef) ? CONFIG_PATH : `the configuration it extends (${describeConfigFile(ref)})`);
  const read = async (ref: ConfigFileRef): Promise<ReadFile | null> => {
    try {
      const data = await readConfigFile(github, ref);
      return data === null ? null : { ref, data };
    } catch (error) {
      if (error instanceof ConfigFileError) throw new ConfigFileError(`${describe(ref)} ${error.message}`);
      throw new ConfigFileError(describeGitHubError(error, `reading ${describe(ref)}`));
    }
  };
  const own = await read(ownRef);
  const files: ReadFile[] = [];
  let last = own;
  if (!own && repo.repo !== '.github') last = await read({ owner: repo.owner, repo: '.github', path: CONFIG_PATH });
  while (last) {
    files.push(last);
    const { _extends: value, ...rest } = last.data;
    files[files.length - 1] = { ref: last.ref, data: rest };
    if (value === undefined) break;
    const target = resolveExtendsTarget(value, { owner: repo.owner, path: CONFIG_PATH });
    if (!target.ok) throw new ConfigFileError(`${describe(last.ref)} ${target.error}`);
    if (files.some((f) => sameConfigFile(f.ref, target.target)))
      throw new ConfigFileError(`${describe(last.ref)} has an _extends that loops back to a file already read`);
    if (files.length >= MAX_CONFIG_FILES) throw new ConfigFileError(`${CONFIG_PATH}: _extends goes deeper than ${MAX_CONFIG_FILES} files`);
    last = await read(target.target);
  }
  return { own: own ? files[0]! : null, files };
}

export async function loadRepoConfig(github: GitHubEdge, repo: RepoRef): Promise<RepoConfigResult> {
  let read: { own: ReadFile | null; files: ReadFile[] };
  try {
    read = await readConfigFiles(github, repo);
  } catch (error) {
    const reason = error instanceof ConfigFileError ? error.message : describeGitHubError(error, `reading ${CONFIG_PATH}`);
    return { ok: false, error: reason, branches: branchesFromRawConfig(null) };
  }
  // Extended files first, the repository's own file last (it wins).
  const raw = deepMergeConfigs(read.files.map((f) => f.data).reverse());
  const parsed = parseRepoConfig(raw);
  if (parsed.ok) return parsed;
  const branches = branchesFromRawConfig(raw);
  const ownParsed = read.own ? parseRepoConfig(read.own.data) : null;
  if (ownParsed && !ownParsed.ok) return { ok: false, error: `invalid ${CONFIG_PATH}: ${ownParsed.error}`, branches };
  // The problem is in a file of another repository: its key names and values are not shown here.
  const extended = read.files.find((f) => f !== read.own)!;
  return {
    ok: false,
    error: `invalid configuration extended from ${describeConfigFile(extended.ref)} (details are shown only for the repository's own ${CONFIG_PATH})`,
    branches,
  };
}
