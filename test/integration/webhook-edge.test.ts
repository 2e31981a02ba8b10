/**
 * The GitHub webhook edge, through the whole Probot app: a delivery repeated with the same X-GitHub-Delivery is
 * acted on once (with and without a store); malformed payloads are answered 400, logged, and nothing is enqueued;
 * a non-writer asking for rechecks gets one reply per pull request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { issueCommentPayload, pullRequestPayload, pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createMemoryLog } from '../helpers/memory-log.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 79 };
const PROD = fakeSha('edge-production');
const HEAD = fakeSha('edge-deploy');
const CONFIG = 'jira:\n  projects: [PROJ]\n';

useStrictNock();

let harness: Harness | null = null;
let store: ReportStore | null = null;
afterEach(async () => {
  await harness?.stop();
  await store?.close();
  harness = null;
  store = null;
});

describe('GitHub deliveries are de-duplicated by X-GitHub-Delivery', () => {
  it.each([
    { name: 'without a store (in-process)', withStore: false },
    { name: 'with a store', withStore: true },
  ])('$name: the same delivery five times posts one set of statuses', async ({ withStore }) => {
    store = withStore ? await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) }) : null;
    harness = await startHarness({ store });
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    gh.installationToken();
    gh.config(CONFIG);
    gh.branch('deploy', HEAD);
    gh.branch('production', PROD);
    gh.compare(PROD, HEAD, [{ sha: fakeSha('edge-c1'), message: 'PROJ-1: add login' }]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);

    const payload = pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD });
    for (let i = 0; i < 5; i++) {
      expect(await harness.deliver('push', payload, { deliveryId: 'delivery-replayed' })).toBe(200);
    }
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
    expect(harness.enqueued).toHaveLength(1);
  });
});

describe('malformed payloads are answered 400, logged, and never enqueued', () => {
  const withoutField = (field: string) => {
    const payload = pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD });
    delete payload[field];
    return payload;
  };

  it.each([
    { name: 'push without ref', event: 'push', payload: () => withoutField('ref'), field: 'ref' },
    { name: 'push without repository', event: 'push', payload: () => withoutField('repository'), field: 'repository' },
    {
      name: 'pull_request without pull_request.number',
      event: 'pull_request',
      payload: () => {
        const p = pullRequestPayload(target, 'opened', { number: 12, title: 'PROJ-1: x', headRef: 'f', headSha: HEAD, baseRef: 'main' });
        delete p.pull_request.number;
        return p;
      },
      field: 'pull_request.number',
    },
    {
      name: 'issue_comment without comment.body',
      event: 'issue_comment',
      payload: () => {
        const p = issueCommentPayload(target, { id: 9, body: '/deploy-checker recheck', login: 'alice', prNumber: 12 });
        delete p.comment.body;
        return p;
      },
      field: 'comment.body',
    },
  ])('$name', async ({ event, payload, field }) => {
    const log = createMemoryLog();
    harness = await startHarness({ logger: pino({ level: 'info' }, log.stream) });
    expect(await harness.deliver(event, payload())).toBe(400);
    expect(harness.enqueued).toEqual([]);
    const refusal = log.lines().find((line) => line['msg'] === 'webhook refused with 400: malformed payload');
    expect(refusal?.['event']).toBe(event);
    expect(String((refusal?.['problems'] as string[] | undefined)?.[0])).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
  });
});

describe('/deploy-checker recheck from someone without write access', () => {
  it('gets one reply per pull request, however often they ask', async () => {
    harness = await startHarness();
    const gh = mockGitHub(target);
    const bodies: string[] = [];
    gh.installationToken();
    for (let i = 0; i < 3; i++) gh.permission('mallory', 'read');
    gh.comment(12, bodies);
    for (const id of [601, 602, 603]) {
      expect(await harness.deliver('issue_comment', issueCommentPayload(target, { id, body: '/deploy-checker recheck', login: 'mallory', prNumber: 12 }))).toBe(
        200,
      );
    }
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatch(/^@mallory thanks for asking!/);
    expect(gh.statuses).toEqual([]);
  });
});
