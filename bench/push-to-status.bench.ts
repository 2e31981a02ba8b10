/**
 * Benchmark of the whole app from push webhook to final commit status (`npm run bench:push`, part of `npm run
 * bench`). The app runs as `npm start` runs it (Probot's Server with our app function, its default Octokit with
 * retry and throttling, an in-memory SQLite store, JIRA Cloud transport), with GitHub (GHE-style base URL) and JIRA
 * replaced by loopback servers on 127.0.0.1 that delay every response by RTT_MS (bench/loopback-github-jira.ts).
 *
 * Scenarios run in child processes (fresh Octokit limiters, their own RSS): the single deploys of one throttling
 * setting share one, each burst has its own. References are measured in the parent, in the same run:
 *  - floor: the bare round trips of the same shapes (critical path of each scenario), against a loopback server;
 *  - single: push → final status for 3 / 620 / 2,000 / 10,000 commits (2,000 tickets for 10,000), after one
 *    warm-up push (installation token and JIRA field list cached, as on a running server); API calls by endpoint
 *    family against the minimum; RSS before and peak;
 *  - burst: 500 pushes over 50 repositories (10 new heads each), one installation or 50 → time until every
 *    repository's last head has its final status, and evaluations (compare page-1 reads) per head. Bounded by
 *    BENCH_BURST_DEADLINE_S (default 30 s): a burst that has not settled reports how far it got.
 * Prints Markdown tables.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Probot, ProbotOctokit, Server } from 'probot';
import { sign } from '@octokit/webhooks-methods';
import { pino } from 'pino';
import { createDeployCheckerApp } from '../src/app/deploy-checker-app.js';
import { readEnvOptions } from '../src/app/read-env-options.js';
import { createWorkQueue } from '../src/app/work-queue.js';
import { createJiraTransport } from '../src/jira/jira-transport.js';
import { createJiraTicketSource } from '../src/jira/jira-ticket-source.js';
import { createReportStore } from '../src/store/create-report-store.js';
import { JIRA_BATCH_SIZE } from '../src/jira/jira-ticket-source.js';
import { fakeSha } from '../test/helpers/github-mock.js';
import { pushPayload } from '../test/helpers/webhook-payloads.js';
import { freePort } from '../test/helpers/app-harness.js';
import { startLoopbackGitHub, startLoopbackJira, type LoopbackGitHub, type LoopbackServer, type PostedStatus } from './loopback-github-jira.js';

const RTT_MS = 20;
const SECRET = 'bench-webhook-secret';
const BURST_DEADLINE_S = Number(process.env.BENCH_BURST_DEADLINE_S ?? 30);
const JIRA_CONCURRENCY = 4; // createJiraTicketSource's default
const COMPARE_PAGE_CONCURRENCY = 6; // compare pages 2…N at a time (src/github/github-history-source.ts)
const self = fileURLToPath(import.meta.url);

interface SingleSpec {
  readonly commits: number;
  readonly tickets: number;
  readonly throttle: boolean;
  readonly runs: number;
}
interface BurstSpec {
  readonly installations: number;
  readonly throttle: boolean;
}

const SINGLES: SingleSpec[] = [
  { commits: 3, tickets: 3, throttle: true, runs: 5 },
  { commits: 620, tickets: 124, throttle: true, runs: 3 },
  { commits: 2_000, tickets: 400, throttle: true, runs: 2 },
  { commits: 10_000, tickets: 2_000, throttle: true, runs: 1 },
  { commits: 3, tickets: 3, throttle: false, runs: 5 },
  { commits: 10_000, tickets: 2_000, throttle: false, runs: 1 },
];
const BURSTS: BurstSpec[] = [
  { installations: 1, throttle: true },
  { installations: 50, throttle: true },
  { installations: 50, throttle: false },
];
const BURST_REPOS = 50;
const PUSHES_PER_REPO = 10;

const comparePages = (commits: number) => Math.max(1, Math.ceil(commits / 100));
const jiraBatches = (tickets: number) => Math.ceil(tickets / JIRA_BATCH_SIZE);

/** Round trips on the critical path of one warm deploy check as the app is built now. */
function criticalPathShape(commits: number, tickets: number): { count: number; concurrency: number }[] {
  return [
    { count: 1, concurrency: 1 }, // config
    { count: 2, concurrency: 2 }, // both branch heads
    { count: 1, concurrency: 1 }, // compare page 1 (the pending status goes out beside pages 2…N)
    { count: comparePages(commits) - 1, concurrency: COMPARE_PAGE_CONCURRENCY },
    { count: jiraBatches(tickets), concurrency: JIRA_CONCURRENCY },
    { count: 1, concurrency: 1 }, // final status
  ];
}

/** The calls one warm push needs at least: config, two heads, every compare page, pending + final; bulkfetch batches. */
function minimumCalls(commits: number, tickets: number): { github: number; jira: number } {
  return { github: 1 + 2 + comparePages(commits) + 2, jira: jiraBatches(tickets) };
}

// ---------------------------------------------------------------------------------------------------------------
// Child side: one scenario, one process.

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

interface RunningApp {
  deliverPush(owner: string, repo: string, installationId: number, head: string): Promise<void>;
  stop(): Promise<void>;
}

async function startApp(github: LoopbackGitHub, jira: LoopbackServer, throttle: boolean): Promise<RunningApp> {
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });
  const env = readEnvOptions({
    PUBLIC_URL: 'https://checker.test',
    JIRA_BASE_URL: jira.url,
    JIRA_EMAIL: 'bot@example.com',
    JIRA_API_TOKEN: 'jira-bench-token',
    WEB_AUTH: 'off',
    RECONCILE_INTERVAL_MS: '0',
    DATABASE_URL: 'sqlite::memory:',
  });
  const store = await createReportStore({ databaseUrl: env.databaseUrl, logger });
  const queue = createWorkQueue({ concurrency: env.queueConcurrency, maxPending: env.queueMaxPending, logger });
  const transport = createJiraTransport({ ...env.jira!, logger, timeoutMs: env.jiraTimeoutMs, maxAttempts: env.jiraMaxAttempts });
  const shutdown = new AbortController();
  const Octokit = throttle ? ProbotOctokit : ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, throttle: { enabled: false } }));
  const server = new Server({
    Probot: Probot.defaults({ appId: 4242, privateKey, secret: SECRET, baseUrl: github.url, Octokit, log: logger }),
    host: '127.0.0.1',
    port: await freePort(),
    log: logger,
  });
  await server.load(
    createDeployCheckerApp({
      env,
      tickets: createJiraTicketSource({ transport, logger }),
      store,
      queue,
      now: () => new Date(),
      logger,
      slack: null,
      jiraWriter: null,
      shutdown: shutdown.signal,
    }),
  );
  const http = await server.start();
  const address = http.address();
  const webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/github/webhooks`;
  return {
    async deliverPush(owner, repo, installationId, head) {
      const body = JSON.stringify(pushPayload({ owner, repo, installationId }, { ref: 'refs/heads/deploy', after: head }));
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': await sign(SECRET, body),
        },
        body,
      });
      await res.text();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    },
    async stop() {
      shutdown.abort();
      await server.stop();
    },
  };
}

function finalStatusOf(github: LoopbackGitHub, sha: string): Promise<PostedStatus> {
  return new Promise((resolve) => {
    const onStatus = (s: PostedStatus) => {
      if (s.sha !== sha || s.state === 'pending') return;
      github.events.off('status', onStatus);
      resolve(s);
    };
    github.events.on('status', onStatus);
  });
}

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const countsOf = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

async function childSingles(specs: SingleSpec[]) {
  const results = [];
  for (const spec of specs) results.push(await childSingle(spec));
  return results;
}

async function childSingle(spec: SingleSpec) {
  const github = await startLoopbackGitHub({ rttMs: RTT_MS });
  const jira = await startLoopbackJira({ rttMs: RTT_MS });
  const prod = fakeSha('bench-production');
  const warmHead = fakeSha('bench-warm-head');
  github.setBranch('acme', 'warm', 'production', prod);
  github.setBranch('acme', 'warm', 'deploy', warmHead);
  github.addRange({ owner: 'acme', repo: 'warm', baseSha: prod, headSha: warmHead, commits: 3, tickets: 3 });
  const heads = Array.from({ length: spec.runs }, (_, run) => fakeSha(`bench-head-${spec.commits}-${run}`));
  github.setBranch('acme', 'shop', 'production', prod);
  for (const head of heads) github.addRange({ owner: 'acme', repo: 'shop', baseSha: prod, headSha: head, commits: spec.commits, tickets: spec.tickets });

  const app = await startApp(github, jira, spec.throttle);
  const warm = finalStatusOf(github, warmHead);
  await app.deliverPush('acme', 'warm', 1, warmHead);
  await warm;

  const ms: number[] = [];
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let last: { github: Record<string, number>; jira: Record<string, number>; state: string; description: string } | null = null;
  for (const head of heads) {
    // Octokit's write limiter spaces writes 1 s apart: the push arrives at an idle server, as a lone deploy does.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    github.setBranch('acme', 'shop', 'deploy', head);
    github.resetCounts();
    jira.resetCounts();
    const rss = sampleRss();
    const final = finalStatusOf(github, head);
    const t0 = performance.now();
    await app.deliverPush('acme', 'shop', 1, head);
    const status = await final;
    ms.push(status.at - t0);
    rssPeak = Math.max(rssPeak, rss.stop());
    last = { github: countsOf(github.counts), jira: countsOf(jira.counts), state: status.state, description: status.description };
  }
  await app.stop();
  await github.close();
  await jira.close();
  return { kind: 'single', spec, ms, medianMs: median(ms), rssBeforeMb: mb(rssBefore), rssPeakMb: mb(rssPeak), ...last };
}

async function childBurst(spec: BurstSpec) {
  const github = await startLoopbackGitHub({ rttMs: RTT_MS });
  const jira = await startLoopbackJira({ rttMs: RTT_MS });
  const repos = Array.from({ length: BURST_REPOS }, (_, i) => ({
    owner: 'acme',
    repo: `service-${i}`,
    installationId: spec.installations === 1 ? 1 : 1000 + (i % spec.installations),
    prod: fakeSha(`burst-prod-${i}`),
    heads: Array.from({ length: PUSHES_PER_REPO }, (_, k) => fakeSha(`burst-head-${i}-${k}`)),
  }));
  for (const r of repos) {
    github.setBranch(r.owner, r.repo, 'production', r.prod);
    for (const head of r.heads) github.addRange({ owner: r.owner, repo: r.repo, baseSha: r.prod, headSha: head, commits: 3, tickets: 3 });
  }
  const app = await startApp(github, jira, spec.throttle);
  const lastHeads = new Set(repos.map((r) => r.heads.at(-1)!));
  const settledHeads = new Set<string>();
  let settledAt: number | null = null;
  const allSettled = new Promise<void>((resolve) => {
    github.events.on('status', (s: PostedStatus) => {
      if (s.state === 'pending' || !lastHeads.has(s.sha)) return;
      settledHeads.add(s.sha);
      if (settledHeads.size === lastHeads.size) {
        settledAt = s.at;
        resolve();
      }
    });
  });
  const rss = sampleRss();
  const t0 = performance.now();
  // Pushes arrive round by round (every repository's k-th push, then the k+1-th), 25 webhooks in flight at most.
  const pushes = Array.from({ length: PUSHES_PER_REPO }, (_, k) => repos.map((r) => ({ r, head: r.heads[k]! }))).flat();
  let next = 0;
  const deliverer = async () => {
    while (next < pushes.length) {
      const { r, head } = pushes[next++]!;
      github.setBranch(r.owner, r.repo, 'deploy', head);
      await app.deliverPush(r.owner, r.repo, r.installationId, head);
    }
  };
  await Promise.all(Array.from({ length: 25 }, deliverer));
  const deliveredMs = performance.now() - t0;
  let deadline!: NodeJS.Timeout;
  await Promise.race([allSettled, new Promise<void>((resolve) => (deadline = setTimeout(resolve, BURST_DEADLINE_S * 1000)))]);
  clearTimeout(deadline);
  const elapsedMs = performance.now() - t0;
  const rssPeak = rss.stop();
  const evaluations = [...github.comparesByHead.values()];
  const finals = github.statuses.filter((s) => s.state !== 'pending');
  const finalsPerHead = new Map<string, number>();
  for (const s of finals) finalsPerHead.set(s.sha, (finalsPerHead.get(s.sha) ?? 0) + 1);
  const result = {
    kind: 'burst',
    spec,
    pushes: pushes.length,
    deliveredMs,
    settledMs: settledAt === null ? null : (settledAt as number) - t0,
    elapsedMs,
    settledHeads: settledHeads.size,
    evaluations: evaluations.reduce((a, b) => a + b, 0),
    headsEvaluated: evaluations.length,
    maxEvaluationsPerHead: Math.max(0, ...evaluations),
    maxFinalStatusesPerHead: Math.max(0, ...finalsPerHead.values()),
    statuses: github.statuses.length,
    github: countsOf(github.counts),
    jira: countsOf(jira.counts),
    rssPeakMb: mb(rssPeak),
  };
  // Unsettled work is abandoned with the process.
  return result;
}

/** Runs `shape` (steps of `count` requests, `concurrency` at a time, one step after the other) against /ping. */
async function chain(url: string, shape: { count: number; concurrency: number }[]): Promise<number> {
  const t0 = performance.now();
  for (const step of shape) {
    let left = step.count;
    const worker = async () => {
      while (left > 0) {
        left -= 1;
        await (await fetch(`${url}/ping`)).text();
      }
    };
    await Promise.all(Array.from({ length: Math.min(step.concurrency, step.count) }, worker));
  }
  return performance.now() - t0;
}

async function measureFloor() {
  const github = await startLoopbackGitHub({ rttMs: RTT_MS });
  await chain(github.url, [{ count: 12, concurrency: 6 }]); // open the keep-alive sockets
  const one: number[] = [];
  for (let i = 0; i < 9; i++) one.push(await chain(github.url, [{ count: 1, concurrency: 1 }]));
  const rtt = median(one);
  const seq112 = await chain(github.url, [{ count: 112, concurrency: 1 }]);
  const singles: Record<string, number> = {};
  for (const s of SINGLES.filter((x) => x.throttle)) singles[String(s.commits)] = await chain(github.url, criticalPathShape(s.commits, s.tickets));
  const burst = await chain(github.url, Array.from({ length: Math.ceil(BURST_REPOS / 4) }, () => criticalPathShape(3, 3)).flat());
  await github.close();
  return { kind: 'floor', rttMs: rtt, seq112Ms: seq112, singles, burstChainMs: burst };
}

// ---------------------------------------------------------------------------------------------------------------
// Parent side: spawn each scenario, print the tables.

function runChild(args: string[], timeoutMs: number): Record<string, any> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { error: `${args.join(' ')}: exit ${run.status ?? run.signal}; ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, any>;
}

const fmt = (ms: number) => `${Math.round(ms)} ms`;
const sumCounts = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const describeCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

async function parent(): Promise<void> {
  const started = performance.now();
  console.log(`Loopback GitHub and JIRA on 127.0.0.1, ${RTT_MS} ms per response; app as \`npm start\` builds it. Node ${process.version}.\n`);
  const floor = await measureFloor();
  console.log(`Reference (same run): one round trip ${fmt(floor.rttMs)}; 112 sequential round trips (the old 10,000-commit chain) ${fmt(floor.seq112Ms)}.\n`);

  console.log('### Push → final status, one deploy (warm: token and JIRA field list cached)\n');
  console.log(
    '| commits | tickets | Octokit throttling | push → final status (median of runs) | critical-path floor (measured) | RSS before → peak | GitHub calls (minimum) | JIRA calls (minimum) | final status |',
  );
  console.log('|---:|---:|---|---|---|---|---|---|---|');
  // One process per throttling setting: sizes run one after the other (RSS "before" includes the earlier ones).
  const singles = new Map<SingleSpec, Record<string, any>>();
  for (const throttle of [true, false]) {
    const specs = SINGLES.filter((x) => x.throttle === throttle);
    const r = runChild(['singles', JSON.stringify(specs)], 240_000);
    specs.forEach((spec, i) => singles.set(spec, 'error' in r ? r : (r as unknown as Record<string, any>[])[i]!));
  }
  for (const spec of SINGLES) {
    const r = singles.get(spec)!;
    const min = minimumCalls(spec.commits, spec.tickets);
    const floorMs = floor.singles[String(spec.commits)] as number;
    if ('error' in r) {
      console.log(`| ${spec.commits} | ${spec.tickets} | ${spec.throttle ? 'on' : 'off'} | failed: ${r.error} | | | | | |`);
      continue;
    }
    console.log(
      `| ${spec.commits} | ${spec.tickets} | ${spec.throttle ? 'on (default)' : 'off'} | **${fmt(r.medianMs)}** (${spec.runs} run${spec.runs > 1 ? 's' : ''}: ${r.ms.map(fmt).join(', ')}) | ${fmt(floorMs)} | ${r.rssBeforeMb} → ${r.rssPeakMb} MB | ${sumCounts(r.github)} (${min.github}): ${describeCounts(r.github)} | ${sumCounts(r.jira)} (${min.jira}): ${describeCounts(r.jira)} | ${r.state}: ${r.description} |`,
    );
  }

  console.log(`\n### Burst: ${BURST_REPOS * PUSHES_PER_REPO} pushes over ${BURST_REPOS} repositories (3 commits each head), deadline ${BURST_DEADLINE_S} s\n`);
  console.log(
    '| installations | Octokit throttling | webhooks delivered | every last head final | evaluations (heads evaluated, max per head) | final statuses per head (max) | statuses posted | GitHub calls | RSS peak |',
  );
  console.log('|---:|---|---|---|---|---|---|---|---|');
  for (const spec of BURSTS) {
    const r = runChild(['burst', JSON.stringify(spec)], (BURST_DEADLINE_S + 150) * 1000);
    if ('error' in r) {
      console.log(`| ${spec.installations} | ${spec.throttle ? 'on' : 'off'} | failed: ${r.error} | | | | | | |`);
      continue;
    }
    const settled = r.settledMs === null ? `not within ${BURST_DEADLINE_S} s: ${r.settledHeads}/${BURST_REPOS}` : `**${fmt(r.settledMs)}**`;
    console.log(
      `| ${spec.installations} | ${spec.throttle ? 'on (default)' : 'off'} | ${fmt(r.deliveredMs)} | ${settled} | ${r.evaluations} (${r.headsEvaluated}, ${r.maxEvaluationsPerHead}) | ${r.maxFinalStatusesPerHead} | ${r.statuses} | ${sumCounts(r.github)}: ${describeCounts(r.github)} | ${r.rssPeakMb} MB |`,
    );
  }
  console.log(
    `\nBurst references: ${BURST_REPOS} evaluations of 3-commit heads, 4 at a time (QUEUE_CONCURRENCY) → ${Math.ceil(BURST_REPOS / 4)} critical paths in series: ${fmt(floor.burstChainMs)} (measured); ` +
      `with Octokit's write limiter (1 write/s for the process, every installation) ≥ 2 statuses × ${BURST_REPOS} heads = ${2 * BURST_REPOS} s.`,
  );
  console.log(`\nBenchmark wall time: ${Math.round((performance.now() - started) / 1000)} s.`);
}

const [mode, arg] = process.argv.slice(2);
if (!mode) {
  await parent();
} else {
  const result = mode === 'singles' ? await childSingles(JSON.parse(arg!) as SingleSpec[]) : await childBurst(JSON.parse(arg!) as BurstSpec);
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}
