/**
 * A real browser (Chromium via playwright-core; which one: test/helpers/launch-test-chromium.ts) against the web handler on 127.0.0.1, with a tiny fake GitHub
 * on another local port (OAuth authorize → immediate redirect back with a code, access_token, /user,
 * /repos/:owner/:repo). Signs in, reads a report with problems, clicks "Re-check now", sees the new state; hostile
 * markup stays inert (no dialog fires); a shipped report and /deploys show the "shipped with problems" flag without
 * console errors; an unreadable repository is refused. Screenshots go to test-output/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport, RepoRef } from '../../src/core/domain.js';
import { reportPath } from '../../src/core/report-path.js';
import { CHROMIUM_LAUNCH_TIMEOUT_MS, launchTestChromium } from '../helpers/launch-test-chromium.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { fakeSha, FIXTURE_REPO, hostileReport, makeCommit, makeReport, makeReportTicket, makeTicket } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outputDir = path.join(repoRoot, 'test-output');
const SECRET_REPO: RepoRef = { owner: 'acme', repo: 'secret-vault' };
const CLIENT_ID = 'Iv1.browser-test';
const CLIENT_SECRET = 'browser-client-secret';
const USER_TOKEN = 'gho_browser_user';

/** A deploy with a realistic mix of problems. */
function failingDeploy(): DeployReport {
  const c = [
    makeCommit(fakeSha('b1'), 'PAY-101 Add partial refunds to the refunds API\n\nSupports refunding a part of a capture.', { authorLogin: 'dana' }),
    makeCommit(fakeSha('b2'), 'PAY-101 Refunds: validate the amount against the capture', { authorLogin: 'dana' }),
    makeCommit(fakeSha('b3'), 'PAY-117 Switch payout IBAN validation to the new library', { authorLogin: 'lee' }),
    makeCommit(fakeSha('b4'), 'OPS-42 Raise the payments worker memory limit', { authorLogin: 'sam' }),
    makeCommit(fakeSha('b5'), 'Fix flaky settlement test', { authorLogin: 'kim' }),
    makeCommit(fakeSha('b6'), 'Bump pg from 8.11.3 to 8.12.0', { authorLogin: 'renovate[bot]', authorName: 'Renovate Bot' }),
  ];
  const head = c[5] as (typeof c)[number];
  return makeReport({
    headSha: head.sha,
    commits: c,
    tickets: [
      makeReportTicket(
        'PAY-101',
        [fakeSha('b1'), fakeSha('b2')],
        makeTicket('PAY-101', {
          summary: 'Partial refunds for card payments',
          status: 'Ready for Deploy',
          assignee: 'Dana Developer',
          riskLevel: 'Medium',
          riskAssessment: [
            { type: 'paragraph', text: 'Medium: touches the refund path. Behind the flag payments.partial_refunds (off by default).' },
            { type: 'heading', text: 'Rollback' },
            { type: 'list', ordered: false, items: ['Turn the flag off', 'Redeploy the previous production SHA if needed'] },
          ],
          postDeployChecks: [
            {
              type: 'list',
              ordered: true,
              items: ['Refund 1.00 EUR of a test capture in the admin', 'Watch refund error rate on the payments dashboard for 30 min'],
            },
            { type: 'code', text: 'kubectl -n payments logs deploy/refunds | grep -i error' },
          ],
        }),
      ),
      makeReportTicket(
        'PAY-117',
        [fakeSha('b3')],
        makeTicket('PAY-117', {
          summary: 'Payout IBAN validation rejects valid Maltese IBANs',
          type: 'Bug',
          status: 'In Review',
          assignee: 'Lee Reviewer',
          riskAssessment: [],
          postDeployChecks: [],
          riskLevel: null,
        }),
      ),
      makeReportTicket('OPS-42', [fakeSha('b4')], null),
    ],
    commitsWithoutTicket: [
      { sha: fakeSha('b5'), exemptReason: null },
      { sha: fakeSha('b6'), exemptReason: 'dependency update by renovate[bot]' },
    ],
    findings: [
      {
        rule: 'ticket-status',
        summary: 'PAY-117 is "In Review"',
        fix: 'Finish the review and move PAY-117 to "Ready for Deploy", or take its commit out of the deploy.',
        ticketKey: 'PAY-117',
      },
      {
        rule: 'risk-assessment',
        summary: 'PAY-117 has no risk assessment',
        fix: 'Fill in "Risk Assessment" in PAY-117: what can break and how to roll back.',
        ticketKey: 'PAY-117',
      },
      {
        rule: 'post-deploy-checks',
        summary: 'PAY-117 has no post-deploy checks',
        fix: 'Fill in "Post-Deploy Checks" in PAY-117: what to verify in production after the deploy.',
        ticketKey: 'PAY-117',
      },
      {
        rule: 'unknown-ticket',
        summary: 'OPS-42 is not a JIRA ticket',
        fix: 'Check the key in the commit message of 7334000; create the ticket if it is missing.',
        ticketKey: 'OPS-42',
      },
      {
        rule: 'commit-without-ticket',
        summary: `${fakeSha('b5').slice(0, 7)} references no ticket`,
        fix: 'Reword the commit with a ticket key (e.g. "PAY-123 Fix flaky settlement test"), or exempt it in .github/deploy-checker.yml.',
        commitSha: fakeSha('b5'),
      },
    ],
    compare: { status: 'ahead', aheadBy: 6, behindBy: 0 },
    statusDescription: '5 problems: PAY-117 is "In Review" (+4 more)',
    evaluatedAt: new Date(Date.now() - 12 * 60_000).toISOString(),
  });
}

function passingAfterRecheck(before: DeployReport): DeployReport {
  return {
    ...before,
    state: 'success',
    findings: [],
    trigger: 'recheck',
    evaluatedAt: new Date().toISOString(),
    statusDescription: 'All 3 tickets ready; 1 exempt commit',
    tickets: before.tickets.map((t) =>
      t.key === 'OPS-42' ? makeReportTicket('OPS-42', t.commitShas) : t.key === 'PAY-117' ? makeReportTicket('PAY-117', t.commitShas) : t,
    ),
    commitsWithoutTicket: before.commitsWithoutTicket.filter((c) => c.exemptReason !== null),
  };
}

/** Fake GitHub: OAuth authorize/token, /api/v3/user, /api/v3/repos/:o/:r. */
function fakeGitHub(readable: readonly RepoRef[]): Server {
  const codes = new Set<string>();
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake-github');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== CLIENT_ID || !redirectUri) return json(400, { error: 'bad client' });
      const code = `code-${codes.size + 1}`;
      codes.add(code);
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Record<string, string>;
        const ok = body['client_id'] === CLIENT_ID && body['client_secret'] === CLIENT_SECRET && codes.delete(body['code'] ?? '');
        json(200, ok ? { access_token: USER_TOKEN, token_type: 'bearer', expires_in: 28800 } : { error: 'bad_verification_code' });
      });
      return;
    }
    if (req.headers.authorization !== `Bearer ${USER_TOKEN}`) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/api/v3/user') return json(200, { login: 'dana', id: 7 });
    const repoMatch = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (repoMatch && readable.some((r) => r.owner === repoMatch[1] && r.repo === repoMatch[2]))
      return json(200, { full_name: `${repoMatch[1]}/${repoMatch[2]}`, permissions: { pull: true, push: true } });
    return json(404, { message: 'Not Found' });
  });
}

let browser: Browser;
let github: Server;
let web: RunningWebServer;
let store: InMemoryReportStore;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const deploy = failingDeploy();
const hostile = hostileReport({ headSha: fakeSha('hostile') });
/** An earlier deploy that shipped while failing (two evaluations; the newer one is linked from the shipment). */
const shipped = { ...failingDeploy(), headSha: fakeSha('shipped'), evaluatedAt: '2024-04-30T09:00:00.000Z', highRiskKeys: ['PAY-101'] };
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(outputDir, { recursive: true });
  store = new InMemoryReportStore();
  await store.saveReport(deploy);
  await store.saveReport(hostile);
  await store.saveReport({ ...shipped, evaluatedAt: '2024-04-30T08:00:00.000Z', trigger: 'push' });
  const shippedId = await store.saveReport(shipped);
  store.addShipment({
    repo: FIXTURE_REPO,
    fromSha: fakeSha('prod0'),
    toSha: shipped.headSha,
    source: 'push',
    environment: null,
    shippedBy: 'sam',
    shippedAt: '2024-04-30T10:00:00.000Z',
    evaluationId: shippedId,
    checkState: 'failure',
    problemCount: shipped.findings.length,
    problems: shipped.findings.map((f) => f.summary),
    ticketKeys: shipped.tickets.map((t) => t.key),
    highRiskKeys: ['PAY-101'],
    rollback: false,
  });
  await store.saveReport(makeReport({ repo: SECRET_REPO, headSha: fakeSha('secret'), statusDescription: 'TOP-SECRET status' }));
  github = fakeGitHub([FIXTURE_REPO]);
  await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
  const githubBase = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
  web = await startWebServer((baseUrl) => ({
    store,
    auth: {
      mode: 'github',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      sessionSecret: 'browser-test-session-secret-0123456789abcdef',
      githubWebUrl: githubBase,
      githubApiUrl: `${githubBase}/api/v3`,
    },
    publicUrl: baseUrl,
    jiraWebhookSecret: null,
    recheck: async (repo, sha) => {
      const current = await store.getReport(repo, sha);
      if (current) await store.saveReport(passingAfterRecheck(current));
    },
    onTicketChanged: () => undefined,
    logger: silentLogger,
  }));
  browser = await launchTestChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, CHROMIUM_LAUNCH_TIMEOUT_MS);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await web?.close();
  await new Promise<void>((resolve) => (github ? github.close(() => resolve()) : resolve()));
});

describe('report page in a real browser', () => {
  it('signs in through GitHub, lists problems first, re-checks and shows the new state', async () => {
    const target = `${web.baseUrl}${reportPath(FIXTURE_REPO, deploy.headSha)}`;
    const response = await page.goto(target);
    // Went /login → fake GitHub authorize → /login/callback → back to the report.
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(target);
    await expect.poll(() => page.locator('header.top .who').innerText()).toContain('dana');

    await expect.poll(() => page.locator('.banner .state').innerText()).toBe('5 problems');
    // Problems come before the tickets, on screen too.
    const problemsTop = (await page.locator('#problems').boundingBox())?.y ?? Infinity;
    const ticketsTop = (await page.locator('#tickets').boundingBox())?.y ?? -Infinity;
    expect(problemsTop).toBeLessThan(ticketsTop);
    const problemTexts = await page.locator('ol.problems > li .summary').allInnerTexts();
    expect(problemTexts).toHaveLength(5);
    expect(problemTexts[0]).toContain('OPS-42 is not a JIRA ticket');
    expect(await page.locator('ol.problems > li .fix').first().innerText()).toContain('create the ticket');
    // The ticket with problems is listed first and links to JIRA.
    expect(await page.locator('article.ticket').first().getAttribute('id')).toBe('ticket-PAY-117');
    expect(await page.locator('#ticket-PAY-101 a.key').getAttribute('href')).toBe('https://acme.atlassian.net/browse/PAY-101');
    expect(await page.locator('#ticket-PAY-101 .doc li').allInnerTexts()).toContain('Turn the flag off');

    await page.screenshot({ path: path.join(outputDir, 'report-page.png'), fullPage: true });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const phonePage = await phone.newPage();
      await phonePage.goto(target);
      expect(await phonePage.locator('.banner .state').innerText()).toBe('5 problems');
      // Nothing wider than the phone's screen.
      expect(await phonePage.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await phonePage.screenshot({ path: path.join(outputDir, 'report-page-phone.png'), fullPage: true });
      await phonePage.goto(`${web.baseUrl}/deploys`);
      await phonePage.screenshot({ path: path.join(outputDir, 'deploys-page-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }

    await Promise.all([page.waitForURL(/\?recheck=done$/), page.getByRole('button', { name: 'Re-check now' }).click()]);
    await expect.poll(() => page.locator('.banner .state').innerText()).toBe('Passing');
    expect(await page.locator('.notice').first().innerText()).toContain('Re-checked just now');
    expect(await page.locator('ol.problems > li').count()).toBe(0);
    await page.screenshot({ path: path.join(outputDir, 'report-page-after-recheck.png'), fullPage: true });

    await page.goto(`${web.baseUrl}/deploys`);
    await page.screenshot({ path: path.join(outputDir, 'deploys-page.png'), fullPage: true });
    expect(await page.locator('table').innerText()).toContain('acme/payments');
    expect(dialogs).toEqual([]);
  });

  it('shows a shipped report with its shipment box, flag, high-risk badge and evaluation history, and flags it on /deploys', async () => {
    const response = await page.goto(`${web.baseUrl}${reportPath(FIXTURE_REPO, shipped.headSha)}`);
    expect(response?.status()).toBe(200);
    const box = page.locator('#shipment');
    expect(await box.locator('.state').innerText()).toBe('Shipped with problems');
    expect(await box.innerText()).toContain(`⚠ shipped with ${shipped.findings.length} unresolved problems`);
    expect(await box.innerText()).toContain('by sam');
    expect(await page.locator('#ticket-PAY-101 .badge.risk').innerText()).toBe('high risk');
    expect(await page.locator('#evaluations li').count()).toBe(2);
    await page.screenshot({ path: path.join(outputDir, 'shipped-report-page.png'), fullPage: true });

    await page.goto(`${web.baseUrl}/deploys`);
    const row = page.locator('tr', { hasText: 'acme/payments' });
    expect(await row.innerText()).toContain(`⚠ shipped with ${shipped.findings.length} unresolved problems`);
    await page.screenshot({ path: path.join(outputDir, 'deploys-with-shipments.png'), fullPage: true });

    await page.goto(`${web.baseUrl}/shipments?date=2024-04-30`);
    expect(await page.locator('main table').innerText()).toContain('⚠ shipped with');
    await page.screenshot({ path: path.join(outputDir, 'shipments-page.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('keeps markup from commits and JIRA inert: no dialog fires, no element is injected', async () => {
    const response = await page.goto(`${web.baseUrl}${reportPath(FIXTURE_REPO, hostile.headSha)}`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('load');
    // Hover and click what an attacker would want clicked.
    await page.locator('a.key').first().click();
    await page.locator('#ticket-PAY-1 .subject').first().hover();
    expect(dialogs).toEqual([]);
    // (Evaluated in the page; a string so that this Node-typed file needs no DOM types.)
    const injected = await page.evaluate(`({
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      svgs: document.querySelectorAll('svg').length,
      jsLinks: [...document.querySelectorAll('a')].filter((a) => a.protocol === 'javascript:').length,
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((attr) => attr.name.startsWith('on'))).length,
    })`);
    expect(injected).toEqual({ scripts: 0, images: 0, svgs: 0, jsLinks: 0, handlers: 0 });
    expect(await page.locator('#ticket-PAY-1 h3').innerText()).toBe('Refunds <img src=x onerror=alert(1)> <script>alert(1)</script>');
  });

  it('refuses a repository the user cannot read with a 404 that leaks nothing', async () => {
    for (const pathname of ['/deploys/acme/secret-vault', reportPath(SECRET_REPO, fakeSha('secret'))]) {
      const response = await page.goto(`${web.baseUrl}${pathname}`);
      expect(response?.status()).toBe(404);
      const text = await page.locator('body').innerText();
      expect(text).toContain('Not found');
      expect(text).not.toContain('TOP-SECRET');
      expect(text).not.toContain('secret-vault');
    }
    await page.goto(`${web.baseUrl}/deploys`);
    expect(await page.locator('main').innerText()).not.toContain('secret-vault');
    expect(dialogs).toEqual([]);
  });
});
