/**
 * The report page's "Deployment protection" section: the web handler on a real HTTP server with the in-memory
 * store (sign-in off), the SHA's protection reviews seeded beside its evaluations. Each review links the exact
 * evaluation it was decided on (or waits on) with `?evaluation=ID`, which serves that evaluation.
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepoRef } from '../../src/core/domain.js';
import type { ProtectionReview } from '../../src/store/protection-review-store.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { expectInert } from './expect-inert.js';
import { fakeSha, FIXTURE_REPO, IMG, makeReport, passingReport, SCRIPT } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const NOW = new Date('2024-05-02T09:00:00.000Z');
const SHA = makeReport().headSha;
const PATH = `/deploys/${FIXTURE_REPO.owner}/${FIXTURE_REPO.repo}/${SHA}`;

let server: RunningWebServer | null = null;
let store: InMemoryReportStore;

async function start(): Promise<RunningWebServer> {
  server = await startWebServer((baseUrl) => ({
    store,
    auth: { mode: 'off' },
    publicUrl: baseUrl,
    jiraWebhookSecret: null,
    recheck: async () => undefined,
    onTicketChanged: () => undefined,
    logger: silentLogger,
    now: () => NOW,
  }));
  return server;
}

async function page(path: string): Promise<string> {
  const res = await fetch(`${server?.baseUrl}${path}`, { redirect: 'manual' });
  expect(res.status).toBe(200);
  return res.text();
}

function review(overrides: Partial<Omit<ProtectionReview, 'id'>> = {}): Omit<ProtectionReview, 'id'> {
  return {
    repo: { ...FIXTURE_REPO } satisfies RepoRef,
    runId: 4_200_001,
    environment: 'production',
    sha: SHA,
    ref: 'main',
    installationId: 77,
    requestedBy: 'octocat',
    requestedAt: '2024-05-01T08:30:00.000Z',
    state: 'waiting',
    waitReason: null,
    waitDetail: null,
    reportId: null,
    approvers: [],
    decidedBy: null,
    decidedAt: null,
    comment: null,
    deliveredAt: null,
    deliveryAttempts: 0,
    lastError: null,
    nextAttemptAt: null,
    slackMessage: null,
    ...overrides,
  };
}

/** The section's table rows, in page order. */
function protectionRows(html: string): string[] {
  const section = /<section class="protection-reviews"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  return [...section.matchAll(/<tr class="protection-[a-z]+">[\s\S]*?<\/tr>/g)].map((m) => m[0]);
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  store = new InMemoryReportStore();
});

afterEach(async () => {
  await server?.close();
  server = null;
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('report page: deployment protection reviews', () => {
  it('lists the SHA’s reviews newest first, each linking the evaluation it was decided on, which that link serves', async () => {
    const failing = await store.saveReport(makeReport({ evaluatedAt: '2024-05-01T08:00:00.000Z' }));
    const passing = await store.saveReport(passingReport({ evaluatedAt: '2024-05-01T10:00:00.000Z', headSha: SHA }));
    store.addProtectionReview(
      review({
        environment: 'staging',
        state: 'rejected',
        reportId: failing,
        decidedBy: 'deploy-checker',
        decidedAt: '2024-05-01T08:31:00.000Z',
        deliveredAt: '2024-05-01T08:31:01.000Z',
        comment: 'Rejected: 1 problem: PAY-1 is In Progress',
      }),
    );
    store.addProtectionReview(
      review({
        runId: 4_200_002,
        requestedAt: '2024-05-01T10:05:00.000Z',
        state: 'approved',
        reportId: passing,
        approvers: ['U0ONCALL'],
        decidedBy: 'oncall (U0ONCALL)',
        decidedAt: '2024-05-01T10:07:00.000Z',
        deliveredAt: '2024-05-01T10:07:01.000Z',
        comment: 'Approved in Slack by oncall (U0ONCALL).',
      }),
    );
    store.addProtectionReview(review({ runId: 4_200_003, requestedAt: '2024-05-01T11:00:00.000Z', state: 'waiting', waitReason: 'approval' }));
    await start();

    const html = await page(PATH);
    expect(html).toContain('<h2 id="protection-reviews-title">Deployment protection</h2>');
    const rows = protectionRows(html);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('<td>Waiting — waiting for an approver in Slack</td>');
    expect(rows[0]).toContain('<td>—</td>\n</tr>');
    expect(rows[1]).toContain('<td>Approved</td>');
    expect(rows[1]).toContain('<td>oncall (U0ONCALL), 2024-05-01 10:07 UTC</td>');
    expect(rows[1]).toContain(`<a href="${PATH}?evaluation=${passing}">evaluation</a>`);
    expect(rows[2]).toContain('<td>staging</td>');
    expect(rows[2]).toContain('Rejected: 1 problem: PAY-1 is In Progress');
    expect(rows[2]).toContain(`<a href="${PATH}?evaluation=${failing}">evaluation</a>`);

    // The rejected review's link serves the evaluation it was rejected on, not the newest.
    const rejectedOn = await page(`${PATH}?evaluation=${failing}`);
    expect(rejectedOn).toContain('This is an earlier evaluation.');
    expect(rejectedOn).toContain('data-state="failure">1 problem');
    expect(protectionRows(rejectedOn)).toHaveLength(3);
  });

  it('shows no section for a SHA without reviews, and never another SHA’s or repository’s reviews', async () => {
    await store.saveReport(passingReport({ headSha: SHA }));
    const other = fakeSha('another-head');
    await store.saveReport(passingReport({ headSha: other }));
    store.addProtectionReview(review({ sha: other, state: 'approved', decidedBy: 'deploy-checker', decidedAt: '2024-05-01T10:00:00.000Z' }));
    store.addProtectionReview(review({ repo: { owner: 'acme', repo: 'web' }, state: 'rejected', comment: 'other repository' }));
    await start();

    const html = await page(PATH);
    expect(html).not.toContain('Deployment protection');
    expect(html).not.toContain('other repository');
    const otherPage = await page(`/deploys/${FIXTURE_REPO.owner}/${FIXTURE_REPO.repo}/${other}`);
    expect(protectionRows(otherPage)).toHaveLength(1);
  });

  it('escapes what comes from GitHub and Slack in the section', async () => {
    await store.saveReport(passingReport({ headSha: SHA }));
    store.addProtectionReview(
      review({
        environment: SCRIPT,
        requestedBy: IMG,
        state: 'rejected',
        decidedBy: `${SCRIPT} (U0EVE)`,
        decidedAt: '2024-05-01T10:00:00.000Z',
        comment: `${IMG} rejected`,
      }),
    );
    await start();

    const html = await page(PATH);
    expect(protectionRows(html)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; (U0EVE)');
    expectInert(html);
  });
});
