import { describe, expect, it } from 'vitest';
import type { CommitInfo, DeployRange, Finding, TicketSnapshot } from '../../src/core/domain.js';
import { createKeyMatcher, summarizeDeployKeys } from '../../src/core/jira-keys/extract-jira-keys.js';
import {
  branchBehindFinding,
  commitExemptReason,
  compileCommitExemptions,
  evaluateDeployRules,
  sortFindings,
} from '../../src/core/rules/evaluate-deploy-rules.js';
import { commit, config, range, shaOf, ticket, tickets } from './core-test-builders.js';

interface EvaluateInput {
  readonly commits: readonly CommitInfo[];
  readonly tickets?: ReadonlyMap<string, TicketSnapshot> | null;
  readonly config?: Record<string, unknown>;
  readonly range?: Partial<DeployRange>;
  readonly projects?: readonly string[];
}

function evaluate(input: EvaluateInput) {
  const matcher = createKeyMatcher({ projects: input.projects ?? ['PROJ'] });
  const deployRange = range(input.commits, input.range);
  const keys = summarizeDeployKeys(deployRange.commits, matcher);
  return evaluateDeployRules({
    range: deployRange,
    config: config(input.config),
    matcher,
    keys,
    tickets: input.tickets === undefined ? tickets(ticket('PROJ-1')) : input.tickets,
  });
}

/** The parts of a finding that say which rule fired on what. */
const brief = (f: Finding) => ({ rule: f.rule, summary: f.summary, ticketKey: f.ticketKey, commitSha: f.commitSha });

const loginCommit = commit('login', 'PROJ-1: Add login page');
const typoCommit = commit('typo', 'Fix typo in README');
const empty: TicketSnapshot['riskAssessment'] = [];

describe('evaluateDeployRules: each rule firing and not firing', () => {
  it.each([
    {
      name: 'a ready ticket with both fields filled passes',
      input: { commits: [loginCommit] },
      findings: [],
    },
    {
      name: 'ticket-status fires for a ticket In Progress',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { status: 'In Progress' })) },
      findings: [{ rule: 'ticket-status', summary: 'PROJ-1 is In Progress', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'ticket-status compares statuses case-insensitively',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { status: 'DONE' })) },
      findings: [],
    },
    {
      name: 'ticket-status fires for a ticket without status',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { status: null })) },
      findings: [{ rule: 'ticket-status', summary: 'PROJ-1 is without status', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'ticket-status follows the configured allowed statuses',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { status: 'Done' })), config: { jira: { allowedStatuses: ['Released'] } } },
      findings: [{ rule: 'ticket-status', summary: 'PROJ-1 is Done', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'unknown-ticket fires when JIRA does not return the key',
      input: { commits: [loginCommit], tickets: tickets() },
      findings: [{ rule: 'unknown-ticket', summary: 'PROJ-1 is unknown to JIRA', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'risk-assessment fires for an empty risk assessment',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { riskAssessment: empty })) },
      findings: [{ rule: 'risk-assessment', summary: 'PROJ-1 has no risk assessment', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'risk-assessment fires for a risk assessment of "-" only',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { riskAssessment: [{ type: 'paragraph', text: '-' }] })) },
      findings: [{ rule: 'risk-assessment', summary: 'PROJ-1 has no risk assessment', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'post-deploy-checks fires for empty post-deploy checks',
      input: { commits: [loginCommit], tickets: tickets(ticket('PROJ-1', { postDeployChecks: empty })) },
      findings: [{ rule: 'post-deploy-checks', summary: 'PROJ-1 has no post-deploy checks', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
    {
      name: 'commit-without-ticket fires for a commit without a key',
      input: { commits: [loginCommit, typoCommit] },
      findings: [
        { rule: 'commit-without-ticket', summary: `commit ${typoCommit.sha.slice(0, 7)} has no ticket`, ticketKey: undefined, commitSha: typoCommit.sha },
      ],
    },
    {
      name: 'branch-behind fires when the deploy branch is behind production',
      input: { commits: [], range: { status: 'behind', aheadBy: 0, behindBy: 2 } },
      findings: [{ rule: 'branch-behind', summary: 'deploying this would roll back 2 commits of production', ticketKey: undefined, commitSha: undefined }],
    },
    {
      name: 'branch-behind fires when the deploy branch has diverged from production',
      input: { commits: [loginCommit], range: { status: 'diverged', aheadBy: 1, behindBy: 1 } },
      findings: [{ rule: 'branch-behind', summary: 'deploying this would roll back 1 commit of production', ticketKey: undefined, commitSha: undefined }],
    },
    {
      name: 'branch-behind does not fire for an identical branch',
      input: { commits: [], range: { status: 'identical' } },
      findings: [],
    },
    {
      name: 'skipped ticket checks (no JIRA) judge no ticket but still commits without a ticket',
      input: { commits: [loginCommit, typoCommit], tickets: null },
      findings: [
        { rule: 'commit-without-ticket', summary: `commit ${typoCommit.sha.slice(0, 7)} has no ticket`, ticketKey: undefined, commitSha: typoCommit.sha },
      ],
    },
    {
      name: 'a reverted ticket is not judged, and its revert commit counts as having a ticket',
      input: {
        commits: [loginCommit, commit('revert', 'Revert "PROJ-1: Add login page"')],
        tickets: tickets(ticket('PROJ-1', { status: 'In Progress', riskAssessment: empty })),
      },
      findings: [],
    },
    {
      name: 'a ticket of several commits is judged once',
      input: {
        commits: [loginCommit, commit('login2', 'PROJ-1: Style the login page')],
        tickets: tickets(ticket('PROJ-1', { status: 'Open' })),
      },
      findings: [{ rule: 'ticket-status', summary: 'PROJ-1 is Open', ticketKey: 'PROJ-1', commitSha: undefined }],
    },
  ] satisfies { name: string; input: EvaluateInput; findings: ReturnType<typeof brief>[] }[])('$name', ({ input, findings }) => {
    expect(evaluate(input).findings.map(brief)).toEqual(findings);
  });
});

describe('evaluateDeployRules: each rule switched off by config', () => {
  const everythingWrong: EvaluateInput = {
    commits: [loginCommit, commit('other', 'PROJ-2: Add logout'), typoCommit],
    tickets: tickets(ticket('PROJ-1', { status: 'In Progress', riskAssessment: empty, postDeployChecks: empty })),
    range: { status: 'diverged', aheadBy: 3, behindBy: 1 },
  };
  const allRules = ['branch-behind', 'ticket-status', 'unknown-ticket', 'risk-assessment', 'post-deploy-checks', 'commit-without-ticket'];

  it('with every rule on, every rule fires once', () => {
    expect(evaluate(everythingWrong).findings.map((f) => f.rule)).toEqual(allRules);
  });

  it.each([
    { name: 'rules.branchBehind: false', key: 'branchBehind', rule: 'branch-behind' },
    { name: 'rules.ticketStatus: false', key: 'ticketStatus', rule: 'ticket-status' },
    { name: 'rules.unknownTicket: false', key: 'unknownTicket', rule: 'unknown-ticket' },
    { name: 'rules.riskAssessment: false', key: 'riskAssessment', rule: 'risk-assessment' },
    { name: 'rules.postDeployChecks: false', key: 'postDeployChecks', rule: 'post-deploy-checks' },
    { name: 'rules.commitWithoutTicket: false', key: 'commitWithoutTicket', rule: 'commit-without-ticket' },
  ])('$name silences only its rule', ({ key, rule }) => {
    const result = evaluate({ ...everythingWrong, config: { rules: { [key]: false } } });
    expect(result.findings.map((f) => f.rule)).toEqual(allRules.filter((r) => r !== rule));
  });

  it('with commitWithoutTicket off, commits without a ticket are still listed', () => {
    const result = evaluate({ ...everythingWrong, config: { rules: { commitWithoutTicket: false } } });
    expect(result.withoutTicket).toEqual([{ sha: typoCommit.sha, exemptReason: null }]);
  });
});

describe('commitExemptReason', () => {
  const cfg = config({ commits: { exempt: ['^MINOR:', '^Bump '], exemptAuthors: ['Release-Bot'] } });
  it.each([
    { name: 'a merge commit is exempt', c: commit('m', 'Merge branch main', { parents: [shaOf('p1'), shaOf('p2')] }), reason: 'merge commit' },
    { name: 'a subject matching an exempt pattern is exempt', c: commit('minor', 'MINOR: Fix typo'), reason: 'subject matches ^MINOR:' },
    { name: 'the second exempt pattern is tried too', c: commit('bump', 'Bump lodash from 4.17.20 to 4.17.21'), reason: 'subject matches ^Bump ' },
    { name: 'exempt patterns are matched against the subject only', c: commit('body', 'Fix typo\n\nMINOR: cleanup'), reason: null },
    {
      name: 'a configured exempt author is exempt, case-insensitively',
      c: commit('bot', 'Release 1.2', { authorLogin: 'release-bot' }),
      reason: 'author release-bot is exempt',
    },
    { name: 'an unknown author is not exempt', c: commit('anon', 'Release 1.2', { authorLogin: null }), reason: null },
    { name: 'an ordinary commit is not exempt', c: commit('plain', 'Fix typo'), reason: null },
    {
      name: 'a merge commit wins over other reasons',
      c: commit('mm', 'MINOR: merge', { parents: ['a', 'b'], authorLogin: 'release-bot' }),
      reason: 'merge commit',
    },
  ])('$name', ({ c, reason }) => {
    expect(commitExemptReason(c, cfg)).toBe(reason);
  });

  it.each([
    // With a backtracking engine: 24 a took 3 s, 31 a (the measured attack) 229 s; 34 a took 4.5 s with (a|aa).
    { name: 'the measured ReDoS: ^(a+)+$ against a…a!', pattern: '^(a+)+$', subject: `${'a'.repeat(24)}!` },
    { name: '^(a|aa)+$ against a…a!', pattern: '^(a|aa)+$', subject: `${'a'.repeat(34)}!` },
    { name: '^(a|aa)+$ against 60,000 a and !', pattern: '^(a|aa)+$', subject: `${'a'.repeat(60_000)}!` },
  ])('a catastrophic-backtracking pattern runs in linear time: $name', ({ pattern, subject }) => {
    const started = performance.now();
    expect(commitExemptReason(commit('redos', subject), config({ commits: { exempt: [pattern] } }))).toBe(null);
    expect(commitExemptReason(commit('aaa', 'aaaa'), config({ commits: { exempt: [pattern] } }))).toBe(`subject matches ${pattern}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('patterns are compiled once per evaluation, not once per commit', () => {
    const compiled = compileCommitExemptions(config({ commits: { exempt: ['^MINOR:'] } }).commits);
    const many = Array.from({ length: 2000 }, (_, i) => commit(`c${i}`, i % 2 ? 'MINOR: x' : 'Fix'));
    expect(many.filter((c) => compiled.reason(c) !== null)).toHaveLength(1000);
  });

  it.each([
    { name: 'dependabot[bot] is exempt by default', login: 'dependabot[bot]', reason: 'author dependabot[bot] is exempt' },
    { name: 'Renovate[Bot] is exempt by default, case-insensitively', login: 'Renovate[Bot]', reason: 'author Renovate[Bot] is exempt' },
    { name: 'a person is not exempt by default', login: 'dana', reason: null },
  ])('$name', ({ login, reason }) => {
    expect(commitExemptReason(commit('dep', 'Update deps', { authorLogin: login }), config())).toBe(reason);
  });

  it('exempt commits are listed with their reason and raise no finding', () => {
    const merge = commit('merge', "Merge branch 'main' into deploy", { parents: [shaOf('p1'), shaOf('p2')] });
    const minor = commit('minor', 'MINOR: Fix typo');
    const result = evaluate({ commits: [loginCommit, merge, minor, typoCommit], config: { commits: { exempt: ['^MINOR:'] } } });
    expect(result.withoutTicket).toEqual([
      { sha: merge.sha, exemptReason: 'merge commit' },
      { sha: minor.sha, exemptReason: 'subject matches ^MINOR:' },
      { sha: typoCommit.sha, exemptReason: null },
    ]);
    expect(result.findings.map((f) => f.commitSha)).toEqual([typoCommit.sha]);
  });
});

describe('finding texts', () => {
  const short = typoCommit.sha.slice(0, 7);

  it.each([
    {
      name: 'commit without a ticket, no look-alike: no hint',
      input: { commits: [typoCommit], projects: ['PROJ', 'OPS'] },
      fix: 'Reference a ticket in the commit message (e.g. "PROJ-123: Fix typo in README"), or exempt such commits with commits.exempt in .github/deploy-checker.yml.',
    },
    {
      name: 'commit without a ticket whose key is a typo: hints at the typo',
      input: { commits: [commit('kakfa', 'KAKFA-15629: Update the adapter')], projects: ['KAFKA'] },
      fix: 'Reference a ticket in the commit message (e.g. "KAFKA-123: KAKFA-15629: Update the adapter"), or exempt such commits with commits.exempt in .github/deploy-checker.yml. It mentions KAKFA-15629, which is not a key of a configured project (KAFKA): a typo?',
    },
    {
      name: 'several look-alikes: at most three, in the plural',
      input: { commits: [commit('many', 'PRJO-1, PORJ-2, ROPJ-3 and JPRO-4')], projects: ['PROJ'] },
      fix: 'Reference a ticket in the commit message (e.g. "PROJ-123: PRJO-1, PORJ-2, ROPJ-3 and JPRO-4"), or exempt such commits with commits.exempt in .github/deploy-checker.yml. It mentions PRJO-1, PORJ-2, ROPJ-3, which are not keys of a configured project (PROJ): a typo?',
    },
    {
      name: 'no projects at all: example PROJ-123 and "none"',
      input: { commits: [commit('nokeys', 'OOPS-1 fix')], projects: [] },
      fix: 'Reference a ticket in the commit message (e.g. "PROJ-123: OOPS-1 fix"), or exempt such commits with commits.exempt in .github/deploy-checker.yml. It mentions OOPS-1, which is not a key of a configured project (none): a typo?',
    },
  ] satisfies { name: string; input: EvaluateInput; fix: string }[])('$name', ({ input, fix }) => {
    const [finding] = evaluate({ ...input, tickets: null }).findings;
    expect(finding?.fix).toBe(fix);
  });

  it('the example subject in the fix is cut at 60 characters', () => {
    const long = commit('long', `Refactor ${'x'.repeat(100)}`);
    const [finding] = evaluate({ commits: [long], tickets: null }).findings;
    expect(finding?.fix).toContain(`"PROJ-123: Refactor ${'x'.repeat(51)}")`);
  });

  it.each([
    {
      name: 'ticket-status says where to move the ticket',
      ticket: ticket('PROJ-1', { status: 'In Review' }),
      fix: 'Move PROJ-1 to "Ready for Deploy" or "Done" in JIRA once it is ready to ship, or take its commits out of the deploy.',
    },
    {
      name: 'risk-assessment names the configured field',
      ticket: ticket('PROJ-1', { riskAssessment: empty }),
      fix: 'Fill in "Risk Assessment" on PROJ-1 in JIRA: what could break, and how bad it would be.',
    },
    {
      name: 'post-deploy-checks names the configured field',
      ticket: ticket('PROJ-1', { postDeployChecks: empty }),
      fix: 'Fill in "Post-Deploy Checks" on PROJ-1 in JIRA: what to verify in production right after the deploy.',
    },
  ])('$name', ({ ticket: t, fix }) => {
    const [finding] = evaluate({ commits: [loginCommit], tickets: tickets(t) }).findings;
    expect(finding?.fix).toBe(fix);
  });

  it('unknown-ticket names the commits that reference the key', () => {
    const second = commit('login2', 'PROJ-1: Style the login page');
    const [finding] = evaluate({ commits: [loginCommit, second], tickets: tickets() }).findings;
    expect(finding?.fix).toBe(
      `JIRA has no ticket PROJ-1 that the app can see. Check the key in commit ${loginCommit.sha.slice(0, 7)}, ${second.sha.slice(0, 7)}; it may be a typo, deleted, moved, or hidden from the app's JIRA user.`,
    );
  });

  it('a configured field name appears in the fix', () => {
    const [finding] = evaluate({
      commits: [loginCommit],
      tickets: tickets(ticket('PROJ-1', { riskAssessment: empty })),
      config: { jira: { fields: { riskAssessment: 'customfield_10042' } } },
    }).findings;
    expect(finding?.fix).toBe('Fill in "customfield_10042" on PROJ-1 in JIRA: what could break, and how bad it would be.');
  });

  it('the commit-without-ticket finding summary uses the short sha', () => {
    expect(evaluate({ commits: [typoCommit] }).findings[0]?.summary).toBe(`commit ${short} has no ticket`);
  });
});

describe('branchBehindFinding wording', () => {
  it.each([
    {
      name: 'behind by one commit (singular)',
      range: { status: 'behind', behindBy: 1, headBranch: 'deploy', baseBranch: 'production' },
      summary: 'deploying this would roll back 1 commit of production',
      fix: 'deploy is behind production by 1 commit: merge production into deploy (git merge origin/production) and push again.',
    },
    {
      name: 'behind by several commits, custom branch names',
      range: { status: 'behind', behindBy: 4, headBranch: 'release', baseBranch: 'main' },
      summary: 'deploying this would roll back 4 commits of production',
      fix: 'release is behind main by 4 commits: merge main into release (git merge origin/main) and push again.',
    },
  ] as const)('$name', ({ range: r, summary, fix }) => {
    expect(branchBehindFinding(r)).toEqual({ rule: 'branch-behind', summary, fix });
  });

  it('diverged: the fix says the branch has diverged from production, and how far behind it is', () => {
    const finding = branchBehindFinding({ status: 'diverged', behindBy: 3, headBranch: 'deploy', baseBranch: 'production' });
    expect(finding?.summary).toBe('deploying this would roll back 3 commits of production');
    expect(finding?.fix).toMatch(/^deploy (has )?diverged from production\b/);
    expect(finding?.fix).toContain('3 commits');
    expect(finding?.fix).toContain('git merge origin/production');
  });

  it.each([
    { name: 'ahead', range: { status: 'ahead', behindBy: 0 } },
    { name: 'identical', range: { status: 'identical', behindBy: 0 } },
    { name: 'behind by zero (inconsistent compare)', range: { status: 'behind', behindBy: 0 } },
  ] as const)('no finding when $name', ({ range: r }) => {
    expect(branchBehindFinding({ ...r, headBranch: 'deploy', baseBranch: 'production' })).toBeNull();
  });
});

describe('finding order', () => {
  it('branch-behind, ticket-status, unknown-ticket, risk-assessment, post-deploy-checks, commit-without-ticket; keys in order of first appearance', () => {
    const result = evaluate({
      commits: [
        commit('c1', 'Fix typo'),
        commit('c2', 'PROJ-3: Third'),
        commit('c3', 'PROJ-2: Second'),
        commit('c4', 'Another untracked change'),
        commit('c5', 'PROJ-1: First'),
        commit('c6', 'PROJ-9: Unknown'),
      ],
      tickets: tickets(
        ticket('PROJ-1', { status: 'Open', postDeployChecks: empty }),
        ticket('PROJ-2', { riskAssessment: empty }),
        ticket('PROJ-3', { status: 'In Review', riskAssessment: empty, postDeployChecks: empty }),
      ),
      range: { status: 'diverged', behindBy: 2 },
    });
    expect(result.findings.map((f) => `${f.rule} ${f.ticketKey ?? f.commitSha?.slice(0, 7) ?? ''}`.trim())).toEqual([
      'branch-behind',
      'ticket-status PROJ-3',
      'ticket-status PROJ-1',
      'unknown-ticket PROJ-9',
      'risk-assessment PROJ-3',
      'risk-assessment PROJ-2',
      'post-deploy-checks PROJ-3',
      'post-deploy-checks PROJ-1',
      `commit-without-ticket ${shaOf('c1').slice(0, 7)}`,
      `commit-without-ticket ${shaOf('c4').slice(0, 7)}`,
    ]);
  });

  it('sortFindings is stable within a rule', () => {
    const f = (rule: Finding['rule'], summary: string): Finding => ({ rule, summary, fix: '' });
    expect(
      sortFindings([
        f('commit-without-ticket', 'a'),
        f('risk-assessment', 'b'),
        f('commit-without-ticket', 'c'),
        f('branch-behind', 'd'),
        f('risk-assessment', 'e'),
      ]).map((x) => x.summary),
    ).toEqual(['d', 'b', 'e', 'a', 'c']);
  });
});
