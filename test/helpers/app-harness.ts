/**
 * Runs the whole app as `npm start` does (Probot's Server with our app function) on 127.0.0.1, and delivers
 * webhooks to it over HTTP, signed with the webhook secret like GitHub does.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Probot, ProbotOctokit, Server } from 'probot';
import { sign } from '@octokit/webhooks-methods';
import { pino, type Logger } from 'pino';
import { createDeployCheckerApp } from '../../src/app/deploy-checker-app.js';
import { readEnvOptions, type EnvOptions } from '../../src/app/read-env-options.js';
import { createWorkQueue, type WorkQueue } from '../../src/app/work-queue.js';
import type { AppServices } from '../../src/app/app-services.js';
import type { Reconciler } from '../../src/app/reconcile-missed-work.js';
import type { Reevaluator } from '../../src/app/reevaluate-reports.js';
import type { StatusIntentSweeper } from '../../src/app/sweep-status-intents.js';
import { createJiraTransport } from '../../src/jira/jira-transport.js';
import { createJiraTicketSource } from '../../src/jira/jira-ticket-source.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { createSlackPoster } from '../../src/slack/slack-poster.js';
import { createJiraWriter } from '../../src/jira/jira-writer.js';
import type { ApprovalRequestPoster, DeployApprovals } from '../../src/core/approval/deploy-approval-port.js';
import type { ProtectionReviewLoop } from '../../src/app/protection-review-loop.js';
import type { ApprovalSlackClient } from '../../src/core/slack-approval/approval-slack-port.js';

export const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const APP_ID = 4242;

export interface Harness {
  readonly baseUrl: string;
  readonly queue: WorkQueue;
  readonly env: EnvOptions;
  /** The sweep that re-checks missed or interrupted work (its timer is off in tests: call runOnce). */
  readonly reconciler: Reconciler;
  /** Keys of every job enqueued so far, in order. */
  readonly enqueued: readonly string[];
  /**
   * Delivers a signed webhook and waits until the queued work is done. Returns the HTTP status. Each call is a new
   * delivery (a random X-GitHub-Delivery) unless `deliveryId` is given.
   */
  deliver(event: string, payload: unknown, options?: { signature?: string | null; wait?: boolean; deliveryId?: string }): Promise<number>;
  /** The sweep that drives recorded status intents to a final status (its timer is off in tests: call runOnce). */
  readonly intentSweeper: StatusIntentSweeper;
  /** Web and JIRA re-checks: `idle()` resolves when the ticket-change re-checks started so far are done. */
  readonly reevaluator: Reevaluator;
  /** Deployment protection reviews: the Slack side's port, and the re-evaluation loop (its timer is off: call tick). */
  readonly deployApprovals: DeployApprovals;
  readonly protectionLoop: ProtectionReviewLoop;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  store?: ReportStore | null;
  now?: () => Date;
  /** Post announcements to SLACK_API (needs a store). */
  slack?: boolean;
  /** The logger of the app and of Probot's server (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** Posts deployment approval requests (a fake that records calls, or the real poster pointed at SLACK_API). */
  approvalPoster?: ApprovalRequestPoster;
  /** Slack calls of POST /slack/interactions; with SLACK_SIGNING_SECRET in `env` the route is served. */
  approvalSlack?: ApprovalSlackClient;
}

export const SLACK_API = 'https://slack.test/api/';

export const JIRA_URL = 'https://jira.test';

/** A free loopback port (Probot's Server treats port 0 as "use the default 3000"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const env = readEnvOptions({
    PUBLIC_URL: 'https://checker.test',
    JIRA_BASE_URL: JIRA_URL,
    JIRA_EMAIL: 'bot@example.com',
    JIRA_API_TOKEN: 'jira-secret-token',
    JIRA_MAX_ATTEMPTS: '1',
    JIRA_TIMEOUT_MS: '2000',
    WEB_AUTH: 'off',
    RECONCILE_INTERVAL_MS: '0',
    STATUS_SWEEP_INTERVAL_MS: '0',
    PROTECTION_RECHECK_INTERVAL_MS: '0',
    // Pending at once, so tests see it without waiting; tests of the delay set their own.
    STATUS_PENDING_DELAY_MS: '0',
    ...options.env,
  });
  const workQueue = createWorkQueue({ concurrency: 2, maxPending: 100, logger });
  const enqueued: string[] = [];
  const queue: WorkQueue = {
    enqueue: (key, job, options) => (enqueued.push(key), workQueue.enqueue(key, job, options)),
    onIdle: () => workQueue.onIdle(),
    stopAccepting: () => workQueue.stopAccepting(),
    get size() {
      return workQueue.size;
    },
  };
  const transport = createJiraTransport({ ...env.jira!, logger, timeoutMs: env.jiraTimeoutMs, maxAttempts: env.jiraMaxAttempts });
  const tickets = createJiraTicketSource({ transport, logger });
  const shutdown = new AbortController();
  const services: AppServices = {
    env,
    tickets,
    store: options.store ?? null,
    queue,
    now: options.now ?? (() => new Date()),
    logger,
    slack: options.slack ? createSlackPoster({ token: 'xoxb-test-token', apiUrl: SLACK_API, logger }) : null,
    jiraWriter: createJiraWriter(transport),
    announcementResumeIntervalMs: 3_600_000,
    shutdown: shutdown.signal,
    approvalPoster: options.approvalPoster ?? null,
    approvalSlack: options.approvalSlack ?? null,
  };
  const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
  const server = new Server({
    Probot: Probot.defaults({ appId: APP_ID, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, Octokit: TestOctokit, log: logger }),
    host: '127.0.0.1',
    port: await freePort(),
    log: logger,
  });
  let reconciler: Reconciler | null = null;
  let intentSweeper: StatusIntentSweeper | null = null;
  let reevaluator: Reevaluator | null = null;
  let deployApprovals: DeployApprovals | null = null;
  let protectionLoop: ProtectionReviewLoop | null = null;
  await server.load(
    createDeployCheckerApp(services, {
      onReady: (ready) => {
        reconciler = ready.reconciler;
        intentSweeper = ready.intentSweeper;
        reevaluator = ready.reevaluator;
        deployApprovals = ready.deployApprovals;
        protectionLoop = ready.protectionLoop;
      },
    }),
  );
  const http = await server.start();
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    queue,
    env,
    reconciler: reconciler!,
    enqueued,
    intentSweeper: intentSweeper!,
    reevaluator: reevaluator!,
    deployApprovals: deployApprovals!,
    protectionLoop: protectionLoop!,
    async deliver(event, payload, opts = {}) {
      const body = JSON.stringify(payload);
      const signature = opts.signature === undefined ? await sign(WEBHOOK_SECRET, body) : opts.signature;
      const res = await fetch(`${baseUrl}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': opts.deliveryId ?? randomUUID(),
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body,
      });
      await res.text();
      if (opts.wait !== false) await queue.onIdle();
      return res.status;
    },
    async stop() {
      shutdown.abort();
      await queue.onIdle();
      await server.stop();
    },
  };
}
