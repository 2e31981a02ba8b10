/**
 * Writes settings into a `.env` file: a key already there is replaced in place, a new one is appended, every other
 * line is kept. Values are double-quoted with newlines as `\n`, which Node's parseEnv (src/app/load-env-file.ts)
 * turns back into line breaks. The file is created with mode 0600: it holds the App's private key.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

function quote(value: string): string {
  // parseEnv expands only \n inside double quotes: a value with a quote or backslash could not round-trip.
  if (/["\\]/.test(value)) throw new Error('a .env value must not contain " or \\');
  return `"${value.replace(/\r?\n/g, '\\n')}"`;
}

export function updateEnvText(text: string, values: Readonly<Record<string, string>>): string {
  const pending = new Map(Object.entries(values));
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) return line;
    const value = pending.get(name)!;
    pending.delete(name);
    return `${name}=${quote(value)}`;
  });
  for (const [name, value] of pending) out.push(`${name}=${quote(value)}`);
  return `${out.join('\n')}\n`;
}

export function updateEnvFile(path: string, values: Readonly<Record<string, string>>): void {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  writeFileSync(path, updateEnvText(text, values), { mode: 0o600 });
  chmodSync(path, 0o600);
}
