/**
 * Loopback stand-ins for GitHub's REST API and JIRA Cloud, for benchmarks: node:http on 127.0.0.1 only, every
 * response delayed by a fixed round trip, every request counted by endpoint family. GitHub answers installation
 * tokens, the repository config, branch heads, compare pages (100 a page, built once per range) and statuses; JIRA
 * answers the field list and bulkfetch. Statuses are announced as they arrive so a benchmark awaits them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { apiCommit, fakeSha } from '../test/helpers/github-mock.js';
import { issueJson, readyTicket, RISK_FIELD, CHECKS_FIELD } from '../test/helpers/jira-mock.js';

export interface PostedStatus {
  readonly repo: string;
  readonly sha: string;
  readonly state: string;
  readonly description: string;
  readonly at: number;
}

export interface CompareRange {
  readonly owner: string;
  readonly repo: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly commits: number;
  /** Distinct tickets named by the commit messages (PROJ-1…PROJ-n, round robin). */
  readonly tickets: number;
}

export interface LoopbackServer {
  readonly url: string;
  /** Requests per endpoint family since the last reset. */
  readonly counts: Map<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

export interface LoopbackGitHub extends LoopbackServer {
  readonly statuses: PostedStatus[];
  /** Emits 'status' (PostedStatus) for every status posted. */
  readonly events: EventEmitter;
  setBranch(owner: string, repo: string, branch: string, sha: string): void;
  /** Registers a compare range; its pages are serialised once, here. */
  addRange(range: CompareRange): void;
  /** Compare page-1 reads per head SHA (one per evaluation of that head). */
  readonly comparesByHead: Map<string, number>;
}

const HOST = '127.0.0.1';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Route = (req: IncomingMessage, url: URL, body: string) => { family: string; status: number; body: string | Buffer; type?: string };

function startServer(rttMs: number, route: Route): Promise<{ server: Server; url: string; counts: Map<string, number> }> {
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? '/', `http://${HOST}`);
      let answer: ReturnType<Route>;
      try {
        answer = route(req, url, text);
      } catch (error) {
        answer = { family: 'error', status: 500, body: JSON.stringify({ message: String(error) }) };
      }
      counts.set(answer.family, (counts.get(answer.family) ?? 0) + 1);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json; charset=utf-8' });
        res.end(answer.body);
      }, rttMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://${HOST}:${port}`, counts });
    });
  });
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const json = (family: string, status: number, body: unknown) => ({ family, status, body: JSON.stringify(body) });

export const BENCH_CONFIG_YAML = 'jira:\n  projects: [PROJ]\n';

export async function startLoopbackGitHub(options: { rttMs: number }): Promise<LoopbackGitHub> {
  const branches = new Map<string, string>();
  const pages = new Map<string, Buffer[]>();
  const statuses: PostedStatus[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const comparesByHead = new Map<string, number>();

  const { server, url, counts } = await startServer(options.rttMs, (req, u, body) => {
    const path = u.pathname;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json('token', 201, { token: 'ghs_bench', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/\.github(?:%2F|\/)deploy-checker\.yml$/.exec(path))) {
      return { family: 'config', status: 200, body: BENCH_CONFIG_YAML, type: 'text/plain; charset=utf-8' };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/.exec(path))) {
      const sha = branches.get(`${m[1]}/${m[2]}/${decodeURIComponent(m[3]!)}`);
      return sha ? json('branch', 200, { name: m[3], commit: { sha }, protected: false }) : json('branch', 404, { message: 'Branch not found' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(path))) {
      const list = pages.get(`${m[1]}/${m[2]}/${m[3]}...${m[4]}`);
      if (!list) return json('compare', 404, { message: 'Not Found' });
      const page = Number(u.searchParams.get('page') ?? '1');
      if (page === 1) comparesByHead.set(m[4]!, (comparesByHead.get(m[4]!) ?? 0) + 1);
      return { family: 'compare', status: 200, body: list[page - 1] ?? emptyPage(list) };
    }
    if (req.method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path))) {
      const posted = JSON.parse(body) as { state: string; description: string };
      const status: PostedStatus = { repo: `${m[1]}/${m[2]}`, sha: m[3]!, state: posted.state, description: posted.description, at: performance.now() };
      statuses.push(status);
      events.emit('status', status);
      return json('status', 201, {});
    }
    if (path === '/ping') return json('ping', 200, {});
    return json(`other ${req.method} ${path}`, 404, { message: 'Not Found' });
  });

  return {
    url,
    counts,
    statuses,
    events,
    comparesByHead,
    resetCounts: () => {
      counts.clear();
      comparesByHead.clear();
    },
    close: () => closeServer(server),
    setBranch(owner, repo, branch, sha) {
      branches.set(`${owner}/${repo}/${branch}`, sha);
    },
    addRange(range) {
      const all = Array.from({ length: range.commits }, (_, i) => ({
        sha: fakeSha(`${range.headSha}-${i}`),
        message: `PROJ-${(i % Math.max(1, range.tickets)) + 1}: change ${i} of ${range.repo}\n\nA body line that explains the change.`,
      }));
      const pageCount = Math.max(1, Math.ceil(all.length / 100));
      const list: Buffer[] = [];
      for (let page = 1; page <= pageCount; page++) {
        list.push(
          Buffer.from(
            JSON.stringify({
              url: `https://api.github.test/repos/${range.owner}/${range.repo}/compare/${range.baseSha}...${range.headSha}`,
              status: all.length ? 'ahead' : 'identical',
              ahead_by: all.length,
              behind_by: 0,
              total_commits: all.length,
              base_commit: apiCommit({ sha: range.baseSha, message: 'production head' }, range.owner, range.repo),
              merge_base_commit: apiCommit({ sha: range.baseSha, message: 'production head' }, range.owner, range.repo),
              commits: all.slice((page - 1) * 100, page * 100).map((c) => apiCommit(c, range.owner, range.repo)),
              files: [],
            }),
          ),
        );
      }
      pages.set(`${range.owner}/${range.repo}/${range.baseSha}...${range.headSha}`, list);
    },
  };
}

function emptyPage(list: Buffer[]): Buffer {
  const first = JSON.parse(list[0]!.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...first, commits: [] }));
}

export async function startLoopbackJira(options: { rttMs: number }): Promise<LoopbackServer> {
  const { server, url, counts } = await startServer(options.rttMs, (req, u, body) => {
    if (u.pathname === '/rest/api/3/field') {
      return json('jira field', 200, [
        { id: 'summary', name: 'Summary' },
        { id: RISK_FIELD, name: 'Risk Assessment' },
        { id: CHECKS_FIELD, name: 'Post-Deploy Checks' },
      ]);
    }
    if (req.method === 'POST' && u.pathname === '/rest/api/3/issue/bulkfetch') {
      const keys = (JSON.parse(body) as { issueIdsOrKeys: string[] }).issueIdsOrKeys;
      return json('jira bulkfetch', 200, { issues: keys.map((k, i) => issueJson(readyTicket(k), i)), issueErrors: [] });
    }
    return json(`jira other ${req.method} ${u.pathname}`, 404, { errorMessages: ['Not Found'] });
  });
  return { url, counts, resetCounts: () => counts.clear(), close: () => closeServer(server) };
}
