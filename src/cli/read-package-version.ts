/**
 * The version of deploy-checker for `--version`: the `version` of the first package.json, walking up from this
 * module's directory. Read at run time rather than imported, so it works from src/cli (run through tsx) and from a
 * compiled dist/cli alike; a package.json without a version (such as a `{"type": "module"}` marker that a build
 * may put in dist/) is skipped.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const PackageVersion = z.object({ version: z.string().min(1) });

/** The version from the nearest package.json at or above `startDir` that has one, or null when there is none. */
export async function findPackageVersion(startDir: string): Promise<string | null> {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (text !== null) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = null;
      }
      const parsed = PackageVersion.safeParse(raw);
      if (parsed.success) return parsed.data.version;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** deploy-checker's own version. */
export function readPackageVersion(): Promise<string | null> {
  return findPackageVersion(path.dirname(fileURLToPath(import.meta.url)));
}
