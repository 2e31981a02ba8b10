import { describe, expect, it } from 'vitest';
import type { DeployRange, TicketSnapshot } from '../../src/core/domain.js';
import { createKeyMatcher } from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport, buildErrorReport, type ReportContext } from '../../src/core/report/build-deploy-report.js';
import { commit, config, range, shaOf, ticket, tickets } from './core-test-builders.js';

const ctx: ReportContext = {
  repo: { owner: 'acme', repo: 'shop' },
  trigger: 'push',
  evaluatedAt: '2024-05-01T10:00:00.000Z',
  pullRequest: null,
};
const matcher = createKeyMatcher({ projects: ['PROJ'] });

function build(deployRange: DeployRange, ticketMap: ReadonlyMap<string, TicketSnapshot> | null, raw: Record<string, unknown> = {}) {
  return buildDeployReport(ctx, { range: deployRange, config: config(raw), matcher, tickets: ticketMap });
}

const login = commit('login', 'PROJ-1: Add login page');
const logout = commit('logout', 'PROJ-2: Add logout');
const typo = commit('typo', 'Fix typo');
const typo2 = commit('typo2', 'Fix another typo');

describe('buildDeployReport', () => {
  it('a clean deploy: success, every field filled in', () => {
    const r = range([login, logout]);
    const ready = tickets(ticket('PROJ-1'), ticket('PROJ-2'));
    expect(build(r, ready)).toEqual({
      kind: 'deploy',
      repo: { owner: 'acme', repo: 'shop' },
      pullRequest: null,
      baseBranch: 'production',
      headBranch: 'deploy',
      baseSha: shaOf('production'),
      headSha: logout.sha,
      trigger: 'push',
      evaluatedAt: '2024-05-01T10:00:00.000Z',
      state: 'success',
      error: null,
      compare: { status: 'ahead', aheadBy: 2, behindBy: 0 },
      commits: [login, logout],
      tickets: [
        { key: 'PROJ-1', ticket: ticket('PROJ-1'), commitShas: [login.sha] },
        { key: 'PROJ-2', ticket: ticket('PROJ-2'), commitShas: [logout.sha] },
      ],
      reverted: [],
      commitsWithoutTicket: [],
      findings: [],
      ticketChecksSkipped: false,
      statusDescription: 'All clear: 2 tickets ready, 2 commits checked',
      highRiskKeys: [],
    });
  });

  it.each([
    {
      name: 'the documented example description',
      range: range([commit('p12', 'PROJ-12: Checkout'), typo, typo2]),
      tickets: tickets(ticket('PROJ-12', { status: 'In Progress' })),
      state: 'failure',
      description: '3 problems: PROJ-12 is In Progress; 2 commits without a ticket',
    },
    {
      name: 'identical branches: nothing to deploy',
      range: range([], { status: 'identical' }),
      tickets: tickets(),
      state: 'success',
      description: 'Nothing to deploy: no commits ahead of production',
    },
    {
      name: 'only exempt commits: success without tickets',
      range: range([commit('minor', 'MINOR: Fix typo'), commit('bump', 'Bump x', { authorLogin: 'dependabot[bot]' })]),
      tickets: tickets(),
      config: { commits: { exempt: ['^MINOR:'] } },
      state: 'success',
      description: 'All clear: no tickets, 2 commits checked',
    },
    {
      name: 'a commit without a ticket',
      range: range([login, typo]),
      tickets: tickets(ticket('PROJ-1')),
      state: 'failure',
      description: '1 problem: 1 commit without a ticket',
    },
    {
      name: 'branch behind production with nothing ahead',
      range: range([], { status: 'behind', behindBy: 2 }),
      tickets: tickets(),
      state: 'failure',
      description: '1 problem: deploying this would roll back 2 commits of production',
    },
    {
      name: 'branch behind production with the rule off',
      range: range([], { status: 'behind', behindBy: 2 }),
      tickets: tickets(),
      config: { rules: { branchBehind: false } },
      state: 'success',
      description: 'Nothing to deploy: no commits ahead of production',
    },
  ])('$name', ({ range: r, tickets: t, config: raw, state, description }) => {
    const report = build(r, t, raw);
    expect(report.state).toBe(state);
    expect(report.statusDescription).toBe(description);
    expect(report.findings.length > 0).toBe(state === 'failure');
  });

  it('skipped ticket checks: tickets listed without snapshots, no ticket findings', () => {
    const report = build(range([login, typo]), null);
    expect(report.ticketChecksSkipped).toBe(true);
    expect(report.tickets).toEqual([{ key: 'PROJ-1', ticket: null, commitShas: [login.sha] }]);
    expect(report.findings.map((f) => f.rule)).toEqual(['commit-without-ticket']);
  });

  it('an unknown key is listed with a null ticket and an unknown-ticket finding', () => {
    const report = build(range([login]), tickets());
    expect(report.tickets).toEqual([{ key: 'PROJ-1', ticket: null, commitShas: [login.sha] }]);
    expect(report.statusDescription).toBe('1 problem: PROJ-1 is unknown to JIRA');
  });

  it('reverted keys are listed apart and are not judged', () => {
    const revert = commit('revert', 'Revert "PROJ-2: Add logout"');
    const report = build(range([login, logout, revert]), tickets(ticket('PROJ-1'), ticket('PROJ-2', { status: 'Open' })));
    expect(report.tickets.map((t) => t.key)).toEqual(['PROJ-1']);
    expect(report.reverted).toEqual([{ key: 'PROJ-2', commitShas: [logout.sha, revert.sha] }]);
    expect(report.state).toBe('success');
    expect(report.statusDescription).toBe('All clear: 1 ticket ready, 3 commits checked');
  });

  it('commits without a ticket are listed with their exemption', () => {
    const merge = commit('merge', "Merge branch 'main'", { parents: [shaOf('a'), shaOf('b')] });
    const report = build(range([login, merge, typo]), tickets(ticket('PROJ-1')));
    expect(report.commitsWithoutTicket).toEqual([
      { sha: merge.sha, exemptReason: 'merge commit' },
      { sha: typo.sha, exemptReason: null },
    ]);
  });

  it('a pull-request report keeps its kind, trigger and pull request', () => {
    const pr = { number: 42, title: 'PROJ-1: Add login page', url: 'https://github.com/acme/shop/pull/42' };
    const report = buildDeployReport(
      { ...ctx, kind: 'pull_request', trigger: 'pull_request', pullRequest: pr },
      { range: range([login]), config: config(), matcher, tickets: tickets(ticket('PROJ-1')) },
    );
    expect(report).toMatchObject({ kind: 'pull_request', trigger: 'pull_request', pullRequest: pr, state: 'success' });
  });
});

describe('buildErrorReport', () => {
  it('without a range: an empty report with the error and its description', () => {
    expect(
      buildErrorReport(ctx, {
        baseBranch: 'production',
        headBranch: 'deploy',
        baseSha: null,
        headSha: shaOf('head'),
        error: 'invalid .github/deploy-checker.yml: jira.projects.0: must be an upper-case JIRA project key such as PROJ',
      }),
    ).toEqual({
      kind: 'deploy',
      repo: { owner: 'acme', repo: 'shop' },
      pullRequest: null,
      baseBranch: 'production',
      headBranch: 'deploy',
      baseSha: null,
      headSha: shaOf('head'),
      trigger: 'push',
      evaluatedAt: '2024-05-01T10:00:00.000Z',
      state: 'error',
      error: 'invalid .github/deploy-checker.yml: jira.projects.0: must be an upper-case JIRA project key such as PROJ',
      compare: null,
      commits: [],
      tickets: [],
      reverted: [],
      commitsWithoutTicket: [],
      findings: [],
      ticketChecksSkipped: true,
      statusDescription: 'Could not check: invalid .github/deploy-checker.yml: jira.projects.0: must be an upper-case JIRA project key such as PROJ',
    });
  });

  it('with a range (JIRA failed after the compare): keeps the compare and the commits', () => {
    const r = range([login, typo], { status: 'diverged', behindBy: 1 });
    const report = buildErrorReport(ctx, {
      baseBranch: 'production',
      headBranch: 'deploy',
      baseSha: r.baseSha,
      headSha: r.headSha,
      error: 'JIRA answered 503 Service Unavailable',
      range: r,
    });
    expect(report).toMatchObject({
      state: 'error',
      baseSha: shaOf('production'),
      compare: { status: 'diverged', aheadBy: 2, behindBy: 1 },
      commits: [login, typo],
      findings: [],
      statusDescription: 'Could not check: JIRA answered 503 Service Unavailable',
    });
  });

  it('a long error is kept whole while the description is cut to 140 code points', () => {
    const error = `GitHub API error: ${'secondary rate limit '.repeat(20)}`;
    const report = buildErrorReport(ctx, { baseBranch: 'p', headBranch: 'd', baseSha: 'x', headSha: 'y', error });
    expect(report.error).toBe(error);
    expect(Array.from(report.statusDescription)).toHaveLength(140);
    expect(report.statusDescription.endsWith('…')).toBe(true);
  });
});
