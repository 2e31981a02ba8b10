import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPackageVersion } from '../../src/cli/read-package-version.js';
import { createTempDirs } from './git-test-repo.js';

const temp = createTempDirs();
afterAll(() => temp.cleanup());

function tree(files: Record<string, string>): string {
  const root = temp.make('pkg');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('findPackageVersion', () => {
  it('walks up from src/cli or dist/cli to the package.json with a version, skipping a versionless marker in dist/', async () => {
    const root = tree({
      'package.json': '{"name":"deploy-checker","version":"1.2.3"}',
      'dist/package.json': '{"type":"module"}',
      'dist/cli/main.js': '',
      'src/cli/main.ts': '',
    });
    expect(await findPackageVersion(path.join(root, 'src/cli'))).toBe('1.2.3');
    expect(await findPackageVersion(path.join(root, 'dist/cli'))).toBe('1.2.3');
  });

  it('takes the nearest versioned package.json and skips one that is not JSON', async () => {
    const root = tree({ 'package.json': '{"version":"1.0.0"}', 'inner/package.json': '{"version":"2.0.0"}', 'inner/a/package.json': '{broken' });
    expect(await findPackageVersion(path.join(root, 'inner/a'))).toBe('2.0.0');
    expect(await findPackageVersion(root)).toBe('1.0.0');
  });
});
