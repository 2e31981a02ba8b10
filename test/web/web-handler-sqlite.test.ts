/**
 * The web handler on the real store (SQLite in memory, through createReportStore and its migrations): the pages
 * read what the store wrote, the JSON is the report as stored, and JIRA deliveries are de-duplicated by the store.
 */
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { fakeSha, FIXTURE_REPO, history, makeReport, passingReport } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

let store: ReportStore;
let server: RunningWebServer;
let onTicketChanged: ReturnType<typeof vi.fn<(key: string) => void>>;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: silentLogger });
  onTicketChanged = vi.fn();
  server = await startWebServer((baseUrl) => ({
    store,
    auth: { mode: 'off' },
    publicUrl: baseUrl,
    jiraWebhookSecret: 'jira-secret',
    recheck: async () => {
      await store.saveReport(passingReport({ evaluatedAt: new Date().toISOString() }));
    },
    onTicketChanged,
    logger: silentLogger,
    options: { pageSize: 10 },
  }));
});

afterEach(async () => {
  await server.close();
  await store.close();
  const done = nock.isDone();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(done).toBe(true);
});

describe('web pages on the SQLite store', () => {
  it('lists, pages, serves JSON and ticket pages from what the store saved', async () => {
    for (const report of history(12)) await store.saveReport(report);
    const report = makeReport();
    await store.saveReport(report);

    const list = await (await fetch(`${server.baseUrl}/deploys`)).text();
    expect(list).toContain('<a href="/deploys/acme/payments">acme/payments</a>');

    const page2 = await (await fetch(`${server.baseUrl}/deploys/acme/payments?page=2`)).text();
    expect(page2).toContain('Page 2 of 2 (13 reports)');

    const json = await fetch(`${server.baseUrl}/deploys/acme/payments/${report.headSha}.json`);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(report);

    const ticket = await (await fetch(`${server.baseUrl}/tickets/PAY-2`)).text();
    expect(ticket).toContain('Reports containing PAY-2 <span class="badge plain">13</span>');
    expect(ticket).toContain('Summary of PAY-2');

    const missing = await fetch(`${server.baseUrl}/deploys/acme/payments/${fakeSha('none')}`);
    expect(missing.status).toBe(404);
  });

  it('re-checks and shows the newer report the callback saved', async () => {
    await store.saveReport(makeReport());
    const path = `/deploys/acme/payments/${makeReport().headSha}`;
    const first = await fetch(`${server.baseUrl}${path}`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const res = await fetch(`${server.baseUrl}${path}/recheck`, {
      method: 'POST',
      body: `csrf=${encodeURIComponent(token)}`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const after = await (await fetch(`${server.baseUrl}${res.headers.get('location') ?? ''}`, { headers: { cookie } })).text();
    expect(after).toContain('data-state="success">Passing<');
    expect((await store.getReport(FIXTURE_REPO, makeReport().headSha))?.state).toBe('success');
  });

  it('de-duplicates JIRA deliveries through the store', async () => {
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { key: 'PAY-1' } });
    const headers = {
      'content-type': 'application/json',
      'x-hub-signature': `sha256=${createHmac('sha256', 'jira-secret').update(body).digest('hex')}`,
      'x-atlassian-webhook-identifier': 'delivery-sqlite-1',
    };
    expect((await fetch(`${server.baseUrl}/jira/webhook`, { method: 'POST', body, headers })).status).toBe(202);
    expect((await fetch(`${server.baseUrl}/jira/webhook`, { method: 'POST', body, headers })).status).toBe(200);
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
    expect(onTicketChanged).toHaveBeenCalledWith('PAY-1');
  });
});

describe('short SHAs', () => {
  it('a unique prefix redirects to the full SHA (HTML and .json); an unknown or ambiguous one is a 404', async () => {
    const a = makeReport({ headSha: `abcdef1${'1'.repeat(33)}` });
    const b = makeReport({ headSha: `abcdef2${'2'.repeat(33)}` });
    await store.saveReport(a);
    await store.saveReport(b);

    const html = await fetch(`${server.baseUrl}/deploys/acme/payments/abcdef1?recheck=done`, { redirect: 'manual' });
    expect(html.status).toBe(302);
    expect(html.headers.get('location')).toBe(`/deploys/acme/payments/${a.headSha}?recheck=done`);
    const json = await fetch(`${server.baseUrl}/deploys/acme/payments/ABCDEF2.json`, { redirect: 'manual' });
    expect(json.status).toBe(302);
    expect(json.headers.get('location')).toBe(`/deploys/acme/payments/${b.headSha}.json`);

    expect((await fetch(`${server.baseUrl}/deploys/acme/payments/abcdef`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/deploys/acme/payments/0000000`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/deploys/acme/other/abcdef1`, { redirect: 'manual' })).status).toBe(404);
  });
});

describe('JSON of the list pages', () => {
  it('/deploys.json (or Accept: application/json), a repository history and a ticket page answer JSON', async () => {
    const report = makeReport();
    await store.saveReport(report);
    const repoName = `${report.repo.owner}/${report.repo.repo}`;

    const list = await fetch(`${server.baseUrl}/deploys.json`);
    expect(list.headers.get('content-type')).toContain('application/json');
    expect(await list.json()).toMatchObject({
      items: [{ repo: repoName, latest: { headSha: report.headSha, state: report.state }, pendingDeploy: { headSha: report.headSha }, lastShipment: null }],
      total: 1,
      page: 1,
      pageSize: 50,
    });
    const negotiated = await fetch(`${server.baseUrl}/deploys`, { headers: { accept: 'application/json' } });
    expect(negotiated.headers.get('vary')).toContain('Accept');
    expect(await negotiated.json()).toMatchObject({ items: [{ repo: repoName }], total: 1 });

    const history = await fetch(`${server.baseUrl}/deploys/${repoName}`, { headers: { accept: 'application/json' } });
    expect(await history.json()).toMatchObject({ repo: repoName, page: 1, total: 1, items: [{ headSha: report.headSha }] });

    const key = report.tickets[0]!.key;
    const ticket = await fetch(`${server.baseUrl}/tickets/${key}`, { headers: { accept: 'application/json' } });
    expect(await ticket.json()).toMatchObject({ key, reports: [{ headSha: report.headSha }], production: [], items: [], total: 0 });

    const missing = await fetch(`${server.baseUrl}/deploys/acme/nothing-here`, { headers: { accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found' });
  });
});
