/**
 * Stored reports, JIRA-driven re-checks and Slack announcements, end to end through the whole app: signed GitHub
 * webhooks, a signed JIRA webhook, a real SQLite store, and GitHub / JIRA / Slack mocked strictly with nock.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub, GITHUB_API, type FakeCommit } from '../helpers/github-mock.js';
import { EMPTY_ADF, adf, mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { deploymentStatusPayload, pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 91 };
const PROD = fakeSha('ra-prod');
const HEAD = fakeSha('ra-head');
const JIRA_SECRET = 'jira-webhook-secret-0123456789';
const CONFIG = 'jira:\n  projects: [PROJ]\nslack:\n  channel: C0DEPLOYS\n';

useStrictNock();

let harness: Harness;
let store: ReportStore;
let gh: ReturnType<typeof mockGitHub>;
let jira: ReturnType<typeof mockJiraCloud>;

beforeEach(async () => {
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  harness = await startHarness({ store, slack: true, env: { JIRA_WEBHOOK_SECRET: JIRA_SECRET } });
  gh = mockGitHub(target);
  jira = mockJiraCloud(JIRA_URL);
});
afterEach(async () => {
  await harness.stop();
  await store.close();
});

const commit = (n: number, message: string): FakeCommit => ({ sha: fakeSha(`ra-c${n}`), message });

/** Waits for the re-checks a JIRA webhook started (the webhook answers before they run). */
async function jiraRechecksDone(): Promise<void> {
  await harness.reevaluator.idle();
  await harness.queue.onIdle();
}

function sendJiraWebhook(body: unknown, options: { id?: string; secret?: string | null } = {}) {
  const raw = JSON.stringify({ timestamp: Date.now(), ...(body as object) });
  const secret = options.secret === undefined ? JIRA_SECRET : options.secret;
  return fetch(`${harness.baseUrl}/jira/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-atlassian-webhook-identifier': options.id ?? randomUUID(),
      ...(secret ? { 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` } : {}),
    },
    body: raw,
  });
}

/** `statuses`: 2 for a first check (pending, final); 1 for a re-check of a head that shows a final status. */
function expectDeployCheck(commits: FakeCommit[], statuses = 2) {
  gh.config(CONFIG);
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  gh.status(HEAD, statuses);
}

describe('reports and JIRA-driven re-checks', () => {
  it('stores the report; fixing the ticket in JIRA flips the status without a push; duplicates and bad signatures do nothing', async () => {
    gh.installationToken();
    expectDeployCheck([commit(1, 'PROJ-12: checkout')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-12', { risk: EMPTY_ADF })]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
    expect(gh.statuses.at(-1)).toMatchObject({ state: 'failure', description: '1 problem: PROJ-12 has no risk assessment' });
    const stored = await store.getReport({ owner: 'acme', repo: 'shop' }, HEAD);
    expect(stored).toMatchObject({ state: 'failure', trigger: 'push', headSha: HEAD, baseSha: PROD });
    expect(stored?.tickets.map((t) => t.key)).toEqual(['PROJ-12']);

    // The report page serves it (WEB_AUTH=off in the harness), as HTML and JSON.
    const page = await fetch(`${harness.baseUrl}/deploys/acme/shop/${HEAD}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('PROJ-12 has no risk assessment');
    const json = await fetch(`${harness.baseUrl}/deploys/acme/shop/${HEAD}`, { headers: { accept: 'application/json' } });
    expect(await json.json()).toMatchObject({ headSha: HEAD, state: 'failure' });

    // Wrong or missing signature: 401 and nothing happens (strict nock would fail on any request).
    expect((await sendJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { key: 'PROJ-12' } }, { secret: 'wrong-secret-wrong-secret' })).status).toBe(
      401,
    );
    expect((await sendJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { key: 'PROJ-12' } }, { secret: null })).status).toBe(401);
    await harness.queue.onIdle();
    expect(gh.statuses).toHaveLength(2);

    // The risk assessment is filled in JIRA: its webhook re-checks the deploy.
    nock(GITHUB_API).get('/repos/acme/shop/installation').reply(200, { id: target.installationId });
    expectDeployCheck([commit(1, 'PROJ-12: checkout')], 1);
    jira.bulkfetch([readyTicket('PROJ-12', { risk: adf('Low: behind a flag') })]);
    const delivery = randomUUID();
    const res = await sendJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { key: 'PROJ-12' } }, { id: delivery });
    expect(res.status).toBeLessThan(300);
    await jiraRechecksDone();
    // The head already shows a final status: the re-check never turns it back to pending, it posts the new outcome.
    expect(gh.statuses.slice(2).map((s) => [s.state, s.description])).toEqual([['success', 'All clear: 1 ticket ready, 1 commit checked']]);
    expect(await store.getReport({ owner: 'acme', repo: 'shop' }, HEAD)).toMatchObject({ state: 'success', trigger: 'jira' });

    // The same delivery again: one re-evaluation only.
    expect((await sendJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { key: 'PROJ-12' } }, { id: delivery })).status).toBeLessThan(300);
    await jiraRechecksDone();
    expect(gh.statuses).toHaveLength(3);
  });
});

describe('Slack announcements', () => {
  const BEFORE = fakeSha('ra-before');

  it('a production push is announced once; a redelivery of the same push posts nothing more', async () => {
    const messages: Record<string, unknown>[] = [];
    nock('https://slack.test')
      .post('/api/chat.postMessage', (body: Record<string, unknown>) => (messages.push(body), true))
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1700000000.000100' });
    const shipped = [commit(1, 'PROJ-1: new checkout'), commit(2, 'PROJ-2: faster search'), commit(3, 'typo')];

    for (const round of [1, 2]) {
      if (round === 1) gh.installationToken();
      // The deploy check re-runs because production moved …
      gh.config(CONFIG);
      gh.branch('deploy', HEAD);
      gh.branch('production', HEAD);
      gh.compare(HEAD, HEAD, []);
      // The redelivery re-evaluates to the same outcome: it posts no status at all (no pending, no duplicate).
      if (round === 1) gh.status(HEAD, 2);
      // … and the deploy is announced: production is still at the pushed SHA.
      gh.branch('production', HEAD);
      if (round === 1) {
        gh.compare(BEFORE, HEAD, shipped);
        jira.fields();
        jira.bulkfetch([readyTicket('PROJ-1', { level: undefined }), readyTicket('PROJ-2', { risk: adf('High: touches payments') })]);
      }
      await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: HEAD, before: BEFORE }));
    }

    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message['channel']).toBe('C0DEPLOYS');
    expect(String(message['text'])).toContain('acme/shop');
    const blocks = JSON.stringify(message['blocks']);
    // The high-risk story comes first, with its post-deploy checks.
    expect(blocks.indexOf('PROJ-2')).toBeLessThan(blocks.indexOf('PROJ-1'));
    expect(blocks).toContain('Open the login page');
    const [record] = await store.announcementsForSha({ owner: 'acme', repo: 'shop' }, HEAD);
    expect(record).toMatchObject({ fromSha: BEFORE, toSha: HEAD, state: 'posted', messageTs: '1700000000.000100', ticketKeys: ['PROJ-1', 'PROJ-2'] });
  });

  it('deploy.signal: deployment — a successful deployment_status is announced once; the push and other states are not', async () => {
    const config = `${CONFIG}deploy:\n  signal: deployment\n  environment: Production\n`;
    const PREVIOUS = fakeSha('ra-previous-deploy');
    const messages: Record<string, unknown>[] = [];
    nock('https://slack.test')
      .post('/api/chat.postMessage', (body: Record<string, unknown>) => (messages.push(body), true))
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1700000000.000200' });

    // A push to production re-checks the deploy but is not the deploy signal here.
    gh.installationToken();
    gh.config(config);
    gh.branch('deploy', HEAD);
    gh.branch('production', HEAD);
    gh.compare(HEAD, HEAD, []);
    gh.status(HEAD, 2);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: HEAD, before: BEFORE }));

    // In progress: nothing. Another environment: nothing.
    gh.config(config, 2);
    await harness.deliver('deployment_status', deploymentStatusPayload(target, { state: 'in_progress', environment: 'production', sha: HEAD }));
    await harness.deliver('deployment_status', deploymentStatusPayload(target, { state: 'success', environment: 'staging', sha: HEAD }));
    expect(messages).toEqual([]);

    // Success in production: the first deploy known to the store starts at the previous deployment.
    gh.config(config);
    nock(GITHUB_API)
      .get('/repos/acme/shop/deployments')
      .query({ environment: 'production', per_page: '30' })
      .reply(200, [
        { id: 2, sha: HEAD },
        { id: 1, sha: PREVIOUS },
      ]);
    gh.compare(PREVIOUS, HEAD, [commit(1, 'PROJ-7: dark mode')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-7')]);
    await harness.deliver('deployment_status', deploymentStatusPayload(target, { state: 'success', environment: 'production', sha: HEAD, creator: 'oncall' }));

    // A redelivery of the same success posts nothing more (and rebuilds nothing).
    gh.config(config);
    await harness.deliver('deployment_status', deploymentStatusPayload(target, { state: 'success', environment: 'production', sha: HEAD, creator: 'oncall' }));

    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!['blocks'])).toContain('PROJ-7');
    expect(await store.announcementsForSha({ owner: 'acme', repo: 'shop' }, HEAD)).toMatchObject([
      { fromSha: PREVIOUS, toSha: HEAD, state: 'posted', ticketKeys: ['PROJ-7'] },
    ]);
  });

  it('GitHub refusing the deploy re-check status does not cost the production push its announcement', async () => {
    const messages: Record<string, unknown>[] = [];
    nock('https://slack.test')
      .post('/api/chat.postMessage', (body: Record<string, unknown>) => (messages.push(body), true))
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1700000000.000300' });
    gh.installationToken();
    gh.config(CONFIG);
    gh.branch('deploy', HEAD);
    gh.branch('production', HEAD);
    gh.compare(HEAD, HEAD, []);
    nock(GITHUB_API).post(`/repos/acme/shop/statuses/${HEAD}`).times(2).reply(500, { message: 'Server Error' });
    gh.branch('production', HEAD);
    gh.compare(BEFORE, HEAD, [commit(1, 'PROJ-1: new checkout')]);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: HEAD, before: BEFORE }));
    expect(messages).toHaveLength(1);
  });
});
