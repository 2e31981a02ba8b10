/**
 * Missed webhooks and interrupted checks: GitHub never redelivers, so the reconciler compares what the store has
 * checked with the current heads and re-checks the rest. Whole app, real SQLite store, strict nock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub, GITHUB_API, type FakeCommit } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 93 };
const PROD = fakeSha('rc-prod');
const HEAD = fakeSha('rc-head');
const CONFIG = 'jira:\n  projects: [PROJ]\n';

useStrictNock();

let harness: Harness;
let store: ReportStore;
let gh: ReturnType<typeof mockGitHub>;
let jira: ReturnType<typeof mockJiraCloud>;

beforeEach(async () => {
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  harness = await startHarness({ store });
  gh = mockGitHub(target);
  jira = mockJiraCloud(JIRA_URL);
});
afterEach(async () => {
  await harness.stop();
  await store.close();
});

const commit = (n: number, message: string): FakeCommit => ({ sha: fakeSha(`rc-c${n}`), message });

function openPulls(pulls: { number: number; sha: string }[]) {
  nock(GITHUB_API)
    .get('/repos/acme/shop/pulls')
    .query({ state: 'open', per_page: '100' })
    .reply(
      200,
      pulls.map((p) => ({ number: p.number, head: { sha: p.sha } })),
    );
}

/** The sweep's own reads: installation, config, both branch heads. */
function sweepReads(deployHead: string, productionHead: string) {
  nock(GITHUB_API).get('/repos/acme/shop/installation').reply(200, { id: target.installationId });
  gh.config(CONFIG);
  gh.branch('deploy', deployHead);
  gh.branch('production', productionHead);
}

async function checkedOnce() {
  gh.installationToken();
  gh.config(CONFIG);
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: login')]);
  gh.status(HEAD, 2);
  jira.fields();
  jira.bulkfetch([readyTicket('PROJ-1')]);
  await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
  expect(gh.statuses.at(-1)).toMatchObject({ state: 'success' });
}

describe('reconciler', () => {
  it('does nothing when every head has a current report', async () => {
    await checkedOnce();
    sweepReads(HEAD, PROD);
    openPulls([]);
    const result = await harness.reconciler.runOnce();
    await harness.queue.onIdle();
    expect(result).toEqual({ repositories: 1, queued: [], failed: [] });
    expect(gh.statuses).toHaveLength(2);
  });

  it('checks a deploy head whose push webhook was missed, and an open pull request never checked', async () => {
    await checkedOnce();
    const MISSED = fakeSha('rc-missed');
    const PR_HEAD = fakeSha('rc-pr-head');
    sweepReads(MISSED, PROD);
    openPulls([{ number: 7, sha: PR_HEAD }]);
    // The missed deploy is checked with the config the sweep read …
    gh.branch('production', PROD);
    gh.compare(PROD, MISSED, [commit(1, 'PROJ-1: login'), commit(2, 'PROJ-2: logout')]);
    gh.status(MISSED, 2);
    jira.bulkfetch([readyTicket('PROJ-1')]);
    // … and the pull request from its current state.
    gh.pull({ number: 7, title: 'PROJ-1: follow-up', headRef: 'feature/x', headSha: PR_HEAD, baseRef: 'main' });
    gh.config(CONFIG);
    gh.branch('main', PROD);
    gh.compare(PROD, PR_HEAD, [commit(3, 'wip')]);
    gh.status(PR_HEAD, 2);
    jira.bulkfetch([readyTicket('PROJ-1')]);

    const result = await harness.reconciler.runOnce();
    await harness.queue.onIdle();

    expect(result.queued).toEqual([`acme/shop deploy ${MISSED.slice(0, 7)}`, 'acme/shop #7']);
    expect(gh.statuses.filter((s) => s.sha === MISSED).map((s) => [s.state, s.description])).toEqual([
      ['pending', 'Checking 2 commits…'],
      ['failure', '1 problem: PROJ-2 is unknown to JIRA'],
    ]);
    expect(gh.statuses.filter((s) => s.sha === PR_HEAD).map((s) => s.state)).toEqual(['pending', 'success']);
    expect(await store.getReport({ owner: 'acme', repo: 'shop' }, MISSED)).toMatchObject({ trigger: 'reconcile', state: 'failure' });
  });

  it('re-checks when production moved since the report', async () => {
    await checkedOnce();
    const NEW_PROD = fakeSha('rc-new-prod');
    sweepReads(HEAD, NEW_PROD);
    openPulls([]);
    gh.branch('production', NEW_PROD);
    gh.compare(NEW_PROD, HEAD, []);
    gh.status(HEAD, 1); // the head shows a final status: no pending over it
    await harness.reconciler.runOnce();
    await harness.queue.onIdle();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success', description: 'Nothing to deploy: no commits ahead of production' });
  });

  it('retries a check that ended in error once JIRA is back', async () => {
    gh.installationToken();
    gh.config(CONFIG);
    gh.branch('deploy', HEAD);
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: login')]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetchFails(503);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'error' });

    sweepReads(HEAD, PROD);
    openPulls([]);
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [commit(1, 'PROJ-1: login')]);
    gh.status(HEAD, 1); // the head shows a final status (error): no pending over it
    jira.bulkfetch([readyTicket('PROJ-1')]);
    await harness.reconciler.runOnce();
    await harness.queue.onIdle();
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'success', description: 'All clear: 1 ticket ready, 1 commit checked' });
  });

  it('a repository it cannot reach is reported as failed, the others still run', async () => {
    await checkedOnce();
    nock(GITHUB_API).get('/repos/acme/shop/installation').reply(404, { message: 'Not Found' });
    const result = await harness.reconciler.runOnce();
    expect(result).toEqual({ repositories: 1, queued: [], failed: ['acme/shop'] });
  });
});
