/**
 * `npm start` as a real process: Probot with APP_ID / PRIVATE_KEY / WEBHOOK_SECRET, GitHub Enterprise Server
 * addressing (GHE_HOST, GHE_PROTOCOL=http) pointing at a local GitHub-compatible server, JIRA_BASE_URL at a local
 * JIRA; a signed push is handled end to end and the statuses arrive at the fake GitHub. The app runs in its own
 * process group, stopped as a whole: no server outlives the test.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import { freePort } from '../helpers/app-harness.js';
import { apiCommit, fakeSha } from '../helpers/github-mock.js';
import { issueJson, readyTicket, RISK_FIELD, CHECKS_FIELD } from '../helpers/jira-mock.js';
import { liveProcessGroupMembers, processGroupExists, spawnProcessGroup, stopProcessGroup } from '../helpers/process-group.js';
import { pushPayload } from '../helpers/webhook-payloads.js';

/** How the test starts the app, as a user would: the one place to change when `npm start` changes. */
const APP_START_COMMAND: { readonly command: string; readonly args: readonly string[] } = {
  command: 'npm',
  args: ['start', '--silent'],
};

const SECRET = 'e2e-webhook-secret';
const PROD = fakeSha('e2e-prod');
const HEAD = fakeSha('e2e-head');
const target = { owner: 'acme', repo: 'shop', installationId: 99 };

interface Recorded {
  method: string;
  url: string;
  body: unknown;
  authorization: string | undefined;
}

function jsonServer(route: (req: IncomingMessage, body: unknown) => [number, unknown] | null, log: Recorded[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : null;
      log.push({ method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization });
      const answer = route(req, body);
      const [status, payload] = answer ?? [404, { message: 'Not Found' }];
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    });
  });
}

const listen = (server: Server, port: number) => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

describe('npm start', () => {
  const githubLog: Recorded[] = [];
  const jiraLog: Recorded[] = [];
  let github: Server;
  let jira: Server;
  let app: ReturnType<typeof spawnProcessGroup> | undefined;
  let appPort = 0;
  let output = '';

  beforeAll(async () => {
    const base = `/api/v3/repos/${target.owner}/${target.repo}`;
    github = jsonServer((req) => {
      const url = req.url ?? '';
      if (req.method === 'POST' && url === `/api/v3/app/installations/${target.installationId}/access_tokens`)
        return [201, { token: 'ghs_e2e', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' }];
      if (url.startsWith(`${base}/contents/.github%2Fdeploy-checker.yml`) || url.startsWith(`${base}/contents/.github/deploy-checker.yml`))
        return [200, 'jira:\n  projects: [PROJ]\n'];
      if (url === `${base}/branches/deploy`) return [200, { name: 'deploy', commit: { sha: HEAD } }];
      if (url === `${base}/branches/production`) return [200, { name: 'production', commit: { sha: PROD } }];
      if (url.startsWith(`${base}/compare/${PROD}...${HEAD}`))
        return [
          200,
          {
            status: 'ahead',
            ahead_by: 2,
            behind_by: 0,
            total_commits: 2,
            commits: [
              apiCommit({ sha: fakeSha('e2e-1'), message: 'PROJ-1: login' }, target.owner, target.repo),
              apiCommit({ sha: fakeSha('e2e-2'), message: 'PROJ-2: logout' }, target.owner, target.repo),
            ],
          },
        ];
      if (req.method === 'POST' && url === `${base}/statuses/${HEAD}`) return [201, {}];
      return null;
    }, githubLog);
    jira = jsonServer((req, body) => {
      if (req.url === '/rest/api/3/field')
        return [
          200,
          [
            { id: RISK_FIELD, name: 'Risk Assessment' },
            { id: CHECKS_FIELD, name: 'Post-Deploy Checks' },
          ],
        ];
      if (req.method === 'POST' && req.url === '/rest/api/3/issue/bulkfetch') {
        const keys = (body as { issueIdsOrKeys: string[] }).issueIdsOrKeys;
        return [200, { issues: keys.filter((k) => k === 'PROJ-1').map((k, i) => issueJson(readyTicket(k), i)), issueErrors: [] }];
      }
      return null;
    }, jiraLog);
    const [githubPort, jiraPort] = [await freePort(), await freePort()];
    appPort = await freePort();
    await listen(github, githubPort);
    await listen(jira, jiraPort);

    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    app = spawnProcessGroup(APP_START_COMMAND.command, APP_START_COMMAND.args, {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        APP_ID: '12345',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: `127.0.0.1:${githubPort}`,
        GHE_PROTOCOL: 'http',
        JIRA_BASE_URL: `http://127.0.0.1:${jiraPort}`,
        JIRA_EMAIL: 'bot@example.com',
        JIRA_API_TOKEN: 'jira-e2e-token',
        PUBLIC_URL: 'https://checker.example.com',
        WEB_AUTH: 'off',
        DATABASE_URL: 'sqlite::memory:',
        PORT: String(appPort),
        HOST: '127.0.0.1',
        STATUS_PENDING_DELAY_MS: '0',
        LOG_LEVEL: 'info',
        NO_SMEE_SETUP: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 45_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${appPort}/ping`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || app.exitCode !== null) throw new Error(`app did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    // Normally already stopped by the last test; this is for when a test failed before it.
    if (app) await stopProcessGroup(app.pid);
    await Promise.all([github && close(github), jira && close(jira)]);
  });

  it('handles a signed push end to end: pending, then the verdict on the deploy head', async () => {
    const body = JSON.stringify(pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }));
    const res = await fetch(`http://127.0.0.1:${appPort}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(200);

    const statuses = () => githubLog.filter((r) => r.method === 'POST' && r.url.includes('/statuses/')).map((r) => r.body as Record<string, string>);
    const deadline = Date.now() + 20_000;
    while (statuses().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    expect(statuses()).toEqual([
      { state: 'pending', context: 'deploy-checker', description: 'Checking 2 commits…', target_url: `https://checker.example.com/deploys/acme/shop/${HEAD}` },
      {
        state: 'failure',
        context: 'deploy-checker',
        description: '1 problem: PROJ-2 is unknown to JIRA',
        target_url: `https://checker.example.com/deploys/acme/shop/${HEAD}`,
      },
    ]);
    expect(githubLog.filter((r) => r.url.includes('/statuses/')).every((r) => r.authorization === 'token ghs_e2e')).toBe(true);
    expect(jiraLog.every((r) => r.authorization === `Basic ${Buffer.from('bot@example.com:jira-e2e-token').toString('base64')}`)).toBe(true);
    // Secrets never reach the logs.
    expect(output).not.toContain('jira-e2e-token');
    expect(output).not.toContain('ghs_e2e');
    expect(output).not.toContain('BEGIN PRIVATE KEY');
  }, 30_000);

  it('stops as a whole: after SIGTERM to its process group no process of npm start is left', async () => {
    if (!app) throw new Error('the app was not started');
    const pgid = app.pid;
    // npm runs the script through a shell in a child process: the server is not the process that was spawned.
    expect(liveProcessGroupMembers(pgid).length).toBeGreaterThan(1);
    await stopProcessGroup(pgid);
    expect(liveProcessGroupMembers(pgid)).toEqual([]);
    await expect.poll(() => processGroupExists(pgid), { timeout: 10_000 }).toBe(false);
    await expect(fetch(`http://127.0.0.1:${appPort}/ping`)).rejects.toThrow();
  }, 30_000);
});
