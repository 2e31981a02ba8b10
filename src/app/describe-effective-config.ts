/**
 * What the server runs with, for the start-up log line: which integrations are on, the store kind, the public URL,
 * the sign-in mode. Never a secret: tokens, keys and passwords appear only as "set".
 */
import { describePostgresTarget, parseDatabaseUrl } from '../store/database-url.js';
import type { EnvOptions } from './read-env-options.js';

export function describeEffectiveConfig(options: EnvOptions): Record<string, unknown> {
  const store = parseDatabaseUrl(options.databaseUrl);
  return {
    listen: `${options.server.host}:${options.server.port}`,
    publicUrl: options.publicUrl ?? 'unset (statuses carry no report link)',
    github: { api: options.githubApiUrl, appId: options.server.appId, webhookPath: options.server.webhookPath },
    webAuth: options.web.mode,
    store: store.dialect === 'sqlite' ? { kind: 'sqlite', file: store.filename } : { kind: 'postgres', ...describePostgresTarget(store.connectionString) },
    jira: options.jira ? { baseUrl: options.jira.baseUrl, flavor: options.jira.auth.kind, webhook: options.jiraWebhookSecret ? 'on' : 'off' } : 'off',
    slack: options.slack
      ? {
          apiUrl: options.slack.apiUrl ?? 'https://slack.com/api/',
          approvals: options.slackSigningSecret ? 'on' : 'off (SLACK_SIGNING_SECRET unset: /slack/interactions not served)',
        }
      : 'off',
    metrics: options.server.metricsToken ? 'bearer token required' : 'open',
    queue: { concurrency: options.queueConcurrency, maxPending: options.queueMaxPending },
    reconcileIntervalMs: options.reconcileIntervalMs,
    protectionRecheckIntervalMs: options.protectionRecheckIntervalMs,
    retentionDays: options.retentionDays,
    shutdownTimeoutMs: options.server.shutdownTimeoutMs,
    logLevel: options.logLevel,
  };
}
