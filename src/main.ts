/**
 * Entry point (`npm start` = `node dist/main.js`): reads the settings once (the environment, `.env` filling the
 * gaps), builds the edges and runs Probot's Server with the app. Without APP_ID / PRIVATE_KEY it serves the setup
 * flow that registers the GitHub App from app.yml (src/setup/).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Probot, Server } from 'probot';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { createDeployCheckerApp } from './app/deploy-checker-app.js';
import { EnvError, readEnvOptions, type EnvOptions } from './app/read-env-options.js';
import { mergeEnvironment, readEnvFile } from './app/load-env-file.js';
import { createLogger } from './app/create-logger.js';
import { createWorkQueue, type WorkQueue } from './app/work-queue.js';
import { unconfiguredTicketSource } from './app/app-services.js';
import { describeEffectiveConfig } from './app/describe-effective-config.js';
import { countingEvaluations, createAppMetrics, instrumentedFetch } from './app/app-metrics.js';
import { createInstrumentedOctokit } from './app/instrumented-octokit.js';
import { createGracefulShutdown } from './app/graceful-shutdown.js';
import { parseDatabaseUrl } from './store/database-url.js';
import { createJiraTransport } from './jira/jira-transport.js';
import { createJiraTicketSource } from './jira/jira-ticket-source.js';
import { createReportStore } from './store/create-report-store.js';
import { createJiraWriter } from './jira/jira-writer.js';
import { createSlackPoster } from './slack/slack-poster.js';
import { createApprovalRequestPoster, createApprovalSlackClient } from './slack/approval-request-poster.js';
import { createOperationsHandler } from './web/operations-routes.js';
import { createSetupModeHandler } from './setup/setup-mode-handler.js';
import { updateEnvFile } from './setup/update-env-file.js';

const ENV_FILE = resolve('.env');
const HEALTH_WATCH_MS = 30_000;

function readAppYml(): unknown {
  return parseYaml(readFileSync(new URL('../app.yml', import.meta.url), 'utf8'));
}

async function startSetupMode(options: EnvOptions, env: Record<string, string | undefined>, logger: Logger): Promise<void> {
  const { server: s } = options;
  const server = new Server({
    Probot: Probot.defaults({ appId: 1, privateKey: 'setup mode: no key yet', log: logger }),
    host: s.host,
    port: s.port,
    webhookPath: s.webhookPath,
    log: logger,
  });
  await server.load((_app, { addHandler }) => {
    addHandler(
      createSetupModeHandler({
        githubWebUrl: options.githubWebUrl,
        githubApiUrl: options.githubApiUrl,
        publicUrl: options.publicUrl,
        webhookPath: s.webhookPath,
        appYml: readAppYml(),
        hasSessionSecret: Boolean(env['SESSION_SECRET']),
        saveCredentials: (values) => updateEnvFile(ENV_FILE, values),
        logger,
      }),
    );
  });
  await server.start();
  logger.info(`No GitHub App configured (APP_ID, PRIVATE_KEY): open http://${s.host === '0.0.0.0' ? 'localhost' : s.host}:${s.port}/setup to register it`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  const env = mergeEnvironment(process.env, readEnvFile(ENV_FILE));
  const options = readEnvOptions(env);
  const logger = createLogger({ level: options.logLevel, format: options.server.logFormat, isTTY: Boolean(process.stdout.isTTY) });
  const { appId, privateKey, webhookSecret } = options.server;
  if (appId === null || privateKey === null) return startSetupMode(options, env, logger);
  if (webhookSecret === null) throw new EnvError('Invalid environment: WEBHOOK_SECRET: required once APP_ID is set');
  logger.info({ config: describeEffectiveConfig(options) }, 'configuration');

  const metrics = createAppMetrics();
  const transport = options.jira
    ? createJiraTransport({
        ...options.jira,
        logger,
        timeoutMs: options.jiraTimeoutMs,
        maxAttempts: options.jiraMaxAttempts,
        fetch: instrumentedFetch(metrics, 'jira'),
      })
    : null;
  const tickets = transport ? createJiraTicketSource({ transport, logger }) : unconfiguredTicketSource;
  if (!options.jira) logger.warn('JIRA_BASE_URL is not set: every deploy check will end in an error status until it is');
  if (!options.publicUrl) logger.warn('PUBLIC_URL is not set: commit statuses will carry no link to the report page');
  const store = countingEvaluations(await createReportStore({ databaseUrl: options.databaseUrl, logger }), metrics);
  if (parseDatabaseUrl(options.databaseUrl).dialect === 'sqlite') {
    // One process per SQLite file: a lease still held was its predecessor's, which died (kill -9, power loss).
    const released = await store.releaseAllStatusLeases(new Date());
    if (released > 0) logger.warn({ released }, 'took over status intents left by a process that did not stop cleanly');
  }
  const workQueue = createWorkQueue({ concurrency: options.queueConcurrency, maxPending: options.queueMaxPending, logger });
  const queue: WorkQueue = {
    enqueue(key, job, enqueueOptions) {
      const enqueued = workQueue.enqueue(key, job, enqueueOptions);
      if (enqueued.result === 'rejected') metrics.queueRejected.inc({ reason: 'full' });
      return enqueued;
    },
    onIdle: () => workQueue.onIdle(),
    stopAccepting: () => workQueue.stopAccepting(),
    get size() {
      return workQueue.size;
    },
  };
  metrics.observe({ queueDepth: () => queue.size });
  const slack = options.slack
    ? createSlackPoster({ token: options.slack.token, ...(options.slack.apiUrl ? { apiUrl: options.slack.apiUrl } : {}), logger })
    : null;
  if (!slack) logger.info('SLACK_BOT_TOKEN is not set: deploys are not announced');
  const slackApproval = options.slack ? { token: options.slack.token, ...(options.slack.apiUrl ? { apiUrl: options.slack.apiUrl } : {}), logger } : null;
  if (slackApproval && !options.slackSigningSecret) logger.info('SLACK_SIGNING_SECRET is not set: deploy approvals cannot be decided from Slack');
  const stopping = new AbortController();
  const { server: s } = options;
  const server = new Server({
    Probot: Probot.defaults({
      appId,
      privateKey,
      secret: webhookSecret,
      baseUrl: options.githubApiUrl,
      log: logger,
      Octokit: createInstrumentedOctokit(metrics),
    }),
    host: s.host,
    port: s.port,
    webhookPath: s.webhookPath,
    log: logger,
  });
  await server.load((_app, { addHandler }) => {
    addHandler(
      createOperationsHandler({
        checks: [
          { name: 'store', run: () => store.checkHealth() },
          {
            name: 'queue',
            run: async () =>
              stopping.signal.aborted
                ? { ok: false, reason: 'shutting down' }
                : queue.size < options.queueMaxPending
                  ? { ok: true }
                  : { ok: false, reason: `full (${queue.size} jobs)` },
          },
        ],
        registry: metrics.registry,
        metricsToken: s.metricsToken,
        logger,
      }),
    );
  });
  let slackDecisionsIdle: () => Promise<void> = () => Promise.resolve();
  await server.load(
    createDeployCheckerApp(
      {
        env: options,
        tickets,
        store,
        queue,
        now: () => new Date(),
        logger,
        slack,
        approvalPoster: slackApproval ? createApprovalRequestPoster(slackApproval) : null,
        approvalSlack: slackApproval ? createApprovalSlackClient(slackApproval) : null,
        jiraWriter: transport ? createJiraWriter(transport) : null,
        shutdown: stopping.signal,
        metrics,
      },
      { onReady: (ready) => (slackDecisionsIdle = ready.slackDecisionsIdle) },
    ),
  );
  await server.start();

  let lastHealth = 'ok';
  const healthWatch = setInterval(() => {
    void store.checkHealth().then((health) => {
      const now = health.ok ? 'ok' : health.reason;
      if (now !== lastHealth) {
        if (health.ok) logger.info('store healthy again');
        else logger.error({ reason: health.reason }, 'store unhealthy: /readyz fails until it is fixed');
        lastHealth = now;
      }
    });
  }, HEALTH_WATCH_MS);
  healthWatch.unref();

  createGracefulShutdown({
    timeoutMs: s.shutdownTimeoutMs,
    exit: (code) => process.exit(code),
    logger,
    steps: [
      {
        name: 'stop background loops',
        run: () => {
          clearInterval(healthWatch);
          stopping.abort();
        },
      },
      { name: 'stop accepting jobs', run: () => queue.stopAccepting() },
      { name: 'stop the HTTP server', run: () => server.stop() },
      { name: 'drain the queue', run: () => queue.onIdle() },
      { name: 'finish Slack decisions in flight', run: () => slackDecisionsIdle() },
      { name: 'close the store', run: () => store.close() },
    ],
  }).install();
}

main().catch((error: unknown) => {
  // One line naming what is wrong (an EnvError names the variable); never a stack of a secret-bearing value.
  console.error(error instanceof Error ? `deploy-checker cannot start: ${error.message}` : error);
  process.exit(1);
});
