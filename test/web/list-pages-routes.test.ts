/**
 * Route tests of the list pages and the report page's records (issue 12): /deploys with filters and pages,
 * a repository's timeline, /shipments, evaluation history and shipment boxes on the report page, shipments on
 * the ticket page, JSON of each, 400 for bad query values. The web handler on a real HTTP server, the in-memory
 * store, sign-in off (the access filter has its own tests in web-handler.test.ts) except where said.
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployReport, RepoRef } from '../../src/core/domain.js';
import type { WebHandlerDeps } from '../../src/web/web-handler.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { expectInert } from './expect-inert.js';
import { fakeSha, FIXTURE_REPO, IMG, makeReport, makeShipment, passingReport, SCRIPT } from './web-report-fixtures.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const NOW = new Date('2024-05-02T09:00:00.000Z');

let server: RunningWebServer | null = null;
let store: InMemoryReportStore;

async function start(overrides: Partial<WebHandlerDeps> = {}): Promise<RunningWebServer> {
  server = await startWebServer((baseUrl) => ({
    store,
    auth: { mode: 'off' },
    publicUrl: baseUrl,
    jiraWebhookSecret: null,
    recheck: async () => undefined,
    onTicketChanged: () => undefined,
    logger: silentLogger,
    now: () => NOW,
    ...overrides,
  }));
  return server;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server?.baseUrl}${path}`, { headers, redirect: 'manual' });
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await get(path, { accept: 'application/json' });
  expect(res.headers.get('content-type')).toContain('application/json');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const repoNamed = (name: string): RepoRef => ({ owner: 'acme', repo: name });

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

describe('/deploys', () => {
  /** 120 repositories: every third passing, one flagged shipment, one shipment without problems. */
  async function seedMany(): Promise<void> {
    for (let i = 0; i < 120; i += 1) {
      const repo = repoNamed(`svc-${String(i).padStart(3, '0')}`);
      const evaluatedAt = new Date(Date.parse('2024-05-01T00:00:00Z') + i * 60_000).toISOString();
      await store.saveReport(i % 3 === 0 ? passingReport({ repo, evaluatedAt }) : makeReport({ repo, evaluatedAt }));
    }
    store.addShipment(
      makeShipment({ repo: repoNamed('svc-007'), toSha: fakeSha('shipped7'), checkState: 'failure', problemCount: 2, shippedAt: '2024-04-30T12:00:00Z' }),
    );
    store.addShipment(makeShipment({ repo: repoNamed('svc-008'), toSha: fakeSha('shipped8'), shippedAt: '2024-04-30T12:00:00Z' }));
  }

  it('pages 50 repositories at a time with "Page 2 of 3" and prev/next links that keep the filters', async () => {
    await seedMany();
    await start();
    const page1 = await (await get('/deploys')).text();
    expect(page1).toContain('Page 1 of 3 (120 repositories)');
    expect((page1.match(/<td class="lead">/g) ?? []).length).toBe(50);
    expect(page1).toContain('<a href="/deploys?page=2" rel="next">');
    const filtered = await (await get('/deploys?state=failing&repo=SVC-0&page=2')).text();
    // svc-000 … svc-099 match "svc-0"; two thirds of them are failing: 66 → 2 pages.
    expect(filtered).toContain('Page 2 of 2 (66 repositories)');
    expect((filtered.match(/<td class="lead">/g) ?? []).length).toBe(16);
    expect(filtered).toContain('<a href="/deploys?state=failing&amp;repo=SVC-0" rel="prev">');
    expect(filtered).not.toContain('svc-100');
    expect(filtered).not.toContain('<span class="badge success">passing</span>');
  });

  it('stays small for 1,000 repositories: one page of 50 rows', async () => {
    for (let i = 0; i < 1000; i += 1)
      await store.saveReport(makeReport({ repo: repoNamed(`svc-${i}`), evaluatedAt: new Date(Date.parse('2024-05-01T00:00:00Z') + i * 1000).toISOString() }));
    await start();
    const res = await get('/deploys');
    const page = await res.text();
    expect(page).toContain('Page 1 of 20 (1000 repositories)');
    expect((page.match(/<td class="lead">/g) ?? []).length).toBe(50);
    expect(Number(res.headers.get('content-length'))).toBeLessThan(64 * 1024);
  });

  it('filters to repositories whose last shipment shipped with problems, and flags it', async () => {
    await seedMany();
    await start();
    const page = await (await get('/deploys?state=shipped-with-problems')).text();
    expect(page).toContain('Page 1 of 1 (1 repository)');
    expect(page).toContain('acme/svc-007');
    expect(page).toContain('⚠ shipped with 2 unresolved problems');
    expect(page).not.toContain('acme/svc-008');
  });

  it('answers 400 for a bad state, page or repeated parameter, as HTML or JSON, without calling the store', async () => {
    await start();
    for (const query of ['state=green', 'page=0', 'page=abc', 'page=1&page=2', `repo=${'x'.repeat(101)}`]) {
      const res = await get(`/deploys?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain('Bad query');
    }
    const json = await getJson('/deploys.json?state=green');
    expect(json.status).toBe(400);
    expect(json.body['error']).toMatch(/^Bad query: state: /);
  });

  it('answers JSON ({ items, total, page, pageSize }) with the same filters, by suffix or Accept', async () => {
    await seedMany();
    await start();
    const { status, body } = await getJson('/deploys?state=shipped-with-problems');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(body['items']).toEqual([
      expect.objectContaining({
        repo: 'acme/svc-007',
        lastShipment: expect.objectContaining({ toSha: fakeSha('shipped7'), shippedWithProblems: true, problemCount: 2 }),
        pendingDeploy: expect.objectContaining({ state: 'failure' }),
      }),
    ]);
    const suffixed = (await (await get('/deploys.json?page=3')).json()) as { items: unknown[] };
    expect(suffixed).toMatchObject({ total: 120, page: 3, pageSize: 50 });
    expect(suffixed.items).toHaveLength(20);
  });

  it('escapes hostile repository names and shipment text', async () => {
    const hostile: RepoRef = { owner: `${SCRIPT}`, repo: `"><img src=x onerror=alert(1)>` };
    await store.saveReport(makeReport({ repo: hostile }));
    store.addShipment(makeShipment({ repo: hostile, shippedBy: IMG, checkState: 'error' }));
    await start();
    const page = await (await get('/deploys')).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('⚠ shipped while its check could not finish');
    expectInert(page);
  });
});

describe('/deploys/:owner/:repo', () => {
  it("shows the shipments of the page's time span among the evaluations, newest first, flagged; JSON has both kinds", async () => {
    const older = await store.saveReport(makeReport({ headSha: fakeSha('old'), evaluatedAt: '2024-05-01T08:00:00.000Z' }));
    await store.saveReport(makeReport({ headSha: fakeSha('new'), evaluatedAt: '2024-05-01T11:00:00.000Z' }));
    store.addShipment(
      makeShipment({ toSha: fakeSha('old'), evaluationId: older, shippedAt: '2024-05-01T10:00:00.000Z', checkState: 'failure', problemCount: 1 }),
    );
    await start();
    const page = await (await get('/deploys/acme/payments')).text();
    const newRow = page.indexOf(`>${fakeSha('new').slice(0, 7)}<`);
    const shipment = page.indexOf('⚠ shipped with 1 unresolved problem');
    const oldRow = page.indexOf(`href="/deploys/acme/payments/${fakeSha('old')}"`);
    expect(newRow).toBeGreaterThan(0);
    expect(shipment).toBeGreaterThan(newRow);
    expect(oldRow).toBeGreaterThan(shipment);
    expect(page).toContain(`href="/deploys/acme/payments/${fakeSha('old')}?evaluation=${older}"`);
    for (const path of ['/deploys/acme/payments.json', '/deploys/acme/payments']) {
      const res = await get(path, path.endsWith('.json') ? {} : { accept: 'application/json' });
      const body = (await res.json()) as { items: { kind: string; headSha?: string; toSha?: string; shippedWithProblems?: boolean }[] };
      expect(body).toMatchObject({ repo: 'acme/payments', total: 2, page: 1, pageSize: 50 });
      expect(body.items.map((i) => i.kind)).toEqual(['deploy', 'shipment', 'deploy']);
      expect(body.items[1]).toMatchObject({ toSha: fakeSha('old'), shippedWithProblems: true });
    }
  });

  it("on an older page, shows the shipments from its oldest evaluation up to the newer page's oldest, none lost between pages", async () => {
    for (let i = 0; i < 4; i += 1) {
      await store.saveReport(makeReport({ headSha: fakeSha(`e${i}`), evaluatedAt: new Date(Date.parse('2024-05-01T12:00:00Z') - i * 3600_000).toISOString() }));
    }
    // Evaluations at 12:00, 11:00 (page 1), 10:00, 09:00 (page 2); shipments at 11:30, 10:30, 09:30 and 08:00.
    store.addShipment(makeShipment({ toSha: fakeSha('s1130'), shippedAt: '2024-05-01T11:30:00.000Z' }));
    store.addShipment(makeShipment({ toSha: fakeSha('s1030'), shippedAt: '2024-05-01T10:30:00.000Z' }));
    store.addShipment(makeShipment({ toSha: fakeSha('s0930'), shippedAt: '2024-05-01T09:30:00.000Z' }));
    store.addShipment(makeShipment({ toSha: fakeSha('s0800'), shippedAt: '2024-05-01T08:00:00.000Z' }));
    await start({ options: { pageSize: 2 } });
    const kinds = async (page: number) =>
      ((await (await get(`/deploys/acme/payments.json?page=${page}`)).json()) as { items: { kind: string; toSha?: string }[] }).items.map(
        (i) => i.toSha ?? i.kind,
      );
    expect(await kinds(1)).toEqual(['deploy', fakeSha('s1130'), 'deploy']);
    // Between the pages' evaluations (10:30) goes to the older page; the last page takes everything older too.
    expect(await kinds(2)).toEqual([fakeSha('s1030'), 'deploy', fakeSha('s0930'), 'deploy', fakeSha('s0800')]);
  });

  it('answers 400 for a bad page and 404 (JSON too) for a repository without records', async () => {
    await store.saveReport(makeReport());
    await start();
    expect((await get('/deploys/acme/payments?page=0')).status).toBe(400);
    const missing = await getJson('/deploys/acme/nothing-here');
    expect(missing).toEqual({ status: 404, body: { error: 'not found' } });
  });
});

describe('/shipments', () => {
  beforeEach(() => {
    store.addShipment(
      makeShipment({
        toSha: fakeSha('today1'),
        fromSha: fakeSha('prod1'),
        shippedAt: '2024-05-02T08:00:00.000Z',
        shippedBy: 'dana',
        ticketKeys: ['PAY-1', 'PAY-7'],
        highRiskKeys: ['PAY-7'],
        checkState: 'failure',
        problemCount: 3,
        evaluationId: 41,
      }),
    );
    store.addShipment(makeShipment({ repo: repoNamed('web'), toSha: fakeSha('today2'), shippedAt: '2024-05-01T12:00:00.000Z', shippedBy: 'sam' }));
    store.addShipment(makeShipment({ toSha: fakeSha('yesterday'), shippedAt: '2024-04-30T12:00:00.000Z' }));
  });

  it('lists the last 24 h by default: repository, from → to, who, when, stories with high-risk badges, check and flag', async () => {
    await start();
    const page = await (await get('/shipments')).text();
    expect(page).toContain('Shipped from <time datetime="2024-05-01T09:00:00.000Z">2024-05-01 09:00 UTC</time> to');
    expect(page).toContain('Page 1 of 1 (2 shipments)');
    expect(page).toContain(
      `<a class="sha" href="/deploys/acme/payments/${fakeSha('prod1')}">${fakeSha('prod1').slice(0, 7)}</a> → <a class="sha" href="/deploys/acme/payments/${fakeSha('today1')}">`,
    );
    expect(page).toContain('<td data-label="By">dana</td>');
    expect(page).toContain('<time datetime="2024-05-02T08:00:00.000Z">2024-05-02 08:00 UTC</time> <span class="muted small">1 h ago</span>');
    expect(page).toContain('<a href="/tickets/PAY-1">PAY-1</a>, <a href="/tickets/PAY-7">PAY-7</a> <span class="badge risk">high risk</span>');
    expect(page).toContain('<span class="badge failure">failing</span> <span class="flag bad">⚠ shipped with 3 unresolved problems</span>');
    expect(page).toContain(`href="/deploys/acme/payments/${fakeSha('today1')}?evaluation=41">evaluation</a>`);
    expect(page).toContain('acme/web');
    expect(page).not.toContain(fakeSha('yesterday').slice(0, 7));
    // The layout's nav links here.
    expect(page).toContain('<a href="/shipments">Shipments</a>');
  });

  it('takes a day, a since/until window, a repository and problems=1', async () => {
    await start();
    const day = await (await get('/shipments?date=2024-04-30')).text();
    expect(day).toContain(fakeSha('yesterday').slice(0, 7));
    expect(day).toContain('Page 1 of 1 (1 shipment)');
    const window = await (await get('/shipments?since=2024-04-30&until=2024-05-02T12:00:00Z')).text();
    expect(window).toContain('Page 1 of 1 (3 shipments)');
    const problems = await (await get('/shipments?problems=1&since=2024-04-01')).text();
    expect(problems).toContain('Page 1 of 1 (1 shipment)');
    expect(problems).toContain(fakeSha('today1').slice(0, 7));
    const repo = await getJson('/shipments?repo=acme/web&since=2024-04-01');
    expect(repo.body).toMatchObject({ total: 1, page: 1, pageSize: 50, items: [{ toSha: fakeSha('today2'), shippedWithProblems: false }] });
  });

  it('pages with links that keep the window and filters', async () => {
    for (let i = 0; i < 60; i += 1) {
      store.addShipment(
        makeShipment({ toSha: fakeSha(`bulk${String(i).padStart(2, '0')}`), shippedAt: new Date(Date.parse('2024-05-02T07:00:00Z') - i * 1000).toISOString() }),
      );
    }
    await start();
    const page = await (await get('/shipments?repo=acme/payments&problems=0')).text();
    expect(page).toContain('Page 1 of 2 (61 shipments)');
    expect(page).toContain('<a href="/shipments?repo=acme%2Fpayments&amp;page=2" rel="next">');
    const dated = await (await get('/shipments?date=2024-05-02&page=2')).text();
    expect(dated).toContain('<a href="/shipments?date=2024-05-02" rel="prev">');
    const json = (await (await get('/shipments.json?date=2024-05-02&page=2')).json()) as { items: unknown[]; total: number };
    expect(json.total).toBe(61);
    expect(json.items).toHaveLength(11);
  });

  it('answers 400 for bad dates, an empty window, date with since, a bad repo or problems value (JSON too)', async () => {
    await start();
    for (const query of [
      'date=2024-13-01',
      'date=yesterday',
      'since=last-week',
      'since=2024-05-02&until=2024-05-01',
      'date=2024-05-01&since=2024-05-01',
      'repo=acme',
      'problems=yes',
      'page=0',
    ]) {
      const res = await get(`/shipments?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain('Bad query');
    }
    expect((await getJson('/shipments?date=nope')).status).toBe(400);
  });

  it('escapes hostile ticket keys, logins and repository names', async () => {
    store.addShipment(
      makeShipment({
        repo: { owner: 'acme', repo: SCRIPT },
        shippedAt: '2024-05-02T08:30:00.000Z',
        shippedBy: IMG,
        ticketKeys: [SCRIPT, IMG],
        highRiskKeys: [IMG],
      }),
    );
    await start();
    const page = await (await get('/shipments')).text();
    expect(page).toContain('<td data-label="By">&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(page).toContain('href="/tickets/%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
    expectInert(page);
  });

  it('shows only shipments of repositories the visitor can read when sign-in is on', async () => {
    const secret: RepoRef = { owner: 'acme', repo: 'secret-vault' };
    store.addShipment(makeShipment({ repo: secret, toSha: fakeSha('secret'), shippedAt: '2024-05-02T08:30:00.000Z' }));
    const sessionSecret = 'test-session-secret-0123456789abcdef0123456789';
    await start({
      auth: {
        mode: 'github',
        clientId: 'Iv1.c',
        clientSecret: 's',
        sessionSecret,
        githubWebUrl: 'http://github.test',
        githubApiUrl: 'http://github.test/api/v3',
      },
    });
    const { createCookieCodec } = await import('../../src/web/session-cookie.js');
    const { sessionStoreKey } = await import('../../src/web/web-sessions.js');
    const codec = createCookieCodec(sessionSecret);
    const sid = 'session-id-0123456789';
    await store.createWebSession({
      id: sessionStoreKey(sid),
      login: 'dana',
      tokenCiphertext: codec.encryptToken('gho_dana'),
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const cookie = `dc_session=${encodeURIComponent(codec.encodeSession({ sid, expiresAt: Date.now() + 3600_000 }))}`;
    const scope = nock('http://github.test/api/v3');
    for (const repo of ['payments', 'web']) scope.get(`/repos/acme/${repo}`).reply(200, { full_name: `acme/${repo}` });
    scope.get('/repos/acme/secret-vault').reply(404, { message: 'Not Found' });
    const body = (await (await get('/shipments.json', { cookie })).json()) as { total: number; items: { repo: RepoRef }[] };
    expect(body.total).toBe(2);
    expect(body.items.map((i) => i.repo.repo).sort()).toEqual(['payments', 'web']);
    expect(scope.isDone()).toBe(true);
  });
});

describe('report page records', () => {
  async function seedHistory(): Promise<{ first: number; second: number; third: number; report: DeployReport }> {
    const first = await store.saveReport(makeReport({ evaluatedAt: '2024-05-01T08:00:00.000Z', statusDescription: 'first look' }));
    const second = await store.saveReport(makeReport({ evaluatedAt: '2024-05-01T09:00:00.000Z', trigger: 'recheck' }));
    const report = passingReport({ evaluatedAt: '2024-05-01T10:00:00.000Z', headSha: makeReport().headSha, highRiskKeys: ['PAY-1'] });
    const third = await store.saveReport(report);
    return { first, second, third, report };
  }

  it('shows the newest evaluation and links the earlier ones; ?evaluation=ID shows an earlier one', async () => {
    const { first, second, third, report } = await seedHistory();
    await start();
    const path = `/deploys/acme/payments/${report.headSha}`;
    const page = await (await get(path)).text();
    expect(page).toContain('data-state="success">Passing');
    expect(page).toContain('Evaluations of this SHA <span class="badge plain">3</span>');
    expect(page).toContain(`<a href="${path}?evaluation=${second}">2024-05-01 09:00 UTC`);
    expect(page).toContain(`<a href="${path}?evaluation=${first}">2024-05-01 08:00 UTC`);
    expect(page).not.toContain(`evaluation=${third}"`);
    const older = await (await get(`${path}?evaluation=${first}`)).text();
    expect(older).toContain('data-state="failure">1 problem');
    expect(older).toContain(`This is an earlier evaluation. <a href="${path}">See the newest</a>`);
    expect(older).toContain(`<a href="${path}">2024-05-01 10:00 UTC`);
    const olderJson = await getJson(`${path}?evaluation=${first}`);
    expect(olderJson.body).toMatchObject({ evaluatedAt: '2024-05-01T08:00:00.000Z', state: 'failure' });
  });

  it('answers 404 for an evaluation id of another SHA or repository and 400 for a malformed one', async () => {
    const { report } = await seedHistory();
    const otherSha = await store.saveReport(makeReport({ headSha: fakeSha('other') }));
    const otherRepo = await store.saveReport(makeReport({ repo: repoNamed('web') }));
    await start();
    const path = `/deploys/acme/payments/${report.headSha}`;
    expect((await get(`${path}?evaluation=${otherSha}`)).status).toBe(404);
    expect((await get(`${path}?evaluation=${otherRepo}`)).status).toBe(404);
    expect((await get(`${path}?evaluation=99999`)).status).toBe(404);
    expect((await getJson(`${path}.json?evaluation=${otherRepo}`)).status).toBe(404);
    expect((await get(`${path}?evaluation=1x`)).status).toBe(400);
  });

  it('shows a prominent shipment box, flagged when it shipped with problems, and high-risk badges', async () => {
    const { report } = await seedHistory();
    store.addShipment(
      makeShipment({
        toSha: report.headSha,
        fromSha: fakeSha('prod0'),
        shippedBy: 'sam',
        shippedAt: '2024-05-01T10:30:00.000Z',
        checkState: 'failure',
        problemCount: 2,
      }),
    );
    await start();
    const page = await (await get(`/deploys/acme/payments/${report.headSha}`)).text();
    expect(page).toContain('<section id="shipment" class="banner shipped failure" aria-label="Shipment"><div class="state">Shipped with problems</div>');
    expect(page).toContain(`by sam, <span class="sha">${fakeSha('prod0').slice(0, 7)}</span> → <span class="sha">${report.headSha.slice(0, 7)}</span>`);
    expect(page).toContain('⚠ shipped with 2 unresolved problems');
    expect(page).toMatch(/id="ticket-PAY-1">\s*<header>.*<span class="badge risk">high risk<\/span>/);
    expect(page).not.toMatch(/id="ticket-PAY-2">\s*<header>.*<span class="badge risk">/);
  });

  it('redirects a unique short SHA and answers 404 for an ambiguous or unknown one (HTML and JSON)', async () => {
    await store.saveReport(makeReport({ headSha: `abcdef1${'0'.repeat(33)}` }));
    await store.saveReport(makeReport({ headSha: `abcdef2${'0'.repeat(33)}` }));
    await start();
    const unique = await get('/deploys/acme/payments/abcdef1?evaluation=1');
    expect(unique.status).toBe(302);
    expect(unique.headers.get('location')).toBe(`/deploys/acme/payments/abcdef1${'0'.repeat(33)}?evaluation=1`);
    expect((await get('/deploys/acme/payments/abcdef')).status).toBe(404);
    expect((await getJson('/deploys/acme/payments/abcdef.json')).status).toBe(404);
    expect((await get('/deploys/acme/payments/0123456')).status).toBe(404);
  });
});

describe('/tickets/:key', () => {
  it('lists the shipments that carried the ticket with the flag, and warns when it shipped not ready in JIRA', async () => {
    const report = makeReport({
      findings: [{ rule: 'ticket-status', summary: 'PAY-1 is In Progress', fix: 'Move it', ticketKey: 'PAY-1' }],
    });
    const id = await store.saveReport(report);
    store.addShipment(
      makeShipment({
        toSha: report.headSha,
        evaluationId: id,
        shippedAt: '2024-05-01T12:00:00.000Z',
        checkState: 'failure',
        problemCount: 1,
        highRiskKeys: ['PAY-1'],
      }),
    );
    await start();
    const page = await (await get('/tickets/PAY-1')).text();
    expect(page).toContain('In production, but not ready in JIRA');
    expect(page).toContain('In production</span> since <time datetime="2024-05-01T12:00:00.000Z">');
    expect(page).toContain('Shipments carrying PAY-1 <span class="badge plain">1</span>');
    expect(page).toContain(`<a class="sha" href="/deploys/acme/payments/${report.headSha}?evaluation=${id}">`);
    expect(page).toContain('<span class="badge risk">high risk</span> <span class="flag bad">⚠ shipped with 1 unresolved problem</span>');
    const json = await getJson('/tickets/PAY-1.json');
    expect(json.body).toMatchObject({ key: 'PAY-1', total: 1, page: 1, items: [{ toSha: report.headSha, shippedWithProblems: true }] });
    expect(json.body['production']).toEqual([{ kind: 'in-production', repo: FIXTURE_REPO, since: '2024-05-01T12:00:00.000Z', sha: report.headSha }]);
    expect((await getJson('/tickets/not-a-key!')).status).toBe(404);
  });

  it('says not in production when no shipment carried it', async () => {
    await store.saveReport(makeReport());
    await start();
    const page = await (await get('/tickets/PAY-2')).text();
    expect(page).toContain('Not in production yet');
    expect(page).toContain('No shipment carried PAY-2.');
  });
});
