/**
 * deploy-checker as a deployment protection rule, end to end: signed deployment_protection_rule.requested webhooks
 * through the whole app, GitHub and JIRA mocked strictly; asserts the exact answers posted to the protection rule,
 * what is recorded, and what the Slack side's port receives.
 */
import { createHmac, randomUUID } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalRequestContent, ApprovalRequestPoster } from '../../src/core/approval/deploy-approval-port.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { JIRA_URL, startHarness, type Harness } from '../helpers/app-harness.js';
import { fakeSha, GITHUB_API, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import {
  type Answer,
  base,
  commits,
  expectAnswer,
  expectDeployments,
  expectEvaluation,
  HEAD,
  PROD,
  REPORT_URL,
  RUN,
  requestedPayload,
  target,
} from '../helpers/protection-payloads.js';
import { useStrictNock } from '../helpers/strict-nock.js';

const repo = { owner: target.owner, repo: target.repo };
const LIVE = fakeSha('protection-live-deployment');
const JIRA_SECRET = 'jira-webhook-secret-for-tests';
const T0 = new Date('2026-12-01T10:00:00.000Z');

useStrictNock();

interface Setup {
  harness: Harness;
  store: ReportStore;
  gh: ReturnType<typeof mockGitHub>;
  jira: ReturnType<typeof mockJiraCloud>;
  answers: Answer[];
  poster: { calls: { kind: 'post' | 'update'; content: ApprovalRequestContent; outcome?: unknown }[] };
  clock: { now: Date };
}

const running: Setup[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    await s.harness.stop();
    await s.store.close();
  }
});

async function setup(): Promise<Setup> {
  const store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  const clock = { now: T0 };
  const poster: Setup['poster'] = { calls: [] };
  const approvalPoster: ApprovalRequestPoster = {
    async post(channel, content) {
      poster.calls.push({ kind: 'post', content });
      return { channel: channel === '#deploys' ? 'C0DEPLOYS' : channel, ts: '1700000000.000100' };
    },
    async update(_message, content, outcome) {
      poster.calls.push({ kind: 'update', content, outcome });
    },
  };
  const harness = await startHarness({ store, now: () => clock.now, approvalPoster, env: { JIRA_WEBHOOK_SECRET: JIRA_SECRET } });
  const s: Setup = { harness, store, gh: mockGitHub(target), jira: mockJiraCloud(JIRA_URL), answers: [], poster, clock };
  running.push(s);
  s.gh.installationToken();
  return s;
}

const config = (environment: string) => `jira:\n  projects: [PROJ]\nenvironments:\n  production:\n${environment}`;
const REJECT = config('    onProblems: reject\n');
const WAIT = config('    onProblems: wait\n    maxWait: 2h\n');

function sendJiraWebhook(s: Setup, key: string) {
  const raw = JSON.stringify({ timestamp: s.clock.now.getTime(), webhookEvent: 'jira:issue_updated', issue: { key } });
  return fetch(`${s.harness.baseUrl}/jira/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-atlassian-webhook-identifier': randomUUID(),
      'x-hub-signature': `sha256=${createHmac('sha256', JIRA_SECRET).update(raw).digest('hex')}`,
    },
    body: raw,
  });
}

describe('deployment protection rule', () => {
  it('clean deploy → approved, the comment links the report; the answer is recorded with the evaluation', async () => {
    const s = await setup();
    expectEvaluation(s, REJECT, [readyTicket('PROJ-1')]);
    expectAnswer(s);

    expect(await s.harness.deliver('deployment_protection_rule', requestedPayload())).toBe(200);

    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'approved', comment: `Approved by deploy-checker: no problems found.\nReport: ${REPORT_URL}` },
    ]);
    const [review] = await s.store.listProtectionReviewsForSha(target, HEAD);
    const report = await s.store.getReport(target, HEAD);
    expect(report).toMatchObject({ trigger: 'protection_rule', baseSha: PROD, headSha: HEAD, state: 'success' });
    const { items } = await s.store.listReports(target, { limit: 10, offset: 0 });
    expect(review).toMatchObject({
      runId: RUN,
      state: 'approved',
      decidedBy: 'deploy-checker',
      decidedAt: T0.toISOString(),
      deliveredAt: T0.toISOString(),
      reportId: items.find((item) => item.headSha === HEAD)?.id,
      requestedBy: 'Codertocat',
    });
    expect(s.poster.calls).toEqual([]);
  });

  it('problems with onProblems: reject → rejected naming them', async () => {
    const s = await setup();
    expectEvaluation(s, REJECT, [readyTicket('PROJ-1', { status: 'In Progress' })]);
    expectAnswer(s);

    await s.harness.deliver('deployment_protection_rule', requestedPayload());

    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'rejected', comment: `Rejected: 1 problem: PROJ-1 is In Progress\nReport: ${REPORT_URL}` },
    ]);
  });

  it('JIRA down → no answer while it is down (the loop retries), approved once it is back', async () => {
    const s = await setup();
    expectEvaluation(s, REJECT, 'jira-down');
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers).toEqual([]);
    expect((await s.store.listWaitingProtectionReviews()).map((r) => r.waitReason)).toEqual(['error']);

    // Still down on the next round: still no answer.
    s.clock.now = new Date(T0.getTime() + 5 * 60_000);
    expectEvaluation(s, REJECT, 'jira-down', { fields: false });
    expect(await s.harness.protectionLoop.tick()).toEqual({ queued: 1 });
    expect(s.answers).toEqual([]);

    s.clock.now = new Date(T0.getTime() + 10 * 60_000);
    expectEvaluation(s, REJECT, [readyTicket('PROJ-1')], { fields: false });
    expectAnswer(s);
    await s.harness.protectionLoop.tick();
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect(await s.harness.protectionLoop.tick()).toEqual({ queued: 0 });
  });

  it('JIRA down past maxWait → rejected with the reason, never approved', async () => {
    const s = await setup();
    expectEvaluation(s, WAIT, 'jira-down');
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers).toEqual([]);

    s.clock.now = new Date(T0.getTime() + 2 * 3_600_000);
    expectEvaluation(s, WAIT, 'jira-down', { fields: false });
    expectAnswer(s);
    await s.harness.protectionLoop.tick();
    expect(s.answers).toHaveLength(1);
    expect(s.answers[0]?.state).toBe('rejected');
    expect(s.answers[0]?.comment).toMatch(/^Rejected after 2h: the deploy could not be checked: .*JIRA/);
  });

  it('onProblems: wait → held, approved after a JIRA webhook reports the ticket fixed', async () => {
    const s = await setup();
    expectEvaluation(s, WAIT, [readyTicket('PROJ-1', { status: 'In Progress' })]);
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers).toEqual([]);
    expect(await s.store.listWaitingProtectionReviews()).toMatchObject([{ waitReason: 'problems', waitDetail: '1 problem: PROJ-1 is In Progress' }]);

    // The JIRA webhook re-checks the deploy branch (absent here: nothing to check) and the held deployment.
    nock(GITHUB_API).get(`${base}/installation`).reply(200, { id: target.installationId });
    s.gh.config(WAIT);
    s.gh.branch('deploy', null);
    s.gh.branch('production', PROD);
    expectEvaluation(s, WAIT, [readyTicket('PROJ-1')], { fields: false });
    expectAnswer(s);
    expect((await sendJiraWebhook(s, 'PROJ-1')).status).toBe(202);
    await s.harness.reevaluator.idle();
    await s.harness.queue.onIdle();

    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'approved', comment: `Approved by deploy-checker: no problems found.\nReport: ${REPORT_URL}` },
    ]);
  });

  it('problems past maxWait → rejected with them', async () => {
    const s = await setup();
    expectEvaluation(s, WAIT, [readyTicket('PROJ-1', { status: 'In Progress' })]);
    await s.harness.deliver('deployment_protection_rule', requestedPayload());

    s.clock.now = new Date(T0.getTime() + 2 * 3_600_000 + 1);
    expectEvaluation(s, WAIT, [readyTicket('PROJ-1', { status: 'In Progress' })], { fields: false });
    expectAnswer(s);
    await s.harness.protectionLoop.tick();
    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'rejected', comment: `Rejected after 2h, still 1 problem: PROJ-1 is In Progress\nReport: ${REPORT_URL}` },
    ]);
  });

  it('an environment not in the config → approved as not gated, without an evaluation', async () => {
    const s = await setup();
    s.gh.config(REJECT);
    expectAnswer(s);
    await s.harness.deliver('deployment_protection_rule', requestedPayload({ environment: 'staging' }));
    expect(s.answers).toEqual([
      {
        environment_name: 'staging',
        state: 'approved',
        comment: 'Environment "staging" is not gated by deploy-checker (not listed under environments in .github/deploy-checker.yml).',
      },
    ]);
    expect(await s.store.getReport(target, HEAD)).toBeNull();
  });

  it('a redelivery (same delivery id) and a second delivery of the same run → one answer', async () => {
    const s = await setup();
    expectEvaluation(s, REJECT, [readyTicket('PROJ-1')]);
    expectAnswer(s);
    const deliveryId = randomUUID();
    await s.harness.deliver('deployment_protection_rule', requestedPayload(), { deliveryId });
    await s.harness.deliver('deployment_protection_rule', requestedPayload(), { deliveryId });
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect(await s.store.listProtectionReviewsForSha(target, HEAD)).toHaveLength(1);
  });

  it('a malformed request (no full SHA) is refused with 400 and not recorded', async () => {
    const s = await setup();
    nock.cleanAll(); // nothing is called
    const payload = requestedPayload();
    if (payload.deployment) payload.deployment.sha = 'main';
    expect(await s.harness.deliver('deployment_protection_rule', payload)).toBe(400);
    expect(await s.store.listWaitingProtectionReviews()).toEqual([]);
  });

  it('a callback URL outside the GitHub API of the repository is never used', async () => {
    const s = await setup();
    nock.cleanAll(); // no installation token either: nothing is called
    await s.harness.deliver(
      'deployment_protection_rule',
      requestedPayload({ callbackUrl: 'https://evil.example/repos/acme/shop/actions/runs/1/deployment_protection_rule' }),
    );
    await s.harness.deliver(
      'deployment_protection_rule',
      requestedPayload({ callbackUrl: `${GITHUB_API}/repos/other/repo/actions/runs/1/deployment_protection_rule` }),
    );
    expect(await s.store.listWaitingProtectionReviews()).toEqual([]);
    expect(s.answers).toEqual([]);
  });

  it('the live SHA is the environment’s latest successful deployment, not the production branch', async () => {
    const s = await setup();
    s.gh.config(REJECT);
    expectDeployments([
      { id: 3, sha: HEAD, state: 'waiting' },
      { id: 2, sha: LIVE, state: 'success' },
      { id: 1, sha: PROD, state: 'inactive' },
    ]);
    s.gh.compare(LIVE, HEAD, commits);
    s.jira.fields();
    s.jira.bulkfetch([readyTicket('PROJ-1')]);
    expectAnswer(s);
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect(await s.store.getReport(target, HEAD)).toMatchObject({ baseSha: LIVE, trigger: 'protection_rule' });
  });

  it('approvers → a clean deploy waits for Slack; a double click answers GitHub once; the request is updated', async () => {
    const s = await setup();
    const withApprovers = `slack:\n  channel: "#deploys"\n${config('    approvers: [S0RELEASE]\n')}`;
    expectEvaluation(s, withApprovers, [readyTicket('PROJ-1')]);
    const expectChecks = () => {
      nock(GITHUB_API)
        .get(`${base}/commits/${HEAD}/status`)
        .query({ per_page: '100', page: '1' })
        .reply(200, { state: 'success', total_count: 1, statuses: [{ context: 'ci/build', state: 'success', target_url: 'https://ci.test/1' }] });
      nock(GITHUB_API)
        .get(`${base}/commits/${HEAD}/check-runs`)
        .query({ filter: 'latest', per_page: '100', page: '1' })
        .reply(200, {
          total_count: 2,
          check_runs: [
            { id: 1, name: 'test', head_sha: HEAD, status: 'completed', conclusion: 'success', html_url: 'https://github.com/acme/shop/runs/1' },
            { id: 2, name: 'e2e', head_sha: HEAD, status: 'in_progress', conclusion: null, html_url: null, details_url: 'https://ci.test/e2e' },
          ],
        });
    };
    expectChecks();
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers).toEqual([]);
    const [review] = await s.store.listWaitingProtectionReviews();
    expect(review).toMatchObject({ waitReason: 'approval', approvers: ['S0RELEASE'], slackMessage: { channel: 'C0DEPLOYS', ts: '1700000000.000100' } });
    expect(s.poster.calls).toHaveLength(1);
    expect(s.poster.calls[0]?.content).toEqual({
      reviewId: review?.id,
      repo,
      environment: 'production',
      sha: HEAD,
      requestedBy: 'Codertocat',
      reportUrl: REPORT_URL,
      stories: [
        { key: 'PROJ-1', summary: 'Summary of PROJ-1', url: 'https://jira.test/browse/PROJ-1', highRisk: false, postDeployChecks: ['Open the login page'] },
      ],
      problems: [],
      checks: [
        { name: 'ci/build', state: 'success', url: 'https://ci.test/1' },
        { name: 'test', state: 'success', url: 'https://github.com/acme/shop/runs/1' },
        { name: 'e2e', state: 'in_progress', url: 'https://ci.test/e2e' },
      ],
      reason: 'approval',
      approvers: ['S0RELEASE'],
    });
    expect(await s.harness.deployApprovals.get(review!.id)).toEqual({
      reviewId: review!.id,
      repo,
      environment: 'production',
      sha: HEAD,
      approvers: ['S0RELEASE'],
      state: 'waiting',
      slackMessage: { channel: 'C0DEPLOYS', ts: '1700000000.000100' },
    });

    expectAnswer(s);
    expectChecks();
    const click = { reviewId: review!.id, state: 'approved' as const, slackUserId: 'U0ADA', slackUserName: 'ada', at: '2026-12-01T10:05:00.000Z' };
    const [first, second] = await Promise.all([s.harness.deployApprovals.decide(click), s.harness.deployApprovals.decide(click)]);
    expect([first.applied, second.applied].sort()).toEqual([false, true]);
    expect(first.approval.state).toBe('approved');
    expect(second.approval.state).toBe('approved');
    expect(s.answers).toEqual([{ environment_name: 'production', state: 'approved', comment: `Approved in Slack by ada (U0ADA).\nReport: ${REPORT_URL}` }]);
    expect(s.poster.calls.map((c) => [c.kind, c.outcome])).toEqual([
      ['post', undefined],
      ['update', { state: 'approved', by: 'ada (U0ADA)', at: '2026-12-01T10:05:00.000Z', reason: null }],
    ]);
    expect(await s.store.getProtectionReview(review!.id)).toMatchObject({ state: 'approved', decidedBy: 'ada (U0ADA)', deliveredAt: T0.toISOString() });
  });

  it('an answer GitHub does not accept stays recorded and is delivered by a later round', async () => {
    const s = await setup();
    expectEvaluation(s, REJECT, [readyTicket('PROJ-1')]);
    nock(GITHUB_API).post(`${base}/actions/runs/${RUN}/deployment_protection_rule`).reply(502, { message: 'Bad Gateway' });
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    const [review] = await s.store.listProtectionReviewsForSha(target, HEAD);
    expect(review).toMatchObject({ state: 'approved', deliveredAt: null, deliveryAttempts: 1 });

    // Not due yet: nothing is sent.
    expect(await s.harness.protectionLoop.tick()).toEqual({ queued: 0 });
    s.clock.now = new Date(T0.getTime() + 30_000);
    expectAnswer(s);
    expect(await s.harness.protectionLoop.tick()).toEqual({ queued: 1 });
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect((await s.store.getProtectionReview(review!.id))?.deliveredAt).toBe(s.clock.now.toISOString());
  });

  it('an invalid config is never approved: held, rejected with the config error after 24h', async () => {
    const s = await setup();
    const INVALID = 'environments:\n  production:\n    maxWait: forever\n';
    s.gh.config(INVALID);
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.answers).toEqual([]);
    expect(await s.store.listWaitingProtectionReviews()).toMatchObject([{ waitReason: 'config' }]);

    s.clock.now = new Date(T0.getTime() + 24 * 3_600_000);
    s.gh.config(INVALID);
    expectAnswer(s);
    await s.harness.protectionLoop.tick();
    expect(s.answers).toEqual([
      {
        environment_name: 'production',
        state: 'rejected',
        comment: 'Rejected after 24h: invalid .github/deploy-checker.yml: environments.production.maxWait: must be a duration like 30m, 24h or 2d',
      },
    ]);
  });

  it('a held deploy posted to Slack is updated when deploy-checker approves it after the ticket is fixed', async () => {
    const s = await setup();
    const heldWithSlack = `slack:\n  channel: C0DEPLOYS\n${WAIT}`;
    expectEvaluation(s, heldWithSlack, [readyTicket('PROJ-1', { status: 'In Progress' })]);
    const expectNoChecks = () => {
      nock(GITHUB_API)
        .get(`${base}/commits/${HEAD}/status`)
        .query({ per_page: '100', page: '1' })
        .reply(200, { state: 'pending', total_count: 0, statuses: [] });
      nock(GITHUB_API)
        .get(`${base}/commits/${HEAD}/check-runs`)
        .query({ filter: 'latest', per_page: '100', page: '1' })
        .reply(200, { total_count: 0, check_runs: [] });
    };
    expectNoChecks();
    await s.harness.deliver('deployment_protection_rule', requestedPayload());
    expect(s.poster.calls.map((c) => [c.kind, c.content.reason, c.content.problems])).toEqual([['post', 'problems', ['PROJ-1 is In Progress']]]);

    s.clock.now = new Date(T0.getTime() + 5 * 60_000);
    expectEvaluation(s, heldWithSlack, [readyTicket('PROJ-1')], { fields: false });
    expectAnswer(s);
    expectNoChecks();
    await s.harness.protectionLoop.tick();
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect(s.poster.calls.map((c) => [c.kind, c.outcome])).toEqual([
      ['post', undefined],
      [
        'update',
        {
          state: 'approved',
          by: 'deploy-checker',
          at: s.clock.now.toISOString(),
          reason: `Approved by deploy-checker: no problems found.\nReport: ${REPORT_URL}`,
        },
      ],
    ]);
    expect(s.poster.calls[1]?.content.problems).toEqual([]);
  });
});
