/**
 * Entry point (`npm start`): builds the edges from the environment and runs the Probot server. Without APP_ID /
 * PRIVATE_KEY, Probot's setup flow registers the GitHub App from app.yml.
 */
import { run } from 'probot';
import { createDeployCheckerApp } from './app/deploy-checker-app.js';
import { readEnvOptions } from './app/read-env-options.js';
import { createLogger } from './app/create-logger.js';
import { createWorkQueue } from './app/work-queue.js';
import { unconfiguredTicketSource } from './app/app-services.js';
import { createJiraTransport } from './jira/jira-transport.js';
import { createJiraTicketSource } from './jira/jira-ticket-source.js';
import { createReportStore } from './store/create-report-store.js';
import { createJiraWriter } from './jira/jira-writer.js';
import { createSlackPoster } from './slack/slack-poster.js';

async function main(): Promise<void> {
  process.env.NO_SMEE_SETUP ??= 'true';
  const env = readEnvOptions();
  const logger = createLogger({ level: env.logLevel });
  const transport = env.jira
    ? createJiraTransport({ ...env.jira, logger, timeoutMs: env.jiraTimeoutMs, maxAttempts: env.jiraMaxAttempts })
    : null;
  const tickets = transport ? createJiraTicketSource({ transport, logger }) : unconfiguredTicketSource;
  if (!env.jira) logger.warn('JIRA_BASE_URL is not set: every deploy check will end in an error status until it is');
  if (!env.publicUrl) logger.warn('PUBLIC_URL is not set: commit statuses will carry no link to the report page');
  const store = await createReportStore({ databaseUrl: env.databaseUrl, logger });
  const queue = createWorkQueue({ concurrency: env.queueConcurrency, maxPending: env.queueMaxPending, logger });
  const slack = env.slack ? createSlackPoster({ token: env.slack.token, ...(env.slack.apiUrl ? { apiUrl: env.slack.apiUrl } : {}), logger }) : null;
  if (!slack) logger.info('SLACK_BOT_TOKEN is not set: deploys are not announced');
  const stopping = new AbortController();
  const server = await run(
    createDeployCheckerApp({
      env,
      tickets,
      store,
      queue,
      now: () => new Date(),
      logger,
      slack,
      jiraWriter: transport ? createJiraWriter(transport) : null,
      shutdown: stopping.signal,
    }),
    { log: logger },
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing queued work');
    stopping.abort();
    await server.stop();
    await queue.onIdle();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
