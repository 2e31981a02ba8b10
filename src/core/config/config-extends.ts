/**
 * `_extends` in `.github/deploy-checker.yml`, with Probot's syntax (@probot/octokit-plugin-config): `.github`,
 * `repo`, `owner/repo`, each optionally `:path.yml`; the path defaults to the file's own path. Unlike Probot, only
 * repositories of the same owner can be extended: the app reads with an installation token that may see other
 * owners' repositories, and a writer of one repository must not pull their contents into a status or report.
 */

/** Where a config file lives. */
export interface ConfigFileRef {
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
}

/** Probot's pattern for an `_extends` value. */
const EXTENDS_VALUE = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/** At most this many files are read for one config (the repository's own, the org default and what they extend). */
export const MAX_CONFIG_FILES = 5;

export type ExtendsTarget = { readonly ok: true; readonly target: ConfigFileRef } | { readonly ok: false; readonly error: string };

/**
 * The file an `_extends` value names, read from a file of `from.owner` at `from.path`. The error never repeats the
 * value (it may come from an extended file, whose content is not shown).
 */
export function resolveExtendsTarget(value: unknown, from: { readonly owner: string; readonly path: string }): ExtendsTarget {
  const match = typeof value === 'string' ? EXTENDS_VALUE.exec(value) : null;
  if (!match) return { ok: false, error: 'has an invalid _extends value' };
  const owner = match[1] ?? from.owner;
  if (owner.toLowerCase() !== from.owner.toLowerCase()) {
    return { ok: false, error: `has an _extends that names another owner's repository; only repositories of ${from.owner} can be extended` };
  }
  return { ok: true, target: { owner: from.owner, repo: match[2]!, path: match[3] ?? from.path } };
}

export const describeConfigFile = (ref: ConfigFileRef): string => `${ref.owner}/${ref.repo}:${ref.path}`;

export const sameConfigFile = (a: ConfigFileRef, b: ConfigFileRef): boolean =>
  a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase() && a.path === b.path;
