/**
 * Check runs (repo config `status.kind`) end to end: signed webhooks (payloads from @octokit/webhooks-examples)
 * through the whole app with a real SQLite store (the status outbox), GitHub and JIRA mocked strictly with nock.
 * GitHub's check runs are modelled in memory: the app lists a head's runs by name, creates and updates them.
 */
import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { useRestartableApp } from '../helpers/restartable-app.js';
import { fakeSha, mockGitHub, GITHUB_API, type FakeCommit } from '../helpers/github-mock.js';
import { adf, mockJiraCloud, readyTicket, type FakeTicket } from '../helpers/jira-mock.js';
import { examplePayload, pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 63 };
const REPO = { owner: 'acme', repo: 'shop' };
const PROD = fakeSha('cr-prod');
const HEAD = fakeSha('cr-head');
const REPORT_URL = `https://checker.test/deploys/acme/shop/${HEAD}`;
const commits: FakeCommit[] = [{ sha: fakeSha('cr-c1'), message: 'PROJ-1: login' }];
const configWith = (kind: string) => `jira:\n  projects: [PROJ]\nstatus:\n  kind: ${kind}\n`;
const RECHECK = { label: 'Re-check JIRA', identifier: 'recheck', description: 'Read the tickets again and re-check' };

useStrictNock();

interface Run {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  output: { title: string; summary: string };
  actions: unknown[];
}

/** GitHub's check runs of the test repository, in memory: the requests the app makes are expected one by one. */
function mockCheckRuns() {
  const runs: Run[] = [];
  const writes: { method: 'POST' | 'PATCH'; status: string; conclusion: string | null }[] = [];
  const base = `/repos/${REPO.owner}/${REPO.repo}`;
  const apply = (run: Run, body: Record<string, any>) => {
    run.status = body.status;
    run.conclusion = body.conclusion ?? null;
    run.details_url = body.details_url ?? null;
    run.output = body.output;
    run.actions = body.actions ?? [];
  };
  return {
    runs,
    writes,
    /** `times` reads of a head's runs by name (filter=latest). */
    list(times = 1) {
      nock(GITHUB_API)
        .get(new RegExp(`^${base}/commits/[0-9a-f]{40}/check-runs`))
        .query(true)
        .times(times)
        .reply((uri) => {
          const url = new URL(uri, GITHUB_API);
          const sha = url.pathname.split('/')[5];
          const name = url.searchParams.get('check_name');
          expect(url.searchParams.get('filter')).toBe('latest');
          const found = runs.filter((r) => r.head_sha === sha && (name === null || r.name === name)).reverse();
          return [200, { total_count: found.length, check_runs: found }];
        });
    },
    create(times = 1) {
      nock(GITHUB_API)
        .post(`${base}/check-runs`)
        .times(times)
        .reply((_uri, body) => {
          const b = body as Record<string, any>;
          const run: Run = {
            id: runs.length + 1,
            name: b.name,
            head_sha: b.head_sha,
            status: '',
            conclusion: null,
            details_url: null,
            output: b.output,
            actions: [],
          };
          runs.push(run);
          apply(run, b);
          writes.push({ method: 'POST', status: run.status, conclusion: run.conclusion });
          return [201, run];
        });
    },
    update(times = 1) {
      nock(GITHUB_API)
        .patch(new RegExp(`^${base}/check-runs/\\d+$`))
        .times(times)
        .reply((uri, body) => {
          const run = runs.find((r) => r.id === Number(uri.split('/').at(-1)));
          if (!run) return [404, { message: 'Not Found' }];
          apply(run, body as Record<string, any>);
          writes.push({ method: 'PATCH', status: run.status, conclusion: run.conclusion });
          return [200, run];
        });
    },
  };
}

const { startApp, stopApp, now, setClockOffset } = useRestartableApp('deploy-checker-check-runs-');

const pushToDeploy = (harness: Harness, options: { deliveryId?: string } = {}) =>
  harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }), options);

/** The reads of one deploy evaluation (`deployBranch`: a push reads the deploy head; a re-check of a SHA does not). */
function expectEvaluation(
  gh: ReturnType<typeof mockGitHub>,
  jira: ReturnType<typeof mockJiraCloud>,
  kind: string,
  options: { token?: boolean; fields?: boolean; deployBranch?: boolean; tickets?: FakeTicket[] } = {},
) {
  if (options.token !== false) gh.installationToken();
  gh.config(configWith(kind));
  if (options.deployBranch !== false) gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  if (options.fields !== false) jira.fields();
  jira.bulkfetch(options.tickets ?? [readyTicket('PROJ-1', { risk: adf('Touches | the login form') })]);
}

function checkRunPayload(action: 'requested_action' | 'rerequested', identifier = 'recheck'): Record<string, any> {
  const p = examplePayload('check_run', (x) => x.action === action);
  p.check_run.head_sha = HEAD;
  p.check_run.name = 'deploy-checker';
  p.check_run.pull_requests = [];
  if (action === 'requested_action') p.requested_action = { identifier };
  p.repository = { ...p.repository, name: REPO.repo, full_name: 'acme/shop', owner: { ...p.repository.owner, login: REPO.owner } };
  p.installation = { id: target.installationId, node_id: 'x' };
  return p;
}

function checkSuitePayload(options: { headSha?: string; pullRequests?: number[] } = {}): Record<string, any> {
  const p = examplePayload('check_suite', (x) => x.action === 'rerequested' && x.check_suite.pull_requests.length > 0);
  const example = p.check_suite.pull_requests[0];
  p.check_suite.head_sha = options.headSha ?? HEAD;
  p.check_suite.pull_requests = (options.pullRequests ?? []).map((number) => ({ ...example, number }));
  p.repository = { ...p.repository, name: REPO.repo, full_name: 'acme/shop', owner: { ...p.repository.owner, login: REPO.owner } };
  p.installation = { id: target.installationId, node_id: 'x' };
  return p;
}

describe('check runs', () => {
  it('status.kind check-run: a push shows an in-progress run, then completes it with title, summary, details URL and the recheck action; no commit status', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness, store } = await startApp();
    expectEvaluation(gh, jira, 'check-run');
    checks.list(2);
    checks.create();
    checks.update();

    expect(await pushToDeploy(harness)).toBe(200);

    expect(gh.statuses).toEqual([]);
    expect(checks.writes).toEqual([
      { method: 'POST', status: 'in_progress', conclusion: null },
      { method: 'PATCH', status: 'completed', conclusion: 'success' },
    ]);
    expect(checks.runs).toHaveLength(1);
    const run = checks.runs[0]!;
    expect(run).toMatchObject({
      name: 'deploy-checker',
      head_sha: HEAD,
      status: 'completed',
      conclusion: 'success',
      details_url: REPORT_URL,
      output: { title: 'All clear: 1 ticket ready, 1 commit checked' },
      actions: [RECHECK],
    });
    expect(run.output.summary).toContain('| Ticket | Status | Risk level | Risk assessment | Post-deploy checks |');
    // The risk assessment's "|" is escaped: the row keeps its five cells.
    expect(run.output.summary).toMatch(
      /^\| \[PROJ-1\]\(https:\/\/jira\.test\/browse\/PROJ-1\) \| Ready for Deploy \| — \| Touches \\\| the login form \| .+ \|$/m,
    );
    expect(await store.getStatusIntent({ repo: REPO, sha: HEAD, context: 'deploy-checker' })).toMatchObject({
      posted: { state: 'success', delivery: 'check-run' },
      leaseOwner: null,
    });
  });

  it('status.kind both: a commit status and a check run', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness } = await startApp();
    expectEvaluation(gh, jira, 'both');
    gh.status(HEAD, 2);
    checks.list(2);
    checks.create();
    checks.update();

    await pushToDeploy(harness);

    expect(gh.statuses.map((s) => [s.state, s.context, s.target_url])).toEqual([
      ['pending', 'deploy-checker', REPORT_URL],
      ['success', 'deploy-checker', REPORT_URL],
    ]);
    expect(checks.writes.map((w) => w.status)).toEqual(['in_progress', 'completed']);
    expect(checks.runs[0]).toMatchObject({ conclusion: 'success', details_url: REPORT_URL });
  });

  it('a failing ticket: conclusion failure, the problem and what to do in the summary', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness } = await startApp();
    expectEvaluation(gh, jira, 'check-run', { tickets: [readyTicket('PROJ-1', { status: 'In Progress' })] });
    checks.list(2);
    checks.create();
    checks.update();

    await pushToDeploy(harness);

    const run = checks.runs[0]!;
    expect(run).toMatchObject({ conclusion: 'failure', output: { title: '1 problem: PROJ-1 is In Progress' } });
    expect(run.output.summary).toContain('#### Problems (1)');
    expect(run.output.summary).toContain('PROJ-1 is In Progress');
  });

  it.each([
    { what: 'the "Re-check JIRA" action (check_run.requested_action)', event: 'check_run', payload: () => checkRunPayload('requested_action') },
    { what: 'a re-run of the check (check_run.rerequested)', event: 'check_run', payload: () => checkRunPayload('rerequested') },
    { what: 'a re-run of the suite (check_suite.rerequested)', event: 'check_suite', payload: () => checkSuitePayload() },
  ])('$what re-evaluates the head, reading JIRA again', async ({ event, payload }) => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness } = await startApp();
    expectEvaluation(gh, jira, 'check-run');
    checks.list(2);
    checks.create();
    checks.update();
    await pushToDeploy(harness);
    expect(checks.runs[0]).toMatchObject({ conclusion: 'success' });

    // Meanwhile the ticket went back to In Progress in JIRA: the re-check reads it and updates the run.
    expectEvaluation(gh, jira, 'check-run', { token: false, fields: false, deployBranch: false, tickets: [readyTicket('PROJ-1', { status: 'In Progress' })] });
    checks.list();
    checks.update();
    expect(await harness.deliver(event, payload())).toBe(200);

    expect(jira.bulkRequests).toEqual([['PROJ-1'], ['PROJ-1']]);
    expect(checks.runs).toHaveLength(1);
    expect(checks.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '1 problem: PROJ-1 is In Progress' } });
  });

  it('a pull request’s suite re-run re-evaluates the pull request: its check run is named after status.prContext', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness } = await startApp();
    const PR_HEAD = fakeSha('cr-pr-head');
    const MAIN = fakeSha('cr-main');
    gh.installationToken();
    gh.pull({ number: 12, title: 'PROJ-1: login page', headRef: 'feature/login', headSha: PR_HEAD, baseRef: 'main' });
    gh.config(configWith('check-run'));
    gh.branch('main', MAIN);
    gh.compare(MAIN, PR_HEAD, [{ sha: fakeSha('cr-pr-c1'), message: 'PROJ-1: login' }]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    checks.list(2);
    checks.create();
    checks.update();

    expect(await harness.deliver('check_suite', checkSuitePayload({ headSha: PR_HEAD, pullRequests: [12] }))).toBe(200);

    expect(harness.enqueued).toEqual(['acme/shop:pr:12']);
    expect(gh.statuses).toEqual([]);
    expect(checks.runs).toHaveLength(1);
    expect(checks.runs[0]).toMatchObject({
      name: 'deploy-checker/ticket',
      head_sha: PR_HEAD,
      status: 'completed',
      conclusion: 'success',
      details_url: `https://checker.test/deploys/acme/shop/${PR_HEAD}`,
      actions: [RECHECK],
    });
  });

  it('another requested action is not ours: nothing is checked', async () => {
    const { harness } = await startApp();
    expect(await harness.deliver('check_run', checkRunPayload('requested_action', 'something-else'))).toBe(200);
    expect(harness.enqueued).toEqual([]);
  });

  it('a check_run payload without a head SHA is refused with 400', async () => {
    const { harness } = await startApp();
    const payload = checkRunPayload('rerequested');
    delete payload.check_run.head_sha;
    expect(await harness.deliver('check_run', payload)).toBe(400);
    expect(harness.enqueued).toEqual([]);
  });

  it('a crash mid-evaluation leaves an in-progress run; after a restart the sweep completes that same run', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const first = await startApp({ wrapStore: (store) => ({ ...store, recordDesiredStatus: () => Promise.reject(new Error('process killed')) }) });
    expectEvaluation(gh, jira, 'check-run');
    checks.list();
    checks.create();
    await pushToDeploy(first.harness);
    expect(checks.runs).toMatchObject([{ status: 'in_progress', conclusion: null }]);
    await stopApp(first);

    setClockOffset(5 * 60_000);
    const second = await startApp();
    expectEvaluation(gh, jira, 'check-run', { deployBranch: false });
    // Progress again (the head never got a final result): the run already shows it, so only the final writes.
    checks.list(2);
    checks.update();
    expect(await second.harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 1 });
    await second.harness.queue.onIdle();

    expect(checks.runs).toHaveLength(1);
    expect(checks.writes).toEqual([
      { method: 'POST', status: 'in_progress', conclusion: null },
      { method: 'PATCH', status: 'completed', conclusion: 'success' },
    ]);
    expect(checks.runs[0]).toMatchObject({ status: 'completed', conclusion: 'success', details_url: REPORT_URL, actions: [RECHECK] });
    expect(await second.store.listDueStatusIntents(now(), 10)).toEqual([]);
  });

  it('completing the run failing (GitHub 502) stays owed; the sweep completes it once GitHub is back', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness, store } = await startApp();
    expectEvaluation(gh, jira, 'check-run');
    checks.list(2);
    checks.create();
    nock(GITHUB_API)
      .patch(/^\/repos\/acme\/shop\/check-runs\/\d+$/)
      .reply(502, { message: 'Bad Gateway' });
    await pushToDeploy(harness);
    expect(checks.runs).toMatchObject([{ status: 'in_progress' }]);
    expect(await store.getStatusIntent({ repo: REPO, sha: HEAD, context: 'deploy-checker' })).toMatchObject({ posted: null, attempts: 1 });

    setClockOffset(61_000);
    checks.list();
    checks.update();
    expect(await harness.intentSweeper.runOnce()).toEqual({ posted: 1, failed: 0, reevaluated: 0 });
    expect(checks.runs).toHaveLength(1);
    expect(checks.runs[0]).toMatchObject({ status: 'completed', conclusion: 'success', actions: [RECHECK] });
    expect(await harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 0 });
  });

  it('a redelivery posts nothing new; the same push delivered again is re-evaluated to the same result and writes nothing', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const checks = mockCheckRuns();
    const { harness } = await startApp();
    expectEvaluation(gh, jira, 'check-run');
    checks.list(2);
    checks.create();
    checks.update();
    await pushToDeploy(harness, { deliveryId: 'delivery-1' });
    expect(checks.writes).toHaveLength(2);

    // GitHub redelivers the same delivery: dropped at the gate.
    expect(await pushToDeploy(harness, { deliveryId: 'delivery-1' })).toBe(200);
    // A new delivery of the same push: evaluated again, same outcome, nothing written (no list, no create, no update).
    expectEvaluation(gh, jira, 'check-run', { token: false, fields: false });
    await pushToDeploy(harness, { deliveryId: 'delivery-2' });

    expect(checks.writes).toHaveLength(2);
    expect(checks.runs).toHaveLength(1);
  });
});
