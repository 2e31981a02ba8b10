/** The real executable, spawned as a CI would run it: `node bin/deploy-checker.js check …` in a temp repo. */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { buildScenario, createTempDirs, type Scenario } from './git-test-repo.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/deploy-checker.js');
const temp = createTempDirs();
let s: Scenario;

beforeAll(() => {
  s = buildScenario(temp.make('bin'));
});
afterAll(() => temp.cleanup());

function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin/deploy-checker.js', () => {
  it('is executable', () => {
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('checks a range end to end and exits 1 on problems, with the JSON report on stdout', async () => {
    const r = await runBin(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS', '--format', 'json'], s.repo.dir, s.repo.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DeployReport;
    expect(report.trigger).toBe('cli');
    expect(report.headSha).toBe(s.sha.revert);
    expect(report.tickets.map((t) => t.key)).toEqual(['PROJ-2', 'PROJ-3', 'OPS-7']);
  });

  it('exits 0 on a clean range and 2 with one line on a bad ref', async () => {
    const ok = await runBin(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ'], s.repo.dir, s.repo.env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^deploy-checker: PASS/);
    const bad = await runBin(['check', '--from', 'v0', '--to', 'v1.1', '--projects', 'PROJ'], s.repo.dir, s.repo.env);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^deploy-checker: --from v0: no such commit, branch or tag in [^\n]+\n$/);
  });

  it('--version prints the version of package.json and exits 0, from any directory', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [['--version'], ['-v'], ['check', '--version']]) {
      const r = await runBin(args, temp.make('version-cwd'), s.repo.env);
      expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });
});
