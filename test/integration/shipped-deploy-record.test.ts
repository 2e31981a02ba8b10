/**
 * A deploy shipped while its check was failing keeps its record: when production reaches the deploy head, the head
 * keeps its pre-ship evaluation (tickets, problems, commits) and its status, a shipment is recorded (with or
 * without Slack, once per move), and the Slack announcement says it shipped with unresolved problems. Whole app,
 * real SQLite store, strict nock.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { deploymentStatusPayload, pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 93 };
const PROD = fakeSha('ship-prod');
const HEAD = fakeSha('ship-head');
const CONFIG = 'jira:\n  projects: [PROJ]\nslack:\n  channel: C0DEPLOYS\n';
const CONFIG_WITHOUT_SLACK = 'jira:\n  projects: [PROJ]\n';
const DEPLOYMENT_CONFIG = `${CONFIG_WITHOUT_SLACK}deploy:\n  signal: deployment\n  environment: production\n`;
const commits = [
  { sha: fakeSha('ship-c1'), message: 'PROJ-101: checkout' },
  { sha: fakeSha('ship-c2'), message: 'PROJ-103: search' },
];

useStrictNock();

let harness: Harness;
let store: ReportStore;
beforeEach(async () => {
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
});
afterEach(async () => {
  await harness.stop();
  await store.close();
});

/** The deploy branch is checked: PROJ-103 is In Progress → failure. */
async function checkFailingDeploy(gh: ReturnType<typeof mockGitHub>, jira: ReturnType<typeof mockJiraCloud>, config: string) {
  gh.installationToken();
  gh.config(config);
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  jira.fields();
  jira.bulkfetch(tickets);
  gh.status(HEAD, 2);
  await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
}

const tickets = [readyTicket('PROJ-101'), readyTicket('PROJ-103', { status: 'In Progress' })];

it('a failing deploy that ships keeps its evaluation and status, and Slack says it shipped with unresolved problems', async () => {
  harness = await startHarness({ store, slack: true });
  const gh = mockGitHub(target);
  const jira = mockJiraCloud(JIRA_URL);

  // 1. The deploy branch is checked: PROJ-103 is In Progress → failure.
  await checkFailingDeploy(gh, jira, CONFIG);
  const before = await store.getReport(target, HEAD);
  expect(before?.findings.map((f) => f.summary)).toEqual(['PROJ-103 is In Progress']);

  // 2. Someone ships it anyway: production moves to the deploy head.
  const messages: Record<string, unknown>[] = [];
  nock('https://slack.test')
    .post('/api/chat.postMessage', (body: Record<string, unknown>) => (messages.push(body), true))
    .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1700000000.000900' });
  gh.config(CONFIG);
  gh.branch('deploy', HEAD);
  gh.branch('production', HEAD);
  gh.compare(HEAD, HEAD, []);
  gh.branch('production', HEAD);
  gh.compare(PROD, HEAD, commits);
  jira.bulkfetch(tickets);
  await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: HEAD, before: PROD }));

  // No status is posted over the failure (no "Nothing to deploy" success), and the record is the pre-ship one.
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
  const after = await store.getReport(target, HEAD);
  expect(after?.state).toBe('failure');
  expect(after?.tickets.map((t) => t.key)).toEqual(['PROJ-101', 'PROJ-103']);
  expect(after?.commits).toHaveLength(2);
  expect(after?.findings.map((f) => f.summary)).toEqual(['PROJ-103 is In Progress']);

  expect(messages).toHaveLength(1);
  const blocks = JSON.stringify(messages[0]!['blocks']);
  expect(blocks).toContain('Shipped with 1 unresolved problem:* PROJ-103 is In Progress');
  expect(String(messages[0]!['text'])).toContain('Shipped with 1 unresolved problem.');

  // The move is recorded, with the evaluation it shipped with.
  expect(await store.latestShipment(target)).toMatchObject({
    fromSha: PROD,
    toSha: HEAD,
    checkState: 'failure',
    problemCount: 1,
    problems: ['PROJ-103 is In Progress'],
    ticketKeys: ['PROJ-101', 'PROJ-103'],
  });

  // The pages say the same. The shipped SHA's report (HTML and JSON) still lists its tickets, problems and commits.
  const page = await fetch(`${harness.baseUrl}/deploys/acme/shop/${HEAD}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('PROJ-103 is In Progress');
  expect(html).toContain('PROJ-101');
  expect(html).toMatch(/shipped with 1 unresolved problem/i);
  const json = (await (await fetch(`${harness.baseUrl}/deploys/acme/shop/${HEAD}.json`)).json()) as Record<string, unknown>;
  const report = (json['report'] ?? json) as { state: string; tickets: { key: string }[]; findings: { summary: string }[]; commits: unknown[] };
  expect(report.state).toBe('failure');
  expect(report.tickets.map((t) => t.key)).toEqual(['PROJ-101', 'PROJ-103']);
  expect(report.findings.map((f) => f.summary)).toEqual(['PROJ-103 is In Progress']);
  expect(report.commits).toHaveLength(2);

  // The ticket page warns: in production with a problem, while JIRA still says In Progress.
  const ticketPage = await (await fetch(`${harness.baseUrl}/tickets/PROJ-103`)).text();
  expect(ticketPage).toMatch(/shipped with 1 unresolved problem/i);
  expect(ticketPage).toContain('In Progress');

  // /shipments (the morning page: the last 24 hours) lists it, flagged, in HTML and JSON.
  const shipments = await (await fetch(`${harness.baseUrl}/shipments`)).text();
  expect(shipments).toContain('acme/shop');
  expect(shipments).toMatch(/shipped with 1 unresolved problem/i);
  const shipmentsJson = (await (await fetch(`${harness.baseUrl}/shipments.json`)).json()) as {
    items: { toSha: string; checkState: string; problemCount: number }[];
    total: number;
  };
  expect(shipmentsJson.total).toBe(1);
  expect(shipmentsJson.items[0]).toMatchObject({ toSha: HEAD, checkState: 'failure', problemCount: 1 });

  // /deploys shows the last shipment of the repository with the flag.
  const deploys = await (await fetch(`${harness.baseUrl}/deploys`)).text();
  expect(deploys).toMatch(/shipped with 1 unresolved problem/i);
});

it('the production push records a shipment of the failing evaluation, also without Slack, once per move; a forced push back is a rollback', async () => {
  harness = await startHarness({ store });
  const gh = mockGitHub(target);
  const jira = mockJiraCloud(JIRA_URL);
  await checkFailingDeploy(gh, jira, CONFIG_WITHOUT_SLACK);
  const [evaluation] = await store.listEvaluationsForSha(target, HEAD);

  const shipIt = async () => {
    gh.config(CONFIG_WITHOUT_SLACK);
    gh.branch('deploy', HEAD);
    gh.branch('production', HEAD);
    gh.compare(HEAD, HEAD, []);
    // A fresh delivery id each time: the delivery gate lets a replay through, the store's unique key does not.
    await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/production', after: HEAD, before: PROD }));
  };
  await shipIt();
  await shipIt();

  const { items, total } = await store.listShipments({ limit: 10, offset: 0 });
  expect(total).toBe(1);
  expect(items[0]).toMatchObject({
    repo: { owner: 'acme', repo: 'shop' },
    fromSha: PROD,
    toSha: HEAD,
    source: 'push',
    shippedBy: 'Codertocat',
    evaluationId: evaluation!.id,
    checkState: 'failure',
    problemCount: 1,
    problems: ['PROJ-103 is In Progress'],
    ticketKeys: ['PROJ-101', 'PROJ-103'],
    rollback: false,
  });
  expect((await store.shipmentsForTicket('PROJ-103')).map((s) => s.id)).toEqual([items[0]!.id]);
  // The head keeps its pre-ship evaluation and status: no second evaluation, no status over the failure.
  expect(await store.listEvaluationsForSha(target, HEAD)).toHaveLength(1);
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'failure']);

  // Production is forced back to where it was: a rollback, to a SHA that was never checked as a deploy.
  gh.config(CONFIG_WITHOUT_SLACK);
  gh.compare(HEAD, PROD, [], { status: 'behind', aheadBy: 0, behindBy: 2 });
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  jira.bulkfetch(tickets);
  const rollback = pushPayload(target, { ref: 'refs/heads/production', after: PROD, before: HEAD });
  rollback['forced'] = true;
  await harness.deliver('push', rollback);
  expect(await store.latestShipment(target)).toMatchObject({
    fromSha: HEAD,
    toSha: PROD,
    rollback: true,
    checkState: 'never-checked',
    evaluationId: null,
    problemCount: 0,
    ticketKeys: [],
  });
  // The deploy re-check saw what it saw before: the same evaluation, no new row, no new status.
  expect(await store.listEvaluationsForSha(target, HEAD)).toHaveLength(1);
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
});

it('deploy.signal: deployment — a successful deployment_status records one shipment without Slack; a second status adds none', async () => {
  harness = await startHarness({ store });
  const gh = mockGitHub(target);
  const jira = mockJiraCloud(JIRA_URL);
  await checkFailingDeploy(gh, jira, DEPLOYMENT_CONFIG);

  gh.config(DEPLOYMENT_CONFIG);
  await harness.deliver('deployment_status', deploymentStatusPayload(target, { state: 'in_progress', environment: 'production', sha: HEAD }));
  expect(await store.latestShipment(target)).toBeNull();

  for (let delivery = 0; delivery < 2; delivery++) {
    gh.config(DEPLOYMENT_CONFIG);
    await harness.deliver(
      'deployment_status',
      deploymentStatusPayload(target, { state: 'success', environment: 'production', sha: HEAD, creator: 'oncall', createdAt: '2026-11-20T12:00:00Z' }),
    );
  }

  const { items, total } = await store.listShipments({ limit: 10, offset: 0 });
  expect(total).toBe(1);
  expect(items[0]).toMatchObject({
    fromSha: null,
    toSha: HEAD,
    source: 'deployment_status',
    environment: 'production',
    shippedBy: 'oncall',
    shippedAt: '2026-11-20T12:00:00.000Z',
    checkState: 'failure',
    problemCount: 1,
    ticketKeys: ['PROJ-101', 'PROJ-103'],
  });
});
