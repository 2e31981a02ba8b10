/**
 * The CLI on a history built with `git fast-import` from the synthetic release range (every corpus pattern in a few
 * dozen commits), checked with `--projects KAFKA,PARQUET` and no JIRA: the `npm test` counterpart of
 * cli-check.corpus.test.ts, which does the same with the 643 commits of Apache Kafka 3.6.0..3.7.0.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { main } from '../../src/cli/main.js';
import {
  SYNTHETIC_COMMITS,
  SYNTHETIC_NOT_KEYS,
  SYNTHETIC_PROJECTS,
  SYNTHETIC_REVERTED_KEYS,
  SYNTHETIC_SHIPPED_KEYS,
} from '../helpers/synthetic-release-range.js';
import { buildLinearHistory } from './fast-import-history.js';
import { captureIo, createTempDirs, isolatedGitEnv } from './git-test-repo.js';

const temp = createTempDirs();
let report: DeployReport;
let exitCode: number;
let stderr: string;
let gitCommands: string[];

beforeAll(async () => {
  const root = temp.make('synthetic-history');
  const env = isolatedGitEnv(root);
  const dir = path.join(root, 'app');
  mkdirSync(dir);
  buildLinearHistory({ dir, env, messages: SYNTHETIC_COMMITS.map((c) => c.message), fromTag: 'v1.0.0', toTag: 'v1.1.0' });
  const trace = path.join(root, 'git-trace.log');
  const cap = captureIo({ cwd: dir, env: { ...env, GIT_TRACE: trace } });
  exitCode = await main(['check', '--from', 'v1.0.0', '--to', 'v1.1.0', '--format', 'json', '--projects', SYNTHETIC_PROJECTS.join(',')], cap.io);
  stderr = cap.stderr();
  report = JSON.parse(cap.stdout()) as DeployReport;
  gitCommands = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => line.includes('trace: built-in: git '))
    .map(
      (line) =>
        line
          .replace(/^.*trace: built-in: git /, '')
          .split(' ')
          .find((w) => !w.startsWith('-') && !w.includes('=')) ?? '',
    );
});
afterAll(() => temp.cleanup());

describe('CLI on a fast-imported synthetic history', () => {
  it('reads every commit of the range, oldest first, with its message', () => {
    expect(report.compare).toEqual({ status: 'ahead', aheadBy: SYNTHETIC_COMMITS.length, behindBy: 0 });
    expect(report.commits.map((c) => c.message)).toEqual(SYNTHETIC_COMMITS.map((c) => c.message));
    expect(report.ticketChecksSkipped).toBe(true);
    // Commits without a key (MINOR:, HOTFIX:, the typo…) are problems: exit 1, and nothing on stderr.
    expect(exitCode).toBe(1);
    expect(stderr).toBe('');
  });

  it('reads the range with one git log process (plus a few small git calls), not one per commit', () => {
    expect(gitCommands.filter((c) => c === 'log')).toHaveLength(1);
    // rev-parse (repository), rev-parse ×2 (--from, --to), ls-tree (the config in --to), remote get-url, rev-list, log.
    expect(gitCommands.length).toBeLessThanOrEqual(7);
  });

  it('lists exactly the shipped tickets and the reverted ones', () => {
    expect(report.tickets.map((t) => t.key).sort()).toEqual(SYNTHETIC_SHIPPED_KEYS);
    expect(report.reverted.map((r) => r.key).sort()).toEqual(SYNTHETIC_REVERTED_KEYS);
  });

  it('reports no non-key as a ticket', () => {
    const found = [...report.tickets.map((t) => t.key), ...report.reverted.map((r) => r.key)];
    expect(found.filter((key) => SYNTHETIC_NOT_KEYS.includes(key))).toEqual([]);
  });
});
