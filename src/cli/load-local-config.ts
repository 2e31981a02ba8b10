/**
 * The per-repository config for the command-line checker: `--config <file>`, or `.github/deploy-checker.yml`
 * in the clone's work tree when present, or the defaults. Parsed with `yaml`, validated with the same schema as
 * the app. `_extends` points at another repository, which a local run cannot read: the local file is used
 * alone, with a warning.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRepoConfig, type RepoConfig } from '../core/config/repo-config-schema.js';

export const LOCAL_CONFIG_PATH = '.github/deploy-checker.yml';

export type LocalConfigResult =
  | { readonly ok: true; readonly config: RepoConfig; readonly path: string | null; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/** `explicitPath` is used as given (resolved against `cwd`); otherwise the default file under `repoRoot`, if any. */
export async function loadLocalConfig(options: { explicitPath: string | null; repoRoot: string; cwd: string }): Promise<LocalConfigResult> {
  const file = options.explicitPath ? path.resolve(options.cwd, options.explicitPath) : path.join(options.repoRoot, LOCAL_CONFIG_PATH);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!options.explicitPath && code === 'ENOENT') return parseLocal(null, null);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    return { ok: false, error: `cannot read config ${file}: ${why}` };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { ok: false, error: `config ${file} is not valid YAML: ${firstLine((error as Error).message)}` };
  }
  return parseLocal(raw, file);
}

function parseLocal(raw: unknown, file: string | null): LocalConfigResult {
  const parsed = parseRepoConfig(raw);
  if (!parsed.ok) return { ok: false, error: `invalid config ${file}: ${parsed.error}` };
  const warnings: string[] = [];
  const extendsValue = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)._extends : undefined;
  if (extendsValue !== undefined) {
    warnings.push(
      `warning: ${file} has _extends: ${JSON.stringify(extendsValue)}, which cannot be followed locally; using the local file alone (settings inherited from elsewhere are not applied)`,
    );
  }
  return { ok: true, config: parsed.config, path: file, warnings };
}
