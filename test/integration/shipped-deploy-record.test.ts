/**
 * A deploy shipped while its check was failing keeps its record: when production reaches the deploy head, the head
 * keeps its pre-ship evaluation (tickets, problems, commits) and its status, and the Slack announcement says it
 * shipped with unresolved problems. Whole app, real SQLite store, strict nock.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 93 };
const PROD = fakeSha('ship-prod');
const HEAD = fakeSha('ship-head');
const CONFIG = 'jira:\n  projects: [PROJ]\nslack:\n  channel: C0DEPLOYS\n';
const commits = [
  { sha: fakeSha('ship-c1'), message: 'PROJ-101: checkout' },
  { sha: fakeSha('ship-c2'), message: 'PROJ-103: search' },
];

useStrictNock();

let harness: Harness;
let store: ReportStore;
beforeEach(async () => {
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  harness = await startHarness({ store, slack: true });
});
afterEach(async () => {
  await harness.stop();
  await store.close();
});

it('a failing deploy that ships keeps its evaluation and status, and Slack says it shipped with unresolved problems', async () => {
  const gh = mockGitHub(target);
  const jira = mockJiraCloud(JIRA_URL);
  const tickets = [readyTicket('PROJ-101'), readyTicket('PROJ-103', { status: 'In Progress' })];

  // 1. The deploy branch is checked: PROJ-103 is In Progress → failure.
  gh.installationToken();
  gh.config(CONFIG);
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, commits);
  jira.fields();
  jira.bulkfetch(tickets);
  gh.status(HEAD, 2);
  await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
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
});
