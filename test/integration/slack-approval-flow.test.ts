/**
 * Deploy approval in Slack, end to end through the whole app: a signed deployment_protection_rule.requested
 * webhook for an environment with approvers, the request posted to Slack by the real poster (the Slack Web API
 * mocked with nock at the harness's SLACK_API), then correctly (or wrongly) signed POST /slack/interactions clicks
 * served by the app's web handler, which decide through the app's DeployApprovals: the answer to GitHub's
 * protection rule, the Slack message rewritten in place, the review recorded, the report page showing it.
 * GitHub, JIRA and Slack are mocked strictly (an unused or unexpected request fails the test).
 */
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../src/core/slack-approval/approval-blocks.js';
import { createApprovalRequestPoster, createApprovalSlackClient } from '../../src/slack/approval-request-poster.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ProtectionReview } from '../../src/store/protection-review-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { JIRA_URL, SLACK_API, startHarness, type Harness } from '../helpers/app-harness.js';
import { mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { type Answer, expectAnswer, expectEvaluation, expectShaChecks, HEAD, REPORT_URL, requestedPayload, target } from '../helpers/protection-payloads.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { slackForm } from '../slack/slack-test-support.js';

const SIGNING_SECRET = 'slack-signing-secret-for-the-e2e-test';
const SLACK_TOKEN = 'xoxb-approval-e2e-token';
const T0 = new Date('2026-12-01T10:00:00.000Z');
const CHANNEL = 'C0DEPLOYS';
const MESSAGE_TS = '1764583200.000100';
const ONCALL = 'U0ONCALL';
const OTHER = 'U0INTRUDER';
const CONFIG = `slack:\n  channel: "#deploys"\njira:\n  projects: [PROJ]\nenvironments:\n  production:\n    approvers: [${ONCALL}]\n`;

useStrictNock();

interface SlackCall {
  readonly method: string;
  readonly form: Record<string, unknown>;
}

interface Setup {
  harness: Harness;
  store: ReportStore;
  gh: ReturnType<typeof mockGitHub>;
  jira: ReturnType<typeof mockJiraCloud>;
  answers: Answer[];
  slack: SlackCall[];
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
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger });
  const clock = { now: T0 };
  const slackOptions = { token: SLACK_TOKEN, apiUrl: SLACK_API, logger, timeoutMs: 5000 };
  const harness = await startHarness({
    store,
    now: () => clock.now,
    logger,
    approvalPoster: createApprovalRequestPoster(slackOptions),
    approvalSlack: createApprovalSlackClient(slackOptions),
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET },
  });
  const s: Setup = { harness, store, gh: mockGitHub(target), jira: mockJiraCloud(JIRA_URL), answers: [], slack: [], clock };
  running.push(s);
  s.gh.installationToken();
  return s;
}

/** Expects `times` calls of a Slack Web API method (bot token required), recorded in order; answers `reply`. */
function expectSlack(s: Setup, method: string, reply: Record<string, unknown>, times = 1) {
  const origin = new URL(SLACK_API).origin;
  nock(origin, { reqheaders: { authorization: `Bearer ${SLACK_TOKEN}` } })
    .post(`${new URL(SLACK_API).pathname}${method}`)
    .times(times)
    .reply((_uri, body) => {
      s.slack.push({ method, form: slackForm(body) });
      return [200, { ok: true, ...reply }];
    });
}

const callsOf = (s: Setup, method: string) => s.slack.filter((c) => c.method === method);

/** The statuses and check runs of HEAD the approval request lists (read when it is posted and when it is updated). */
function expectChecks() {
  expectShaChecks(
    [{ context: 'ci/build', state: 'success', target_url: 'https://ci.test/build/1' }],
    [{ id: 1, name: 'e2e-suite', status: 'completed', conclusion: 'success', html_url: 'https://github.com/acme/shop/runs/1' }],
  );
}

/** Delivers the protection rule request; the clean evaluation waits for an approver and is posted to Slack. */
async function requestApproval(s: Setup): Promise<ProtectionReview> {
  expectEvaluation(s, CONFIG, [readyTicket('PROJ-1')]);
  expectChecks();
  expectSlack(s, 'chat.postMessage', { channel: CHANNEL, ts: MESSAGE_TS });
  expect(await s.harness.deliver('deployment_protection_rule', requestedPayload())).toBe(200);
  const [review] = await s.store.listProtectionReviewsForSha(target, HEAD);
  expect(review).toMatchObject({ state: 'waiting', waitReason: 'approval', approvers: [ONCALL], slackMessage: { channel: CHANNEL, ts: MESSAGE_TS } });
  return review as ProtectionReview;
}

/** A Slack block_actions interaction: `user` pressed Approve or Reject on the request of `reviewId`. */
function clickBody(reviewId: number, user: { id: string; username: string }, action: 'approve' | 'reject'): string {
  const payload = {
    type: 'block_actions',
    user: { ...user, team_id: 'T0ACME' },
    api_app_id: 'A0DEPLOY',
    container: { type: 'message', channel_id: CHANNEL, message_ts: MESSAGE_TS },
    channel: { id: CHANNEL, name: 'deploys' },
    actions: [{ type: 'button', action_id: action === 'approve' ? APPROVE_ACTION_ID : REJECT_ACTION_ID, value: String(reviewId), action_ts: '1764583260.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function slackSignature(timestamp: string, body: string, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POST /slack/interactions, signed like Slack does (timestamp: the app's clock unless given). */
async function click(s: Setup, body: string, signing: { timestamp?: string; secret?: string } = {}): Promise<number> {
  const timestamp = signing.timestamp ?? String(Math.floor(s.clock.now.getTime() / 1000));
  const res = await fetch(`${s.harness.baseUrl}/slack/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(timestamp, body, signing.secret),
    },
    body,
  });
  await res.text();
  return res.status;
}

/** The action ids and values of the buttons of a posted message. */
function buttonsOf(form: Record<string, unknown>): { action_id: string; value?: string }[] {
  const blocks = form['blocks'] as { type: string; elements?: { type: string; action_id: string; value?: string }[] }[];
  return blocks
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .filter((e) => e.type === 'button' && e.action_id.startsWith('deploy_approval_'));
}

describe('deploy approval in Slack, end to end', () => {
  it('an approver’s Approve → GitHub approved once, the message updated in place, the review recorded, the page shows it', async () => {
    const s = await setup();
    const review = await requestApproval(s);

    const [posted] = callsOf(s, 'chat.postMessage');
    expect(posted?.form).toMatchObject({ channel: '#deploys' });
    expect(buttonsOf(posted?.form ?? {})).toEqual([
      expect.objectContaining({ action_id: APPROVE_ACTION_ID, value: String(review.id) }),
      expect.objectContaining({ action_id: REJECT_ACTION_ID, value: String(review.id) }),
    ]);
    const postedBlocks = JSON.stringify(posted?.form['blocks']);
    expect(postedBlocks).toContain('ci/build');
    expect(postedBlocks).toContain('e2e-suite');
    expect(postedBlocks).toContain('PROJ-1');
    expect(s.answers).toEqual([]);

    s.clock.now = new Date(T0.getTime() + 60_000);
    expectAnswer(s);
    expectChecks();
    expectSlack(s, 'chat.update', { channel: CHANNEL, ts: MESSAGE_TS });
    expect(await click(s, clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'approve'))).toBe(200);

    await vi.waitFor(() => expect(callsOf(s, 'chat.update')).toHaveLength(1));
    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'approved', comment: `Approved in Slack by oncall (${ONCALL}).\nReport: ${REPORT_URL}` },
    ]);
    const [updated] = callsOf(s, 'chat.update');
    expect(updated?.form).toMatchObject({ channel: CHANNEL, ts: MESSAGE_TS });
    expect(buttonsOf(updated?.form ?? {})).toEqual([]);
    expect(JSON.stringify(updated?.form['blocks'])).toContain('Deploy approved');
    expect(JSON.stringify(updated?.form['blocks'])).toContain(`oncall (${ONCALL})`);

    const evaluations = await s.store.listEvaluationsForSha(target, HEAD);
    expect(evaluations).toHaveLength(1);
    const decided = await s.store.getProtectionReview(review.id);
    expect(decided).toMatchObject({
      state: 'approved',
      decidedBy: `oncall (${ONCALL})`,
      decidedAt: s.clock.now.toISOString(),
      deliveredAt: s.clock.now.toISOString(),
      reportId: evaluations[0]?.id,
    });

    const page = await (await fetch(`${s.harness.baseUrl}/deploys/acme/shop/${HEAD}`)).text();
    expect(page).toContain('<h2 id="protection-reviews-title">Deployment protection</h2>');
    expect(page).toContain('<td>Approved</td>');
    expect(page).toContain(`<td>oncall (${ONCALL}), 2026-12-01 10:01 UTC</td>`);
    expect(page).toContain(`<a href="/deploys/acme/shop/${HEAD}?evaluation=${evaluations[0]?.id}">evaluation</a>`);
  });

  it('a re-evaluation while waiting moves the review to the new evaluation; the approval is recorded on that one', async () => {
    const s = await setup();
    const review = await requestApproval(s);
    const [first] = await s.store.listEvaluationsForSha(target, HEAD);
    expect(review.reportId).toBe(first?.id);

    // The loop evaluates the waiting review again; JIRA now has a new summary: a new evaluation row. The request
    // is already in Slack: not posted again.
    s.clock.now = new Date(T0.getTime() + 5 * 60_000);
    expectEvaluation(s, CONFIG, [readyTicket('PROJ-1', { summary: 'New checkout, reworded' })], { fields: false });
    expect(await s.harness.protectionLoop.tick()).toEqual({ queued: 1 });
    const evaluations = await s.store.listEvaluationsForSha(target, HEAD);
    expect(evaluations.map((e) => e.id)).toEqual([expect.any(Number), first?.id]);
    const newest = evaluations[0]?.id;
    expect(newest).not.toBe(first?.id);
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({ state: 'waiting', reportId: newest });

    expectAnswer(s);
    expectChecks();
    expectSlack(s, 'chat.update', { channel: CHANNEL, ts: MESSAGE_TS });
    expect(await click(s, clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'approve'))).toBe(200);
    await vi.waitFor(() => expect(callsOf(s, 'chat.update')).toHaveLength(1));
    // The updated request shows the evaluation the approval was given on.
    expect(JSON.stringify(callsOf(s, 'chat.update')[0]?.form['blocks'])).toContain('New checkout, reworded');
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({ state: 'approved', reportId: newest });
    const html = await (await fetch(`${s.harness.baseUrl}/deploys/acme/shop/${HEAD}`)).text();
    expect(html).toContain(`<a href="/deploys/acme/shop/${HEAD}?evaluation=${newest}">evaluation</a>`);
  });

  it('a non-approver’s click → an ephemeral “not allowed”, no answer to GitHub, the review still waits', async () => {
    const s = await setup();
    const review = await requestApproval(s);

    expectSlack(s, 'chat.postEphemeral', { message_ts: '1764583300.000100' });
    expect(await click(s, clickBody(review.id, { id: OTHER, username: 'mallory' }, 'approve'))).toBe(200);

    await vi.waitFor(() => expect(callsOf(s, 'chat.postEphemeral')).toHaveLength(1));
    const [note] = callsOf(s, 'chat.postEphemeral');
    expect(note?.form).toMatchObject({ channel: CHANNEL, user: OTHER });
    expect(String(note?.form['text'])).toContain('You are not allowed to decide this deploy; nothing was changed.');
    expect(s.answers).toEqual([]);
    expect(callsOf(s, 'chat.update')).toEqual([]);
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({ state: 'waiting', decidedBy: null, comment: null });
  });

  it('a double click (two signed approvals) → one answer to GitHub, one update, the second clicker told it was already decided', async () => {
    const s = await setup();
    const review = await requestApproval(s);

    expectAnswer(s);
    expectChecks();
    expectSlack(s, 'chat.update', { channel: CHANNEL, ts: MESSAGE_TS });
    expectSlack(s, 'chat.postEphemeral', { message_ts: '1764583300.000100' });
    const body = clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'approve');
    expect(await Promise.all([click(s, body), click(s, body)])).toEqual([200, 200]);

    await vi.waitFor(() => {
      expect(callsOf(s, 'chat.update')).toHaveLength(1);
      expect(callsOf(s, 'chat.postEphemeral')).toHaveLength(1);
    });
    expect(s.answers.map((a) => a.state)).toEqual(['approved']);
    expect(String(callsOf(s, 'chat.postEphemeral')[0]?.form['text'])).toBe('This deploy was already approved; your click changed nothing.');
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({ state: 'approved', decidedBy: `oncall (${ONCALL})` });
  });

  it('a wrong signature or a 6-minute-old timestamp → 401, and nothing is decided or sent', async () => {
    const s = await setup();
    const review = await requestApproval(s);
    const body = clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'approve');

    expect(await click(s, body, { secret: 'not-the-slack-signing-secret' })).toBe(401);
    const sixMinutesAgo = String(Math.floor(s.clock.now.getTime() / 1000) - 6 * 60);
    expect(await click(s, body, { timestamp: sixMinutesAgo })).toBe(401);
    const tampered = clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'reject');
    const timestamp = String(Math.floor(s.clock.now.getTime() / 1000));
    const res = await fetch(`${s.harness.baseUrl}/slack/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(timestamp, body),
      },
      body: tampered,
    });
    expect(res.status).toBe(401);

    // Nothing in flight: a later Approve is still the first decision (strict nock: no request was made before it).
    expect(s.answers).toEqual([]);
    expect(s.slack.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({ state: 'waiting', decidedBy: null });
  });

  it('an approver’s Reject → GitHub rejected with who rejected it in Slack, the message updated as rejected', async () => {
    const s = await setup();
    const review = await requestApproval(s);

    expectAnswer(s);
    expectChecks();
    expectSlack(s, 'chat.update', { channel: CHANNEL, ts: MESSAGE_TS });
    expect(await click(s, clickBody(review.id, { id: ONCALL, username: 'oncall' }, 'reject'))).toBe(200);

    await vi.waitFor(() => expect(callsOf(s, 'chat.update')).toHaveLength(1));
    expect(s.answers).toEqual([
      { environment_name: 'production', state: 'rejected', comment: `Rejected in Slack by oncall (${ONCALL}).\nReport: ${REPORT_URL}` },
    ]);
    const [updated] = callsOf(s, 'chat.update');
    expect(updated?.form).toMatchObject({ channel: CHANNEL, ts: MESSAGE_TS });
    expect(JSON.stringify(updated?.form['blocks'])).toContain('Deploy rejected');
    expect(buttonsOf(updated?.form ?? {})).toEqual([]);
    expect(await s.store.getProtectionReview(review.id)).toMatchObject({
      state: 'rejected',
      decidedBy: `oncall (${ONCALL})`,
      comment: `Rejected in Slack by oncall (${ONCALL}).\nReport: ${REPORT_URL}`,
    });
  });
});
