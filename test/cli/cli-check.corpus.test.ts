/**
 * The CLI on real history: the 643 commits of Apache Kafka 3.6.0..3.7.0 (../shared/corpus), rebuilt as a linear
 * chain of empty commits with the same messages, checked with `--projects KAFKA` and no JIRA.
 * Runs with `npm run test:corpus`; the synthetic counterpart in `npm test` is cli-check-synthetic-history.test.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { main } from '../../src/cli/main.js';
import { captureIo, createTempDirs, isolatedGitEnv } from './git-test-repo.js';
import { buildLinearHistory } from './fast-import-history.js';
import { readCommitCorpusFile } from '../helpers/commit-corpus.js';

interface Corpus {
  commitCount: number;
  commits: { sha: string; parents: string[]; message: string }[];
  gitKeys: string[];
  otherKeyLikeTokens: string[];
}

/** Non-keys named in the corpus README, as the ticket keys a naive extractor would make of them. */
const NOT_KEYS = [
  'CVE-2023',
  'UTF-8',
  'ISO-8601',
  'SHA-256',
  'KIP-714',
  'PR-14347',
  'GH-35086',
  'PLAINTEXT-0',
  'JDK-8015831',
  'KAKFA-15629',
  'KAFKA-2594137463116889965',
  'KAFKA-2594137',
  'KAFKA-3',
  'KAFKA-0',
];

const temp = createTempDirs();
let corpus: Corpus;
let report: DeployReport;
let exitCode: number;
let stderr: string;
let gitCommands: string[];

beforeAll(async () => {
  corpus = readCommitCorpusFile('kafka__3.6.0..3.7.0.json') as Corpus;
  const root = temp.make('corpus');
  const env = isolatedGitEnv(root);
  const dir = path.join(root, 'kafka');
  mkdirSync(dir);
  buildLinearHistory({ dir, env, messages: corpus.commits.map((c) => c.message).reverse(), fromTag: '3.6.0', toTag: '3.7.0' });
  const trace = path.join(root, 'git-trace.log');
  const cap = captureIo({ cwd: dir, env: { ...env, GIT_TRACE: trace } });
  exitCode = await main(['check', '--from', '3.6.0', '--to', '3.7.0', '--format', 'json', '--projects', 'KAFKA'], cap.io);
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

describe('CLI on the kafka 3.6.0..3.7.0 corpus', () => {
  it('reads every commit of the range, oldest first, with its message', () => {
    expect(corpus.commits).toHaveLength(643);
    expect(report.compare).toEqual({ status: 'ahead', aheadBy: 643, behindBy: 0 });
    expect(report.commits).toHaveLength(643);
    const oldestFirst = [...corpus.commits].reverse();
    expect(report.commits.map((c) => c.message)).toEqual(oldestFirst.map((c) => c.message.replace(/\n+$/, '')));
    expect(report.ticketChecksSkipped).toBe(true);
    // Commits without a KAFKA key (MINOR:, HOTFIX:, typos…) are problems: exit 1, and nothing on stderr.
    expect(exitCode).toBe(1);
    expect(stderr).toBe('');
  });

  it('reads the range with one git log process (plus a few small git calls), not one per commit', () => {
    expect(gitCommands.filter((c) => c === 'log')).toHaveLength(1);
    // rev-parse (repository), rev-parse ×2 (--from, --to), ls-tree (the config in --to), remote get-url, rev-list, log.
    expect(gitCommands.length).toBeLessThanOrEqual(7);
  });

  it('finds every key of gitKeys', () => {
    const found = new Set([...report.tickets.map((t) => t.key), ...report.reverted.map((r) => r.key)]);
    const missing = corpus.gitKeys.filter((k) => !found.has(k));
    expect(missing).toEqual([]);
    expect(corpus.gitKeys.length).toBeGreaterThan(300);
  });

  it('reports no non-key as a ticket', () => {
    const found = [...report.tickets.map((t) => t.key), ...report.reverted.map((r) => r.key)];
    for (const key of found) expect(key).toMatch(/^KAFKA-[1-9][0-9]{0,6}$/);
    for (const notKey of [...NOT_KEYS, ...corpus.otherKeyLikeTokens]) expect(found).not.toContain(notKey.toUpperCase());
  });
});
