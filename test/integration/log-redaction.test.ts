/**
 * Reads the whole log — the app's and Probot's request log, at trace level, through the production logger
 * (createLogger) — of a GitHub sign-in, a signed webhook whose check calls GitHub and JIRA (once more with GitHub
 * refusing the status, so that the error and its request are logged), and a signed JIRA webhook, and asserts that
 * no secret or token used along the way appears in it.
 */
import { createHmac } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { startHarness, JIRA_URL, PRIVATE_KEY, WEBHOOK_SECRET, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';
import { createMemoryLog } from '../helpers/memory-log.js';
import { createLogger } from '../../src/app/create-logger.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 80 };
const PROD = fakeSha('logscan-production');
const HEAD = fakeSha('logscan-deploy');

const CLIENT_SECRET = 'client-secret-logscan-0001';
const SESSION_SECRET = 'session-secret-logscan-0123456789abcdef';
const JIRA_WEBHOOK_SECRET = 'jira-webhook-secret-logscan';
const JIRA_API_TOKEN = 'jira-secret-token'; // the harness's JIRA_API_TOKEN
const OAUTH_CODE = 'oauth-code-logscan-5f3a9c';
const ACCESS_TOKEN = 'gho_logscan_access_token_7d1e';
const INSTALLATION_TOKEN = 'ghs_installation_token'; // what mockGitHub's installationToken() hands out

useStrictNock();

let harness: Harness | null = null;
let store: ReportStore | null = null;
afterEach(async () => {
  await harness?.stop();
  await store?.close();
});

it('no secret or token reaches the log: sign-in, signed GitHub webhook with GitHub and JIRA calls, signed JIRA webhook', async () => {
  const log = createMemoryLog();
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  harness = await startHarness({
    store,
    logger: createLogger({ level: 'trace', destination: log.stream }),
    env: {
      WEB_AUTH: 'github',
      GITHUB_CLIENT_ID: 'Iv1.logscan',
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_SECRET,
      JIRA_WEBHOOK_SECRET,
    },
  });
  const base = harness.baseUrl;
  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

  // 1. Sign-in: /login → GitHub (stubbed) → /login/callback?code=…&state=… → session cookie.
  const login = await get('/login?next=%2Fdeploys');
  expect(login.status).toBe(302);
  const state = new URL(login.headers.get('location') ?? '').searchParams.get('state') ?? '';
  expect(state.length).toBeGreaterThanOrEqual(32);
  const stateCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  nock('https://github.com')
    .post('/login/oauth/access_token', (body: Record<string, string>) => body['code'] === OAUTH_CODE && body['client_secret'] === CLIENT_SECRET)
    .reply(200, { access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 28800 });
  nock('https://api.github.com', { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
    .get('/user')
    .reply(200, { login: 'dana', id: 42 });
  const callback = await get(`/login/callback?code=${OAUTH_CODE}&state=${encodeURIComponent(state)}`, stateCookie);
  expect(callback.status).toBe(303);
  // PUBLIC_URL is https: the cookies are __Host-dc_session and __Host-dc_oauth_state.
  const sessionCookie = (callback.headers.getSetCookie().find((c) => c.startsWith('__Host-dc_session=')) ?? '').split(';')[0] ?? '';
  const sessionValue = sessionCookie.slice(sessionCookie.indexOf('=') + 1);
  expect(sessionValue.length).toBeGreaterThan(20);
  expect((await get('/deploys', sessionCookie)).status).toBe(200);

  // 2. A signed push webhook: the check authenticates to GitHub (installation token) and to JIRA (API token).
  const gh = mockGitHub(target);
  const jira = mockJiraCloud(JIRA_URL);
  gh.installationToken();
  gh.config('jira:\n  projects: [PROJ]\n');
  gh.branch('deploy', HEAD);
  gh.branch('production', PROD);
  gh.compare(PROD, HEAD, [{ sha: fakeSha('logscan-c1'), message: 'PROJ-1: add login' }]);
  gh.status(HEAD, 2);
  jira.fields();
  // Both pushes' checks read PROJ-1 (a failing pending POST no longer aborts the second one).
  jira.bulkfetch([readyTicket('PROJ-1')], 2);
  expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }))).toBe(200);
  expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);

  // 2b. The same, but GitHub refuses the status: the error (with its request, authorization header and all) is logged.
  const head2 = fakeSha('logscan-deploy-2');
  gh.config('jira:\n  projects: [PROJ]\n');
  gh.branch('deploy', head2);
  gh.branch('production', PROD);
  gh.compare(PROD, head2, [{ sha: fakeSha('logscan-c2'), message: 'PROJ-1: more login' }]);
  nock('https://api.github.com').post(`/repos/acme/shop/statuses/${head2}`).times(2).reply(500, { message: 'Server Error' });
  expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: head2 }))).toBe(200);

  // 3. A signed JIRA webhook (a ticket no report contains: nothing to re-check).
  const jiraBody = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { key: 'OTHER-1' } });
  const jiraRes = await fetch(`${base}/jira/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-atlassian-webhook-identifier': 'logscan-1',
      'x-hub-signature': `sha256=${createHmac('sha256', JIRA_WEBHOOK_SECRET).update(jiraBody).digest('hex')}`,
    },
    body: jiraBody,
  });
  expect(jiraRes.status).toBe(202);
  await harness.queue.onIdle();

  const text = log.text();
  // The log did record those requests (the scan is not of an empty log)…
  expect(text).toContain(`GET /login/callback?code=[redacted]&state=[redacted]`);
  expect(text).toContain('"set-cookie":"[redacted]"');
  expect(text).toContain('"cookie":"[redacted]"');
  expect(text).toContain('POST /jira/webhook 202');
  expect(text).toContain('POST /api/github/webhooks 200');
  expect(text).toContain('"type":"RequestError"');
  expect(text).toContain('"authorization":"[redacted]"');
  // …and none of the secrets.
  const privateKeyBody = PRIVATE_KEY.split('\n').filter((line) => line && !line.startsWith('-----'));
  const secrets: Record<string, string> = {
    'OAuth code': OAUTH_CODE,
    'OAuth state': state,
    'OAuth state cookie': stateCookie.slice(stateCookie.indexOf('=') + 1),
    'session cookie': sessionValue,
    'GitHub user access token': ACCESS_TOKEN,
    'installation token': INSTALLATION_TOKEN,
    'GitHub client secret': CLIENT_SECRET,
    'session secret': SESSION_SECRET,
    'JIRA API token': JIRA_API_TOKEN,
    'JIRA Basic credentials': Buffer.from(`bot@example.com:${JIRA_API_TOKEN}`).toString('base64'),
    'JIRA webhook secret': JIRA_WEBHOOK_SECRET,
    'GitHub webhook secret': WEBHOOK_SECRET,
    'private key (first line)': privateKeyBody[0] ?? 'missing',
    'private key (a middle line)': privateKeyBody[10] ?? 'missing',
  };
  const found = Object.entries(secrets)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
  expect(found).toEqual([]);
});
