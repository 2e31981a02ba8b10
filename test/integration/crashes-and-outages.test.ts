/**
 * Correct under crashes, outages and redeliveries (issue 11): the status owed by a head is recorded before it is
 * evaluated or posted, and the intent sweep drives it to a final status after a crash or a GitHub outage. Whole
 * app through the harness, real SQLite store, strict nock.
 */
import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { useRestartableApp } from '../helpers/restartable-app.js';
import { apiCommit, fakeSha, mockGitHub, GITHUB_API, type FakeCommit } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 61 };
const REPO = { owner: 'acme', repo: 'shop' };
const PROD = fakeSha('co-prod');
const HEAD = fakeSha('co-head');
const CONFIG = 'jira:\n  projects: [PROJ]\n';
const SUCCESS = { state: 'success', description: 'All clear: 1 ticket ready, 1 commit checked', context: 'deploy-checker' };
const commits: FakeCommit[] = [{ sha: fakeSha('co-c1'), message: 'PROJ-1: login' }];

useStrictNock();

const { startApp, stopApp, now, setClockOffset } = useRestartableApp('deploy-checker-crash-');

const pushToDeploy = (harness: Harness, wait = true) => harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }), { wait });

/** The reads of one deploy evaluation (the installation token only once per process). */
function expectEvaluation(
  gh: ReturnType<typeof mockGitHub>,
  jira: ReturnType<typeof mockJiraCloud>,
  options: { token?: boolean; fields?: boolean; config?: boolean } = {},
) {
  if (options.token !== false) gh.installationToken();
  if (options.config !== false) gh.config(CONFIG);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  if (options.fields !== false) jira.fields();
  jira.bulkfetch([readyTicket('PROJ-1')]);
}

describe('crashes and outages', () => {
  it('a check interrupted after its intent was recorded ends in a final status after a restart', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    // First process: evaluates, shows pending, and dies before it can record the outcome.
    const first = await startApp({
      wrapStore: (store) => ({
        ...store,
        recordDesiredStatus: () => Promise.reject(new Error('process killed')),
      }),
    });
    expectEvaluation(gh, jira);
    gh.branch('deploy', HEAD);
    gh.status(HEAD, 1);
    await pushToDeploy(first.harness);
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending']);
    expect(await first.store.getStatusIntent({ repo: REPO, sha: HEAD, context: 'deploy-checker' })).toMatchObject({ desired: null, posted: null });
    await stopApp(first);

    // Restart on the same database once the dead evaluation's lease has expired: the sweep re-evaluates the head.
    setClockOffset(5 * 60_000);
    const second = await startApp();
    expectEvaluation(gh, jira);
    gh.status(HEAD, 2);
    expect(await second.harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 1 });
    await second.harness.queue.onIdle();
    expect(gh.statuses.at(-1)).toMatchObject({ sha: HEAD, ...SUCCESS });
    const intent = await second.store.getStatusIntent({ repo: REPO, sha: HEAD, context: 'deploy-checker' });
    expect(intent).toMatchObject({ posted: { state: 'success' }, leaseOwner: null });
    expect(await second.store.listDueStatusIntents(now(), 10)).toEqual([]);
  });

  it('a status POST failing longer than the retries stays owed, and the sweep after recovery posts it', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const { harness, store } = await startApp();
    expectEvaluation(gh, jira);
    gh.branch('deploy', HEAD);
    // GitHub is down for statuses: the pending and the final POST both fail.
    nock(GITHUB_API).post(`/repos/acme/shop/statuses/${HEAD}`).times(2).reply(502, { message: 'Bad Gateway' });
    await pushToDeploy(harness);
    const owed = await store.getStatusIntent({ repo: REPO, sha: HEAD, context: 'deploy-checker' });
    expect(owed).toMatchObject({
      desired: { state: 'success' },
      posted: null,
      attempts: 1,
      lastError: 'GitHub answered HTTP 502 while posting the commit status',
    });

    // Before the retry time: nothing is attempted. After it (GitHub is back): the final status is posted once.
    expect(await harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 0 });
    setClockOffset(60_000);
    gh.status(HEAD, 1);
    expect(await harness.intentSweeper.runOnce()).toEqual({ posted: 1, failed: 0, reevaluated: 0 });
    expect(gh.statuses).toEqual([{ sha: HEAD, ...SUCCESS, target_url: `https://checker.test/deploys/acme/shop/${HEAD}` }]);
    expect(await harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 0 });
  });

  it('an owed status whose installation token GitHub refuses is retried with backoff, not on every sweep', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const first = await startApp();
    expectEvaluation(gh, jira);
    gh.branch('deploy', HEAD);
    nock(GITHUB_API).post(`/repos/acme/shop/statuses/${HEAD}`).times(2).reply(502, { message: 'Bad Gateway' });
    await pushToDeploy(first.harness);
    await stopApp(first);

    // A new process: its first token request fails (GitHub still down).
    setClockOffset(60_000);
    const second = await startApp();
    nock(GITHUB_API).post(`/app/installations/${target.installationId}/access_tokens`).reply(502, { message: 'Bad Gateway' });
    expect(await second.harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 1, reevaluated: 0 });
    // The next sweep, seconds later, does not hammer GitHub (strict nock: no request is expected) …
    expect(await second.harness.intentSweeper.runOnce()).toEqual({ posted: 0, failed: 0, reevaluated: 0 });
    // … and once the retry time has come, the status is posted.
    setClockOffset(5 * 60_000);
    gh.installationToken();
    gh.status(HEAD, 1);
    expect(await second.harness.intentSweeper.runOnce()).toEqual({ posted: 1, failed: 0, reevaluated: 0 });
    expect(gh.statuses.at(-1)).toMatchObject({ sha: HEAD, ...SUCCESS });
  });

  it('a redelivery of a finished push posts nothing: no pending, no duplicate final', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const { harness } = await startApp();
    expectEvaluation(gh, jira);
    gh.branch('deploy', HEAD);
    gh.status(HEAD, 2);
    await pushToDeploy(harness);
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);

    // Same push again: evaluated again from current state, same outcome, no write.
    expectEvaluation(gh, jira, { token: false, fields: false });
    gh.branch('deploy', HEAD);
    await pushToDeploy(harness);
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('small evaluations skip pending entirely: one write per head', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const { harness } = await startApp({ env: { STATUS_PENDING_DELAY_MS: '60000' } });
    expectEvaluation(gh, jira);
    gh.branch('deploy', HEAD);
    gh.status(HEAD, 1);
    await pushToDeploy(harness);
    expect(gh.statuses).toEqual([{ sha: HEAD, ...SUCCESS, target_url: `https://checker.test/deploys/acme/shop/${HEAD}` }]);
  });

  it('jobs with the same key never overlap: a push arriving mid-check waits for it, and posts only what changed', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    const { harness } = await startApp();
    const events: string[] = [];
    let firstCompareReached!: () => void;
    const reached = new Promise<void>((resolve) => (firstCompareReached = resolve));
    let releaseFirstCompare!: () => void;
    const compareBody = {
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      commits: commits.map((c) => apiCommit(c, 'acme', 'shop')),
      files: [],
    };
    gh.installationToken();
    gh.config(CONFIG, 2);
    for (let i = 0; i < 2; i++) {
      gh.branch('deploy', HEAD);
      gh.branch('production', PROD);
    }
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    jira.bulkfetch([readyTicket('PROJ-1')]);
    let compares = 0;
    nock(GITHUB_API)
      .get(`/repos/acme/shop/compare/${PROD}...${HEAD}`)
      .query({ per_page: '100', page: '1' })
      .times(2)
      .reply((_uri, _body, callback) => {
        compares += 1;
        events.push(`compare ${compares}`);
        if (compares === 1) {
          releaseFirstCompare = () => callback(null, [200, compareBody]);
          firstCompareReached();
        } else {
          callback(null, [200, compareBody]);
        }
      });
    nock(GITHUB_API)
      .post(`/repos/acme/shop/statuses/${HEAD}`, (body: { state: string }) => (events.push(`status ${body.state}`), true))
      .times(2)
      .reply(201, {});

    await pushToDeploy(harness, false);
    await reached;
    // A second delivery while the first check runs (free workers exist): it must wait for the first.
    await pushToDeploy(harness, false);
    releaseFirstCompare();
    await harness.queue.onIdle();
    expect(events).toEqual(['compare 1', 'status pending', 'status success', 'compare 2']);
  });
});
