/**
 * The pull-request checks end to end: signed pull_request / issue_comment webhooks (real payloads) through the
 * whole Probot app, GitHub and JIRA mocked strictly; asserts the exact statuses posted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub, type FakeCommit } from '../helpers/github-mock.js';
import { EMPTY_ADF, mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { issueCommentPayload, pullRequestPayload, type TestRepo } from '../helpers/webhook-payloads.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 78 };
const HEAD = fakeSha('pr-head');
const MAIN = fakeSha('main-head');
const CONFIG = 'jira:\n  projects: [PROJ, OPS]\n';
const PR_CONTEXT = 'deploy-checker/ticket';

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

interface Pr {
  number?: number;
  title: string;
  headRef?: string;
  baseRef?: string;
  draft?: boolean;
  labels?: string[];
  author?: string;
}

const commit = (n: number, message: string): FakeCommit => ({ sha: fakeSha(`pr-c${n}`), message });

function full(pr: Pr) {
  return {
    number: pr.number ?? 12,
    title: pr.title,
    headRef: pr.headRef ?? 'feature/work',
    headSha: HEAD,
    baseRef: pr.baseRef ?? 'main',
    draft: pr.draft,
    labels: pr.labels,
    author: pr.author,
  };
}

async function deliverPr(pr: Pr, action = 'opened', changes?: Record<string, unknown>) {
  return harness.deliver('pull_request', pullRequestPayload(target, action, full(pr), changes));
}

/** The GitHub calls of one ticket check that reaches the compare. */
function expectTicketCheck(pr: Pr, commits: FakeCommit[], statuses = 2) {
  gh.installationToken();
  gh.pull(full(pr));
  gh.config(CONFIG);
  gh.branch(pr.baseRef ?? 'main', MAIN);
  gh.compare(MAIN, HEAD, commits);
  gh.status(HEAD, statuses);
}

const prStatuses = () => gh.statuses.filter((s) => s.context === PR_CONTEXT).map((s) => [s.state, s.description]);

describe('story check on pull requests', () => {
  it.each([
    { where: 'title only', pr: { title: 'PROJ-12: login page' }, commits: [commit(1, 'wip'), commit(2, 'more wip')] },
    { where: 'branch only', pr: { title: 'Login page', headRef: 'feature/PROJ-12-login' }, commits: [commit(1, 'wip')] },
    { where: 'commits only', pr: { title: 'Login page' }, commits: [commit(1, 'PROJ-12: first step'), commit(2, 'fixup')] },
  ])('ticket in the $where → success', async ({ pr, commits }) => {
    expectTicketCheck(pr, commits);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12', { status: 'In Review' })]);

    expect(await deliverPr(pr)).toBe(200);

    expect(prStatuses()).toEqual([
      ['pending', `Checking ${commits.length} commit${commits.length === 1 ? '' : 's'}…`],
      ['success', 'PROJ-12 has its risk assessment and post-deploy checks'],
    ]);
    expect(jira.bulkRequests).toEqual([['PROJ-12']]);
    expect(gh.statuses.at(-1)?.target_url).toBe(`https://checker.test/deploys/acme/shop/${HEAD}`);
  });

  it('no ticket anywhere → failure that says where to put one', async () => {
    expectTicketCheck({ title: 'Login page' }, [commit(1, 'wip')]);
    await deliverPr({ title: 'Login page' });
    expect(prStatuses()).toEqual([
      ['pending', 'Checking 1 commit…'],
      ['failure', '1 problem: no JIRA ticket in the title, branch or commits'],
    ]);
  });

  it('a key JIRA does not know → failure', async () => {
    expectTicketCheck({ title: 'PROJ-999: ghost' }, [commit(1, 'wip')]);
    jira.fields();
    jira.bulkfetch([]);
    await deliverPr({ title: 'PROJ-999: ghost' });
    expect(prStatuses().at(-1)).toEqual(['failure', '1 problem: PROJ-999 is unknown to JIRA']);
  });

  it('an empty risk assessment (ADF doc with an empty paragraph) → failure; status "In Progress" is not judged', async () => {
    expectTicketCheck({ title: 'PROJ-12: login' }, [commit(1, 'wip')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12', { status: 'In Progress', risk: EMPTY_ADF })]);
    await deliverPr({ title: 'PROJ-12: login' });
    expect(prStatuses().at(-1)).toEqual(['failure', '1 problem: PROJ-12 has no risk assessment']);
  });

  it.each([
    { why: 'exempt label', pr: { title: 'Fix typo', labels: ['bug', 'no-ticket'] }, description: 'Exempt from the ticket check: labelled "no-ticket"' },
    {
      why: 'bot author',
      pr: { title: 'Bump lodash', author: 'dependabot[bot]' },
      description: 'Exempt from the ticket check: author dependabot[bot] is exempt',
    },
    { why: 'draft', pr: { title: 'Early work', draft: true }, description: 'Exempt from the ticket check: draft (checked when ready for review)' },
  ])('$why → success that says why, without asking JIRA', async ({ pr, description }) => {
    gh.installationToken();
    gh.pull(full(pr));
    gh.config(CONFIG);
    gh.status(HEAD);
    await deliverPr(pr);
    expect(gh.statuses).toEqual([{ sha: HEAD, state: 'success', context: PR_CONTEXT, description }]);
  });

  it('a pull request with 300 commits is read through all compare pages', async () => {
    const commits = Array.from({ length: 300 }, (_, i) => commit(i, i === 299 ? 'OPS-4: last step' : `step ${i}`));
    expectTicketCheck({ title: 'PROJ-12: big change' }, commits);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12'), readyTicket('OPS-4', { checks: null })]);
    await deliverPr({ title: 'PROJ-12: big change' });
    expect(jira.bulkRequests).toEqual([['PROJ-12', 'OPS-4']]);
    expect(prStatuses()).toEqual([
      ['pending', 'Checking 300 commits…'],
      ['failure', '1 problem: OPS-4 has no post-deploy checks'],
    ]);
  });

  it('JIRA timing out → error status, never stuck pending', async () => {
    await harness.stop();
    harness = await startHarness({ env: { JIRA_TIMEOUT_MS: '200' } });
    expectTicketCheck({ title: 'PROJ-12: login' }, [commit(1, 'wip')]);
    nock(JIRA_URL).get('/rest/api/3/field').delay(1500).reply(200, []);
    await deliverPr({ title: 'PROJ-12: login' });
    expect(prStatuses()).toEqual([
      ['pending', 'Checking 1 commit…'],
      ['error', 'Could not check: JIRA did not answer while listing fields (timed out after 200 ms)'],
    ]);
  });

  it('an edit that changes neither title nor base does nothing', async () => {
    expect(await deliverPr({ title: 'PROJ-12: login' }, 'edited', { body: { from: 'old' } })).toBe(200);
    expect(gh.statuses).toEqual([]);
  });

  it('a title edit re-checks', async () => {
    expectTicketCheck({ title: 'PROJ-12: login' }, [commit(1, 'wip')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12')]);
    // The payload still carries the old title: the check reads the pull request as it is now.
    await harness.deliver('pull_request', pullRequestPayload(target, 'edited', full({ title: 'Login' }), { title: { from: 'Logn' } }));
    expect(prStatuses().at(-1)?.[0]).toBe('success');
  });
});

describe('release pull requests (base = production branch)', () => {
  it('run the full deploy check on the head under the deploy context too', async () => {
    const pr = { title: 'Release 2026-11-22', headRef: 'deploy', baseRef: 'production' };
    const PROD = fakeSha('prod');
    gh.installationToken();
    gh.pull(full(pr));
    gh.config(CONFIG);
    // ticket check
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: a'), commit(2, 'PROJ-2: b')]);
    // deploy check
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: a'), commit(2, 'PROJ-2: b')]);
    gh.status(HEAD, 4);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1'), readyTicket('PROJ-2', { status: 'In Progress' })], 2);

    await deliverPr(pr);

    expect(gh.statuses.map((s) => [s.context, s.state, s.description])).toEqual([
      [PR_CONTEXT, 'pending', 'Checking 2 commits…'],
      [PR_CONTEXT, 'success', '2 tickets have their risk assessment and post-deploy checks'],
      ['deploy-checker', 'pending', 'Checking 2 commits…'],
      ['deploy-checker', 'failure', '1 problem: PROJ-2 is In Progress'],
    ]);
  });
});

describe('/deploy-checker recheck', () => {
  it('from someone with write access: 👀 reaction, then both checks run again', async () => {
    gh.installationToken();
    gh.permission('alice', 'write');
    gh.reaction(555);
    gh.pull(full({ title: 'PROJ-12: login' }));
    gh.config(CONFIG);
    gh.branch('main', MAIN);
    gh.compare(MAIN, HEAD, [commit(1, 'wip')]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12')]);

    await harness.deliver('issue_comment', issueCommentPayload(target, { id: 555, body: '/deploy-checker recheck', login: 'alice', prNumber: 12 }));

    expect(prStatuses()).toEqual([
      ['pending', 'Checking 1 commit…'],
      ['success', 'PROJ-12 has its risk assessment and post-deploy checks'],
    ]);
  });

  it('from a reader: a polite reply and no recheck', async () => {
    const bodies: string[] = [];
    gh.installationToken();
    gh.permission('mallory', 'read');
    gh.comment(12, bodies);
    await harness.deliver('issue_comment', issueCommentPayload(target, { id: 556, body: '/deploy-checker recheck please', login: 'mallory', prNumber: 12 }));
    expect(gh.statuses).toEqual([]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatch(/^@mallory thanks for asking! Only people with write access/);
  });

  it('other comments are ignored', async () => {
    await harness.deliver('issue_comment', issueCommentPayload(target, { id: 557, body: 'LGTM, can we recheck later?', login: 'alice', prNumber: 12 }));
    expect(gh.statuses).toEqual([]);
  });
});
