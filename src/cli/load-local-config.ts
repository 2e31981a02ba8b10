/**
 * The per-repository config for the command-line checker: `--config <file>`, or `.github/deploy-checker.yml` as
 * committed in the `--to` commit (so a bare or mirror clone works, and the result does not depend on what is
 * checked out), or the defaults. Parsed with `yaml`, validated with the same schema as the app. `_extends` points
 * at another repository, which a local run cannot read: the local file is used alone, with a warning.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';
import { gitMessage, runGit, type GitRunOptions } from './run-git.js';

export const LOCAL_CONFIG_PATH = '.github/deploy-checker.yml';

export type LocalConfigResult =
  | { readonly ok: true; readonly config: RepoConfig; readonly path: string | null; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

type ConfigText = { readonly ok: true; readonly text: string | null } | { readonly ok: false; readonly error: string };

export interface LoadLocalConfigOptions {
  /** --config as given (resolved against `cwd`), or null for the file committed in `commit`. */
  readonly explicitPath: string | null;
  readonly cwd: string;
  readonly git: GitRunOptions;
  /** The --to commit: its full SHA, and the ref as the user wrote it (for messages). */
  readonly commit: { readonly sha: string; readonly ref: string };
  /** The clone's work tree, or null for a bare clone: a work-tree copy that differs from the committed one is warned about. */
  readonly workTree: string | null;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

async function readConfigFile(file: string, missingIsAbsent: boolean): Promise<ConfigText> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (missingIsAbsent && (code === 'ENOENT' || code === 'ENOTDIR')) return { ok: true, text: null };
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    return { ok: false, error: `cannot read config ${file}: ${why}` };
  }
}

/** The file at `LOCAL_CONFIG_PATH` in commit `sha`: null when the commit has none. */
async function readCommittedConfig(git: GitRunOptions, sha: string, label: string): Promise<ConfigText> {
  const entry = await runGit(['ls-tree', '-z', sha, '--', LOCAL_CONFIG_PATH], git);
  if (entry.code !== 0) return { ok: false, error: `cannot read config ${label}: ${gitMessage(entry.stderr, 'git ls-tree failed')}` };
  if (entry.stdout === '') return { ok: true, text: null };
  const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64})\t/.exec(entry.stdout);
  if (m?.[2] !== 'blob') return { ok: false, error: `cannot read config ${label}: it is not a file` };
  if (m[1] === '120000') return { ok: false, error: `cannot read config ${label}: it is a symbolic link, which cannot be followed inside a commit` };
  const blob = await runGit(['cat-file', 'blob', m[3]!], git);
  if (blob.code !== 0) return { ok: false, error: `cannot read config ${label}: ${gitMessage(blob.stderr, 'git cat-file failed')}` };
  return { ok: true, text: blob.stdout };
}

export async function loadLocalConfig(options: LoadLocalConfigOptions): Promise<LocalConfigResult> {
  if (options.explicitPath) {
    const file = path.resolve(options.cwd, options.explicitPath);
    const read = await readConfigFile(file, false);
    return read.ok ? parseLocal(read.text, file, []) : read;
  }
  const label = `${options.commit.ref}:${LOCAL_CONFIG_PATH}`;
  const committed = await readCommittedConfig(options.git, options.commit.sha, label);
  if (!committed.ok) return committed;
  const warnings: string[] = [];
  if (options.workTree) {
    const local = await readConfigFile(path.join(options.workTree, LOCAL_CONFIG_PATH), true);
    if (local.ok && local.text !== null && local.text !== committed.text) {
      warnings.push(
        `warning: ${LOCAL_CONFIG_PATH} in the work tree differs from the one in --to ${options.commit.ref}${committed.text === null ? ' (which has none)' : ''}; the committed one is used (pass --config ${path.join(options.workTree, LOCAL_CONFIG_PATH)} to use the work tree's)`,
      );
    }
  }
  return parseLocal(committed.text, committed.text === null ? null : label, warnings);
}

function parseLocal(text: string | null, source: string | null, warnings: string[]): LocalConfigResult {
  let raw: unknown = null;
  if (text !== null) {
    try {
      raw = parseYaml(text);
    } catch (error) {
      return { ok: false, error: `config ${source} is not valid YAML: ${firstLine((error as Error).message)}` };
    }
  }
  const parsed = parseRepoConfig(raw);
  if (!parsed.ok) return { ok: false, error: `invalid config ${source}: ${parsed.error}` };
  const extendsValue = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)._extends : undefined;
  if (extendsValue !== undefined) {
    warnings.push(
      `warning: ${source} has _extends: ${JSON.stringify(extendsValue)}, which cannot be followed locally; using the local file alone (settings inherited from elsewhere are not applied)`,
    );
  }
  return { ok: true, config: parsed.config, path: source, warnings };
}
