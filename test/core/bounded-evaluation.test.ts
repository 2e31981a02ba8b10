/**
 * Hostile commit messages: the work per commit is bounded (64 KB read per message, at most 100 revert targets per
 * commit, revert targets found through an index), and the yielding variants give the event loop back.
 */
import { describe, expect, it } from 'vitest';
import type { CommitInfo } from '../../src/core/domain.js';
import {
  MAX_REVERTED_COMMITS_PER_COMMIT,
  MAX_SCANNED_MESSAGE_LENGTH,
  createKeyMatcher,
  extractCommitKeys,
  summarizeDeployKeys,
  summarizeDeployKeysYielding,
} from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport, buildDeployReportYielding, type ReportContext } from '../../src/core/report/build-deploy-report.js';
import { buildPullRequestReport, pullRequestKeys } from '../../src/core/pull-request/evaluate-pull-request.js';
import { commitSubject, commitsWithoutTicket } from '../../src/core/rules/evaluate-deploy-rules.js';
import { runStepsYielding } from '../../src/core/cooperative-steps.js';
import { commit, config, range } from './core-test-builders.js';

const matcher = createKeyMatcher({ projects: ['PROJ'] });
const ctx: ReportContext = { repo: { owner: 'acme', repo: 'shop' }, trigger: 'push', evaluatedAt: '2024-05-01T10:00:00.000Z', pullRequest: null };
/** A 40-digit hex sha from a number. */
const hexSha = (n: number) => n.toString(16).padStart(8, '0').repeat(5);
const padTo = (text: string, length: number) => text + '\n'.repeat(length - text.length);

describe('messages are read up to 64 KB', () => {
  const long = commit('long', `${padTo('Fix things', MAX_SCANNED_MESSAGE_LENGTH)}PROJ-9: hidden after the cap`);
  const atCap = commit('at-cap', `${padTo('Tidy up', MAX_SCANNED_MESSAGE_LENGTH - 'PROJ-8'.length)}PROJ-8`);

  it('a key after the first 64 KB is not read; one that ends exactly at 64 KB is', () => {
    expect(extractCommitKeys(long.message, matcher).ships).toEqual([]);
    expect(extractCommitKeys(atCap.message, matcher).ships).toEqual(['PROJ-8']);
  });

  it('the report lists the commits whose message was cut, and only then has the field', () => {
    const report = buildDeployReport(ctx, { range: range([atCap, long]), config: config(), matcher, tickets: null });
    expect(report.truncatedMessages).toEqual([long.sha]);
    expect(report.commitsWithoutTicket.map((c) => c.sha)).toEqual([long.sha]);
    expect('truncatedMessages' in buildDeployReport(ctx, { range: range([atCap]), config: config(), matcher, tickets: null })).toBe(false);
  });

  it('the pull-request report lists them too', () => {
    const pr = {
      number: 1,
      title: 'PROJ-8: tidy',
      url: null,
      headRef: 'f',
      headSha: long.sha,
      baseRef: 'main',
      author: 'dana',
      draft: false,
      labels: [],
      state: 'open' as const,
    };
    const prKeys = pullRequestKeys(pr, [long], matcher);
    const report = buildPullRequestReport(ctx, {
      pr,
      baseSha: 'b',
      commits: [long],
      compare: null,
      prKeys,
      tickets: new Map(),
      findings: [],
      config: config(),
      matcher,
    });
    expect(report.truncatedMessages).toEqual([long.sha]);
  });

  it('a subject longer than 64 KB is cut too (exempt patterns never see more)', () => {
    const subject = commitSubject('x'.repeat(MAX_SCANNED_MESSAGE_LENGTH + 10));
    expect(subject).toHaveLength(MAX_SCANNED_MESSAGE_LENGTH);
    expect(commitSubject('Fix it\r\nbody')).toBe('Fix it');
  });
});

describe('revert targets', () => {
  it(`at most ${MAX_REVERTED_COMMITS_PER_COMMIT} "This reverts commit" targets of one commit are followed`, () => {
    const shippers = Array.from({ length: MAX_REVERTED_COMMITS_PER_COMMIT + 1 }, (_, i) => ({ sha: hexSha(i + 1), message: `PROJ-${i + 1}: part` }));
    const revert = { sha: hexSha(9999), message: shippers.map((c) => `This reverts commit ${c.sha.slice(0, 9)}.`).join('\n') };
    const summary = summarizeDeployKeys([...shippers, revert], matcher);
    expect(summary.byCommit.get(revert.sha)?.revertsCommits).toHaveLength(MAX_REVERTED_COMMITS_PER_COMMIT);
    expect([...summary.shipped.keys()]).toEqual([`PROJ-${MAX_REVERTED_COMMITS_PER_COMMIT + 1}`]);
  });

  it('an abbreviation names the first earlier commit it fits; a longer one tells them apart', () => {
    const first = { sha: `abcdef1${'1'.repeat(33)}`, message: 'PROJ-1: one' };
    const second = { sha: `abcdef1${'2'.repeat(33)}`, message: 'PROJ-2: two' };
    const short = summarizeDeployKeys([first, second, { sha: hexSha(3), message: 'This reverts commit abcdef1.' }], matcher);
    expect([...short.shipped.keys()]).toEqual(['PROJ-2']);
    const longer = summarizeDeployKeys([first, second, { sha: hexSha(3), message: 'This reverts commit abcdef12.' }], matcher);
    expect([...longer.shipped.keys()]).toEqual(['PROJ-1']);
    const later = summarizeDeployKeys([{ sha: hexSha(3), message: 'This reverts commit abcdef1.' }, first], matcher);
    expect([...later.shipped.keys()]).toEqual(['PROJ-1']);
  });

  it('resolving targets is linear: 20,000 commits each reverting an earlier one by abbreviation', () => {
    // A scan over every earlier commit per target took 9–17 s here (loaded machine); the index about 0.5–1.8 s.
    const commits = Array.from({ length: 20_000 }, (_, i) => ({
      sha: hexSha(i + 1),
      message: i % 2 ? `Revert "PROJ-${i}: part"\n\nThis reverts commit ${hexSha(i).slice(0, 12)}.` : `PROJ-${i + 1}: part`,
    }));
    const started = performance.now();
    const summary = summarizeDeployKeys(commits, matcher);
    expect(performance.now() - started).toBeLessThan(4000);
    expect(summary.shipped.size).toBe(0);
    expect(summary.reverted.size).toBe(10_000);
  });
});

describe('the yielding variants', () => {
  const commits: CommitInfo[] = Array.from({ length: 30 }, (_, i) =>
    commit(`c${i}`, i % 3 ? `PROJ-${i + 1}: part\n\nThis reverts commit ${'0123456'}.` : `Fix ${i}${'\n'.repeat(MAX_SCANNED_MESSAGE_LENGTH)}`),
  );

  it('give the same result as the synchronous functions', async () => {
    const input = { range: range(commits), config: config({ commits: { exempt: ['^Fix 3'] } }), matcher, tickets: null };
    expect(await summarizeDeployKeysYielding(commits, matcher, { sliceMs: 0 })).toEqual(summarizeDeployKeys(commits, matcher));
    expect(await buildDeployReportYielding(ctx, input, { sliceMs: 0 })).toEqual(buildDeployReport(ctx, input));
  });

  it('let a callback queued before the evaluation run before it ends, also inside one long message', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('other work'));
    const oneCommit = [commits[0]!];
    await summarizeDeployKeysYielding(oneCommit, matcher, { sliceMs: 0 }).then(() => events.push('evaluated'));
    expect(events).toEqual(['other work', 'evaluated']);
  });

  it('with the default slice, give the event loop turns during a long evaluation', async () => {
    let turns = 0;
    let done = false;
    const countTurns = () => {
      if (done) return;
      turns += 1;
      setImmediate(countTurns);
    };
    setImmediate(countTurns);
    const report = await buildDeployReportYielding(ctx, { range: range(commits), config: config(), matcher, tickets: null });
    done = true;
    expect(report.truncatedMessages).toHaveLength(10);
    // A synchronous evaluation gives setImmediate no turn at all (awaits of settled promises are microtasks); how
    // many slices a run takes depends on the machine's speed, so at least one turn is what can be asserted.
    expect(turns).toBeGreaterThan(0);
  });

  it('runStepsYielding with sliceMs 0 yields after every step', async () => {
    function* steps() {
      yield;
      yield;
      return 'done';
    }
    const events: string[] = [];
    setImmediate(() => events.push('turn 1'));
    const result = await runStepsYielding(steps(), { sliceMs: 0 }).then((r) => {
      events.push(r);
      return r;
    });
    expect(result).toBe('done');
    expect(events).toEqual(['turn 1', 'done']);
  });

  it('commitsWithoutTicket still lists each commit without a key once', () => {
    const summary = summarizeDeployKeys(commits, matcher);
    expect(commitsWithoutTicket(commits, summary.byCommit, config()).map((c) => c.sha)).toEqual(commits.filter((_, i) => i % 3 === 0).map((c) => c.sha));
  });
});
