/**
 * The deploy check end to end: signed push webhooks (real payloads) through the whole Probot app, GitHub and JIRA
 * mocked strictly with nock; asserts the exact statuses posted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub, type FakeCommit } from '../helpers/github-mock.js';
import { adf, EMPTY_ADF, mockJiraCloud, readyTicket, RISK_FIELD, CHECKS_FIELD } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 77 };
const PROD = fakeSha('production-head');
const HEAD = fakeSha('deploy-head');
const CONFIG = 'jira:\n  projects: [PROJ, OPS]\n';
const reportUrl = `https://checker.test/deploys/acme/shop/${HEAD}`;

useStrictNock();

let harness: Harness;
let gh: ReturnType<typeof mockGitHub>;
let jira: ReturnType<typeof mockJiraCloud>;

beforeEach(async () => {
  harness = await startHarness();
  gh = mockGitHub(target);
  jira = mockJiraCloud(JIRA_URL);
});
afterEach(async () => {
  await harness.stop();
});

const pushToDeploy = () => harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));

function expectDeployRun(commits: FakeCommit[], config: string | null = CONFIG, compareInfo = {}) {
  gh.installationToken();
  gh.config(config);
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits, compareInfo);
  gh.status(HEAD, 2);
}

const commit = (n: number, message: string, extra: Partial<FakeCommit> = {}): FakeCommit => ({ sha: fakeSha(`c${n}`), message, ...extra });

describe('push to the deploy branch', () => {
  it('all good: pending with the commit count, then success linking to the report', async () => {
    expectDeployRun([commit(1, 'PROJ-1: add login'), commit(2, 'OPS-7: tune alerts\n\nRefs PROJ-1'), commit(3, 'PROJ-1: fix typo')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1'), readyTicket('OPS-7', { status: 'Done' })]);

    expect(await pushToDeploy()).toBe(200);

    expect(gh.statuses).toEqual([
      { sha: HEAD, state: 'pending', description: 'Checking 3 commits…', context: 'deploy-checker', target_url: reportUrl },
      { sha: HEAD, state: 'success', description: 'All clear: 2 tickets ready, 3 commits checked', context: 'deploy-checker', target_url: reportUrl },
    ]);
    expect(jira.bulkRequests).toEqual([['PROJ-1', 'OPS-7']]);
  });

  it.each([
    {
      rule: 'ticket status',
      commits: [commit(1, 'PROJ-12: checkout')],
      tickets: [readyTicket('PROJ-12', { status: 'In Progress' })],
      description: '1 problem: PROJ-12 is In Progress',
    },
    {
      rule: 'empty risk assessment (ADF doc with only empty paragraphs)',
      commits: [commit(1, 'PROJ-12: checkout')],
      tickets: [readyTicket('PROJ-12', { risk: EMPTY_ADF })],
      description: '1 problem: PROJ-12 has no risk assessment',
    },
    {
      rule: 'empty post-deploy checks (null field)',
      commits: [commit(1, 'PROJ-12: checkout')],
      tickets: [readyTicket('PROJ-12', { checks: null })],
      description: '1 problem: PROJ-12 has no post-deploy checks',
    },
    {
      rule: 'key JIRA does not know',
      commits: [commit(1, 'PROJ-404: ghost')],
      tickets: [],
      description: '1 problem: PROJ-404 is unknown to JIRA',
    },
    {
      rule: 'commits without a ticket (merge commits and dependabot exempt)',
      commits: [
        commit(1, 'PROJ-12: checkout'),
        commit(2, 'quick fix'),
        commit(3, 'another quick fix'),
        commit(4, "Merge branch 'main' into deploy", { parents: [fakeSha('p1'), fakeSha('p2')] }),
        commit(5, 'Bump lodash from 4.17.20 to 4.17.21', { login: 'dependabot[bot]' }),
      ],
      tickets: [readyTicket('PROJ-12', { status: 'In Progress' })],
      description: '3 problems: PROJ-12 is In Progress; 2 commits without a ticket',
    },
  ])('failure: $rule', async ({ commits, tickets, description }) => {
    expectDeployRun(commits);
    jira.fields();
    jira.bulkfetch(tickets);

    await pushToDeploy();

    expect(gh.statuses.map((s) => [s.state, s.description])).toEqual([
      ['pending', `Checking ${commits.length} commit${commits.length === 1 ? '' : 's'}…`],
      ['failure', description],
    ]);
  });

  it.each([
    {
      status: 'behind',
      aheadBy: 0,
      behindBy: 3,
      commits: [] as FakeCommit[],
      description: '1 problem: deploying this would roll back 3 commits of production',
    },
    {
      status: 'diverged',
      aheadBy: 1,
      behindBy: 2,
      commits: [commit(1, 'PROJ-1: add login')],
      description: '1 problem: deploying this would roll back 2 commits of production',
    },
  ])('failure: deploy branch $status production', async ({ status, aheadBy, behindBy, commits, description }) => {
    expectDeployRun(commits, CONFIG, { status, aheadBy, behindBy });
    if (commits.length) {
      jira.fields();
      jira.bulkfetch([readyTicket('PROJ-1')]);
    }
    await pushToDeploy();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'failure', description });
  });

  it('rules can be turned off in the config', async () => {
    expectDeployRun([commit(1, 'PROJ-12: checkout'), commit(2, 'wip')], `${CONFIG}rules:\n  ticketStatus: false\n  commitWithoutTicket: false\n`);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12', { status: 'In Progress' })]);
    await pushToDeploy();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success', description: 'All clear: 1 ticket ready, 2 commits checked' });
  });

  it('reads all 620 commits across 7 compare pages before judging', async () => {
    const commits = Array.from({ length: 620 }, (_, i) => commit(i, i === 619 ? 'last commit without ticket' : `PROJ-${(i % 5) + 1}: step ${i}`));
    expectDeployRun(commits);
    jira.fields();
    jira.bulkfetch([1, 2, 3, 4, 5].map((n) => readyTicket(`PROJ-${n}`)));

    await pushToDeploy();

    expect(gh.statuses.map((s) => [s.state, s.description])).toEqual([
      ['pending', 'Checking 620 commits…'],
      ['failure', '1 problem: 1 commit without a ticket'],
    ]);
  });

  it('fetches 230 keys in 3 bulkfetch batches of at most 100', async () => {
    const commits = Array.from({ length: 230 }, (_, i) => commit(i, `PROJ-${i + 1}: story ${i + 1}`));
    expectDeployRun(commits);
    jira.fields();
    jira.bulkfetch(
      commits.map((_, i) => readyTicket(`PROJ-${i + 1}`)),
      3,
    );

    await pushToDeploy();

    expect(jira.bulkRequests.map((b) => b.length).sort((a, b) => b - a)).toEqual([100, 100, 30]);
    expect(new Set(jira.bulkRequests.flat()).size).toBe(230);
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success', description: 'All clear: 230 tickets ready, 230 commits checked' });
  });

  it('JIRA answering 500 gives an error status, never success', async () => {
    expectDeployRun([commit(1, 'PROJ-1: add login')]);
    jira.fields();
    jira.bulkfetchFails(500);

    await pushToDeploy();

    expect(gh.statuses.map((s) => [s.state, s.description])).toEqual([
      ['pending', 'Checking 1 commit…'],
      ['error', 'Could not check: JIRA answered HTTP 500 while fetching 1 tickets'],
    ]);
  });

  it('an invalid config file gives an error status naming the key', async () => {
    gh.installationToken();
    gh.config('jira:\n  allowedStatuses: Done\n  projects: [proj]\n');
    gh.branch('deploy', HEAD);
    gh.status(HEAD);

    await pushToDeploy();

    expect(gh.statuses).toEqual([
      {
        sha: HEAD,
        state: 'error',
        context: 'deploy-checker',
        target_url: reportUrl,
        description:
          'Could not check: invalid .github/deploy-checker.yml: jira.projects.0: must be an upper-case JIRA project key such as PROJ; jira.allowedStat…',
      },
    ]);
    expect(Array.from(gh.statuses[0]!.description).length).toBeLessThanOrEqual(140);
  });

  it('a config file that is not YAML gives an error status', async () => {
    gh.installationToken();
    gh.config('branches: [unclosed\n');
    gh.branch('deploy', HEAD);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses).toMatchObject([{ state: 'error', description: 'Could not check: .github/deploy-checker.yml is not a valid YAML mapping' }]);
  });

  it('without jira.projects, the projects come from the JIRA instance (CVE ids and other projects ignored)', async () => {
    expectDeployRun([commit(1, 'PROJ-3: bump jackson for CVE-2023-4586 (see HADOOP-18103)')], null);
    jira.projects(['PROJ', 'CVE']);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-3')]);
    await pushToDeploy();
    expect(jira.bulkRequests).toEqual([['PROJ-3']]);
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success' });
  });

  it('org-wide defaults from <owner>/.github apply through _extends-style fallback', async () => {
    gh.installationToken();
    gh.config(null, 1, `jira:\n  projects: [OPS]\nbranches:\n  deploy: ship\n`);
    gh.branch('ship', HEAD);
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'OPS-1: rotate keys (PROJ-9 is not a project here)')]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('OPS-1')]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/ship', after: HEAD }));
    expect(jira.bulkRequests).toEqual([['OPS-1']]);
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success' });
  });

  it('a repository file can _extends another repository and override its keys', async () => {
    gh.installationToken();
    gh.config(`_extends: shared-config\nrules:\n  commitWithoutTicket: false\n`);
    nock('https://api.github.com')
      .get(/^\/repos\/acme\/shared-config\/contents\/\.github(%2F|\/)deploy-checker\.yml/)
      .reply(200, 'jira:\n  projects: [PROJ]\nrules:\n  ticketStatus: false\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    gh.branch('deploy', HEAD);
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: x'), commit(2, 'no ticket')]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1', { status: 'In Review' })]);
    await pushToDeploy();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success' });
  });

  it('an _extends naming another owner is refused before anything of that owner is read', async () => {
    gh.installationToken();
    gh.config(`_extends: evil-corp/secrets:deploy/prod-secrets.yml\njira:\n  projects: [PROJ]\n`);
    const foreign = nock('https://api.github.com')
      .get(/^\/repos\/evil-corp\//)
      .reply(200, 'AWS_SECRET_ACCESS_KEY: hunter2\n', {
        'content-type': 'application/vnd.github.raw; charset=utf-8',
      });
    gh.branch('deploy', HEAD);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses).toEqual([
      {
        sha: HEAD,
        state: 'error',
        context: 'deploy-checker',
        target_url: reportUrl,
        description:
          "Could not check: .github/deploy-checker.yml has an _extends that names another owner's repository; only repositories of acme can be extended",
      },
    ]);
    // The only mock left unused is the foreign file: nothing of evil-corp was requested.
    expect(foreign.isDone()).toBe(false);
    expect(nock.pendingMocks()).toEqual([expect.stringContaining('evil-corp')]);
    nock.cleanAll();
  });

  it('an invalid file of another repository of the owner is named, but none of its keys or values', async () => {
    gh.installationToken();
    gh.config(`_extends: secret-infra:deploy/prod-secrets.yml\njira:\n  projects: [PROJ]\n`);
    nock('https://api.github.com')
      .get(/^\/repos\/acme\/secret-infra\/contents\/deploy(%2F|\/)prod-secrets\.yml/)
      .reply(200, 'AWS_SECRET_ACCESS_KEY: hunter2\ncommits:\n  exempt: ["(?=hunter3)"]\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    gh.branch('deploy', HEAD);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses[0]!.description).not.toMatch(/AWS_SECRET|hunter/);
    expect(gh.statuses).toMatchObject([
      {
        state: 'error',
        description:
          "Could not check: invalid configuration extended from acme/secret-infra:deploy/prod-secrets.yml (details are shown only for the repository's…",
      },
    ]);
  });

  it("the repository's own invalid keys are still named when it extends another file", async () => {
    gh.installationToken();
    gh.config(`_extends: shared-config\nrules:\n  branchBehnd: false\n`);
    nock('https://api.github.com')
      .get(/^\/repos\/acme\/shared-config\/contents\/\.github(%2F|\/)deploy-checker\.yml/)
      .reply(200, 'jira:\n  projects: [PROJ]\nSECRET_TOKEN: x\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    gh.branch('deploy', HEAD);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses).toMatchObject([
      { state: 'error', description: 'Could not check: invalid .github/deploy-checker.yml: rules: unknown key "branchBehnd"' },
    ]);
  });

  it('a failing compare gives an error status', async () => {
    gh.installationToken();
    gh.config(CONFIG);
    gh.branch('deploy', HEAD);
    gh.branch('production', PROD);
    gh.compareFails(PROD, HEAD, 502);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses).toMatchObject([
      { state: 'error', description: `Could not check: GitHub answered HTTP 502 while comparing ${PROD.slice(0, 7)}...${HEAD.slice(0, 7)}` },
    ]);
  });

  it('a missing production branch gives an error status', async () => {
    gh.installationToken();
    gh.config(CONFIG);
    gh.branch('deploy', HEAD);
    gh.branch('production', null);
    gh.status(HEAD);
    await pushToDeploy();
    expect(gh.statuses).toMatchObject([{ state: 'error', description: 'Could not check: production branch "production" not found' }]);
  });

  it('custom branch names and status context come from the config', async () => {
    gh.installationToken();
    gh.config(`${CONFIG}branches:\n  deploy: release\n  production: live\nstatus:\n  context: ci/deploy\n`);
    gh.branch('release', HEAD);
    gh.branch('live', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: x')]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/release', after: HEAD }));
    expect(gh.statuses.map((s) => [s.context, s.state])).toEqual([
      ['ci/deploy', 'pending'],
      ['ci/deploy', 'success'],
    ]);
  });

  it('the evaluation uses the branch head at run time, not the (possibly stale) payload SHA', async () => {
    expectDeployRun([commit(1, 'PROJ-1: x')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: fakeSha('stale') }));
    expect(gh.statuses.every((s) => s.sha === HEAD)).toBe(true);
  });

  it('a push to production re-checks the deploy (its diff changed)', async () => {
    expectDeployRun([commit(1, 'PROJ-1: x')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: PROD }));
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('risk assessment fields in wiki markup, select lists and arrays count as filled', async () => {
    expectDeployRun([commit(1, 'PROJ-1: a'), commit(2, 'PROJ-2: b'), commit(3, 'PROJ-3: c')]);
    jira.fields();
    jira.bulkfetch([
      readyTicket('PROJ-1', { risk: 'h3. Risk\n* low', checks: '{code}curl /health{code}' }),
      readyTicket('PROJ-2', { risk: { value: 'Low' }, checks: [{ value: 'Smoke test' }] }),
      readyTicket('PROJ-3', { risk: adf('', 'Medium'), checks: adf('check') }),
    ]);
    await pushToDeploy();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success' });
  });
});

describe('pushes that are not deploys', () => {
  it('a push to another branch only reads the config', async () => {
    gh.installationToken();
    gh.config(CONFIG);
    expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/feature/x', after: HEAD }))).toBe(200);
    expect(gh.statuses).toEqual([]);
  });

  it('tag pushes and branch deletions do nothing at all', async () => {
    expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/tags/v1.0.0', after: HEAD }))).toBe(200);
    expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD, deleted: true }))).toBe(200);
    expect(gh.statuses).toEqual([]);
  });

  it('an unsigned or wrongly signed webhook is refused and does nothing', async () => {
    const payload = pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD });
    expect(await harness.deliver('push', payload, { signature: null })).toBe(400);
    expect(await harness.deliver('push', payload, { signature: `sha256=${'0'.repeat(64)}` })).toBe(400);
  });
});

describe('JIRA Data Center (REST v2, Bearer PAT)', () => {
  it('checks tickets through /rest/api/2/search with the PAT', async () => {
    await harness.stop();
    harness = await startHarness({ env: { JIRA_EMAIL: '', JIRA_API_TOKEN: '', JIRA_PAT: 'dc-personal-access-token' } });
    expectDeployRun([commit(1, 'PROJ-1: add login'), commit(2, 'PROJ-2: logout')]);
    nock(JIRA_URL, { reqheaders: { authorization: 'Bearer dc-personal-access-token' } })
      .get('/rest/api/2/field')
      .reply(200, [
        { id: RISK_FIELD, name: 'Risk Assessment' },
        { id: CHECKS_FIELD, name: 'Post-Deploy Checks' },
      ]);
    let searchBody: Record<string, unknown> = {};
    nock(JIRA_URL, { reqheaders: { authorization: 'Bearer dc-personal-access-token' } })
      .post('/rest/api/2/search', (body: Record<string, unknown>) => {
        searchBody = body;
        return true;
      })
      .reply(200, {
        total: 1,
        issues: [
          {
            key: 'PROJ-1',
            fields: {
              summary: 'Login',
              issuetype: { name: 'Story' },
              status: { name: 'Ready for Deploy' },
              assignee: { displayName: 'Grace' },
              [RISK_FIELD]: 'Low risk: *feature flag* off by default',
              [CHECKS_FIELD]: '# log in\n# log out',
            },
          },
        ],
      });
    await pushToDeploy();
    expect(searchBody).toMatchObject({ jql: 'key in (PROJ-1,PROJ-2)', validateQuery: 'warn' });
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'failure', description: '1 problem: PROJ-2 is unknown to JIRA' });
  });
});
