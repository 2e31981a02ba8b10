/**
 * `highRiskKeys` is filled when a deploy or pull-request evaluation is built: the keys of its tickets whose risk
 * level (or the first words of the risk assessment) is one of `jira.highRiskValues`, case-insensitively.
 */
import { describe, expect, it } from 'vitest';
import type { TicketSnapshot } from '../../src/core/domain.js';
import { createKeyMatcher } from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildPullRequestReport, pullRequestFindings, pullRequestKeys, type PullRequestFacts } from '../../src/core/pull-request/evaluate-pull-request.js';
import { buildDeployReport, buildErrorReport, highRiskKeysOf } from '../../src/core/report/build-deploy-report.js';
import { commit, config, range, ticket, tickets } from './core-test-builders.js';

const matcher = createKeyMatcher({ projects: ['PROJ'] });
const ctx = { repo: { owner: 'acme', repo: 'shop' }, trigger: 'push', evaluatedAt: '2026-12-01T10:00:00.000Z', pullRequest: null } as const;
const one = commit('one', 'PROJ-1: Checkout');
const two = commit('two', 'PROJ-2: Refunds');
const three = commit('three', 'PROJ-3: Invoices');

const cases: Array<{ name: string; snapshots: TicketSnapshot[]; highRiskValues?: string[]; expected: string[] }> = [
  { name: 'no ticket is high risk', snapshots: [ticket('PROJ-1'), ticket('PROJ-2'), ticket('PROJ-3')], expected: [] },
  {
    name: 'risk level "High" (a default value)',
    snapshots: [ticket('PROJ-1'), ticket('PROJ-2', { riskLevel: 'High' }), ticket('PROJ-3')],
    expected: ['PROJ-2'],
  },
  {
    name: 'any case: "CRITICAL" and "high"',
    snapshots: [ticket('PROJ-1', { riskLevel: 'CRITICAL' }), ticket('PROJ-2'), ticket('PROJ-3', { riskLevel: 'high' })],
    expected: ['PROJ-1', 'PROJ-3'],
  },
  {
    name: 'configured values replace the defaults',
    snapshots: [ticket('PROJ-1', { riskLevel: 'High' }), ticket('PROJ-2', { riskLevel: 'Severe' }), ticket('PROJ-3')],
    highRiskValues: ['severe'],
    expected: ['PROJ-2'],
  },
  {
    name: 'no risk level: the first words of the risk assessment',
    snapshots: [
      ticket('PROJ-1', { riskLevel: null, riskAssessment: [{ type: 'paragraph', text: 'HIGH: touches billing' }] }),
      ticket('PROJ-2'),
      ticket('PROJ-3'),
    ],
    expected: ['PROJ-1'],
  },
  {
    name: 'a whole word only: "Highway" is not "High"',
    snapshots: [ticket('PROJ-1', { riskLevel: 'Highway' }), ticket('PROJ-2'), ticket('PROJ-3')],
    expected: [],
  },
  { name: 'a key JIRA does not know is never high risk', snapshots: [ticket('PROJ-2', { riskLevel: 'High' })], expected: ['PROJ-2'] },
  {
    name: 'an empty highRiskValues list marks nothing',
    snapshots: [ticket('PROJ-1', { riskLevel: 'High' }), ticket('PROJ-2'), ticket('PROJ-3')],
    highRiskValues: [],
    expected: [],
  },
];

function repoConfig(highRiskValues: string[] | undefined) {
  return config(highRiskValues === undefined ? {} : { jira: { highRiskValues } });
}

describe('highRiskKeys of a deploy evaluation', () => {
  it.each(cases)('$name', ({ snapshots, highRiskValues, expected }) => {
    const report = buildDeployReport(ctx, { range: range([one, two, three]), config: repoConfig(highRiskValues), matcher, tickets: tickets(...snapshots) });
    expect(report.tickets.map((t) => t.key)).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3']);
    expect(report.highRiskKeys).toEqual(expected);
  });

  it('is absent when ticket checks were skipped (no JIRA: nothing is known about risk)', () => {
    const report = buildDeployReport(ctx, { range: range([one]), config: config(), matcher, tickets: null });
    expect(report.ticketChecksSkipped).toBe(true);
    expect(report).not.toHaveProperty('highRiskKeys');
  });

  it('is absent from an error report (nothing was concluded)', () => {
    const report = buildErrorReport(ctx, { baseBranch: 'production', headBranch: 'deploy', baseSha: null, headSha: one.sha, error: 'GitHub answered 502' });
    expect(report).not.toHaveProperty('highRiskKeys');
  });
});

describe('highRiskKeys of a pull-request evaluation', () => {
  const pr: PullRequestFacts = {
    number: 9,
    title: 'PROJ-1: Checkout',
    url: null,
    headRef: 'feature/PROJ-2-refunds',
    headSha: three.sha,
    baseRef: 'main',
    author: 'dev1',
    draft: false,
    labels: [],
    state: 'open',
  };

  it.each(cases)('$name', ({ snapshots, highRiskValues, expected }) => {
    const repo = repoConfig(highRiskValues);
    const prKeys = pullRequestKeys(pr, [three], matcher);
    const known = tickets(...snapshots);
    const report = buildPullRequestReport(
      { repo: ctx.repo, trigger: 'pull_request', evaluatedAt: ctx.evaluatedAt },
      {
        pr,
        baseSha: one.sha,
        commits: [three],
        compare: { status: 'ahead', aheadBy: 1, behindBy: 0 },
        prKeys,
        tickets: known,
        findings: pullRequestFindings(prKeys, known, repo, matcher),
        config: repo,
        matcher,
      },
    );
    expect(report.tickets.map((t) => t.key)).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3']);
    expect(report.highRiskKeys).toEqual(expected);
  });
});

describe('highRiskKeysOf', () => {
  it('keeps the ticket order and skips tickets without a snapshot', () => {
    const list = [
      { key: 'PROJ-9', ticket: ticket('PROJ-9', { riskLevel: 'Critical' }), commitShas: [] },
      { key: 'PROJ-4', ticket: null, commitShas: [] },
      { key: 'PROJ-5', ticket: ticket('PROJ-5', { riskLevel: 'High' }), commitShas: [] },
    ];
    expect(highRiskKeysOf(list, ['High', 'Critical'])).toEqual(['PROJ-9', 'PROJ-5']);
  });
});
