/**
 * Loopback fakes of GitHub (GHE-style /api/v3 paths) and JIRA Cloud for tests that run the real server process.
 * Every request is recorded; status POSTs and JIRA's bulkfetch can be made to fail or to hang until released, so
 * tests can kill or starve the server at a chosen moment and await the events they expect.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { apiCommit, fakeSha, type FakeCommit } from './github-mock.js';
import { issueJson, readyTicket, RISK_FIELD, CHECKS_FIELD } from './jira-mock.js';
import type { TestRepo } from './webhook-payloads.js';

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface PostedStatus {
  readonly repo: string;
  readonly sha: string;
  readonly state: string;
  readonly description: string;
  readonly context: string;
}

type Route = (req: IncomingMessage, body: unknown) => Promise<[number, unknown] | null> | [number, unknown] | null;

function jsonServer(route: Route, log: Recorded[], events: EventEmitter): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : null;
      const entry = { method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization };
      log.push(entry);
      events.emit('request', entry);
      void Promise.resolve(route(req, body)).then((answer) => {
        const [status, payload] = answer ?? [404, { message: 'Not Found' }];
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      });
    });
  });
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A gate: requests wait on it while it is closed. */
function gate() {
  let open = true;
  let release: () => void = () => undefined;
  let opened = Promise.resolve();
  return {
    close() {
      open = false;
      opened = new Promise<void>((r) => (release = r));
    },
    open() {
      open = true;
      release();
    },
    wait: () => (open ? Promise.resolve() : opened),
  };
}

export interface FakeRepository {
  readonly repo: TestRepo;
  readonly baseSha: string;
  readonly headSha: string;
  readonly commits: readonly FakeCommit[];
}

export interface FakeServicesOptions extends FakeRepository {
  /** More repositories (any installation) served the same way. */
  readonly more?: readonly FakeRepository[];
  /** Keys JIRA knows (ready to deploy); others are unknown. */
  readonly knownKeys: readonly string[];
  readonly configYaml?: string;
}

export async function startFakeServices(options: FakeServicesOptions) {
  const repos = [options, ...(options.more ?? [])];
  const events = new EventEmitter();
  const githubLog: Recorded[] = [];
  const jiraLog: Recorded[] = [];
  const statusGate = gate();
  const jiraGate = gate();
  let failStatusesLeft = 0;
  const statuses: PostedStatus[] = [];

  const github = jsonServer(
    async (req, body) => {
      const url = req.url ?? '';
      if (req.method === 'POST' && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(url))
        return [201, { token: 'ghs_fake_installation_token', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' }];
      const target = repos.find((r) => url.startsWith(`/api/v3/repos/${r.repo.owner}/${r.repo.repo}/`));
      if (!target) return url.includes('/.github/contents/') ? [404, { message: 'Not Found' }] : null;
      const { repo } = target;
      const base = `/api/v3/repos/${repo.owner}/${repo.repo}`;
      if (req.method === 'GET' && url === `${base}/installation`) return [200, { id: repo.installationId }];
      if (url.startsWith(`${base}/contents/.github%2Fdeploy-checker.yml`) || url.startsWith(`${base}/contents/.github/deploy-checker.yml`))
        return [200, options.configYaml ?? 'jira:\n  projects: [PROJ]\n'];
      if (url === `${base}/branches/deploy`) return [200, { name: 'deploy', commit: { sha: target.headSha } }];
      if (url === `${base}/branches/production`) return [200, { name: 'production', commit: { sha: target.baseSha } }];
      if (url.startsWith(`${base}/pulls?`)) return [200, []];
      if (url.startsWith(`${base}/compare/${target.baseSha}...${target.headSha}`)) {
        const page = Number(new URL(url, 'http://x').searchParams.get('page') ?? '1');
        return [
          200,
          {
            status: 'ahead',
            ahead_by: target.commits.length,
            behind_by: 0,
            total_commits: target.commits.length,
            commits: target.commits.slice((page - 1) * 100, page * 100).map((c) => apiCommit(c, repo.owner, repo.repo)),
          },
        ];
      }
      const status = new RegExp(`^${base}/statuses/([0-9a-f]{40})$`).exec(url);
      if (req.method === 'POST' && status) {
        await statusGate.wait();
        if (failStatusesLeft > 0) {
          failStatusesLeft -= 1;
          return [502, { message: 'Bad Gateway' }];
        }
        const posted = { sha: status[1]!, repo: `${repo.owner}/${repo.repo}`, ...(body as Omit<PostedStatus, 'sha' | 'repo'>) };
        statuses.push(posted);
        events.emit('status', posted);
        return [201, {}];
      }
      return null;
    },
    githubLog,
    events,
  );

  const jira = jsonServer(
    async (req, body) => {
      if (req.url === '/rest/api/3/field')
        return [
          200,
          [
            { id: RISK_FIELD, name: 'Risk Assessment' },
            { id: CHECKS_FIELD, name: 'Post-Deploy Checks' },
          ],
        ];
      if (req.url?.startsWith('/rest/api/3/project')) return [200, [{ key: 'PROJ' }]];
      if (req.method === 'POST' && req.url === '/rest/api/3/issue/bulkfetch') {
        events.emit('bulkfetch');
        await jiraGate.wait();
        const keys = (body as { issueIdsOrKeys: string[] }).issueIdsOrKeys;
        return [200, { issues: keys.filter((k) => options.knownKeys.includes(k)).map((k, i) => issueJson(readyTicket(k), i)), issueErrors: [] }];
      }
      return null;
    },
    jiraLog,
    events,
  );

  const [githubPort, jiraPort] = await Promise.all([listen(github), listen(jira)]);

  return {
    githubLog,
    jiraLog,
    statuses,
    githubHost: `127.0.0.1:${githubPort}`,
    jiraUrl: `http://127.0.0.1:${jiraPort}`,
    /** Status POSTs wait until `releaseStatuses`. */
    holdStatuses: () => statusGate.close(),
    releaseStatuses: () => statusGate.open(),
    /** The next `n` status POSTs get 502. */
    failStatuses: (n: number) => {
      failStatusesLeft = n;
    },
    /** JIRA's bulkfetch waits until `releaseJira`. */
    holdJira: () => jiraGate.close(),
    releaseJira: () => jiraGate.open(),
    /** Resolves at the next bulkfetch request. */
    nextBulkfetch: () => once(events, 'bulkfetch').then(() => undefined),
    /** Resolves when a status matching `predicate` has been accepted (or already was). */
    async statusWhere(predicate: (s: PostedStatus) => boolean, timeoutMs = 30_000): Promise<PostedStatus> {
      const found = statuses.find(predicate);
      if (found) return found;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('status', listener);
          reject(new Error(`no such status within ${timeoutMs} ms; got ${JSON.stringify(statuses)}`));
        }, timeoutMs);
        const listener = (s: PostedStatus) => {
          if (!predicate(s)) return;
          clearTimeout(timer);
          events.off('status', listener);
          resolve(s);
        };
        events.on('status', listener);
      });
    },
    async close() {
      statusGate.open();
      jiraGate.open();
      github.closeAllConnections();
      jira.closeAllConnections();
      await Promise.all([new Promise((r) => github.close(r)), new Promise((r) => jira.close(r))]);
    },
  };
}

export type FakeServices = Awaited<ReturnType<typeof startFakeServices>>;

export { fakeSha };
