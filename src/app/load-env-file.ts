/**
 * Settings come from the process environment and from a `.env` file: the real environment wins, `.env` fills the
 * gaps. Read once at start (src/main.ts); nothing writes `.env` values into `process.env`.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The variables of a `.env` file (Node's own parser: quotes, `\n` in double quotes, comments), or {} when absent. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnv(text) as Record<string, string>;
}

/**
 * The effective environment: a variable set (non-empty) in the real environment wins; an unset or empty one takes
 * the file's value.
 */
export function mergeEnvironment(real: EnvSource, file: EnvSource): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...file };
  for (const [name, value] of Object.entries(real)) {
    if (value !== undefined && value !== '') merged[name] = value;
    else if (!(name in merged)) merged[name] = value;
  }
  return merged;
}
