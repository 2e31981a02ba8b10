/**
 * Server-wide settings, read and validated once at start (documented line by line in .env.example). The caller
 * passes the effective environment (src/app/load-env-file.ts: the real environment, `.env` filling the gaps); an
 * invalid value throws an EnvError whose one-line message names the variable.
 */
import { getPrivateKey } from '@probot/get-private-key';
import { z } from 'zod';
import type { JiraAuth } from '../jira/jira-transport.js';
import { githubUrlsFromEnv, webAuthFromEnv, WebAuthConfigError, type WebAuthConfig } from '../web/web-auth-config.js';

/** The HTTP server and the GitHub App's credentials (null before the App is registered: setup mode). */
export interface ServerOptions {
  readonly appId: number | null;
  readonly privateKey: string | null;
  readonly webhookSecret: string | null;
  readonly port: number;
  /** Interface to listen on; default localhost (a container sets HOST=0.0.0.0). */
  readonly host: string;
  readonly webhookPath: string;
  /** pretty: human-readable; json: one JSON object per line; null: pretty on a terminal, JSON otherwise. */
  readonly logFormat: 'pretty' | 'json' | null;
  /** How long a graceful stop (SIGTERM) may drain the work queue before exiting. */
  readonly shutdownTimeoutMs: number;
  /** Bearer token /metrics requires; null: /metrics is open. */
  readonly metricsToken: string | null;
}

export interface EnvOptions {
  readonly server: ServerOptions;
  readonly publicUrl: string | null;
  readonly jira: { readonly baseUrl: string; readonly auth: JiraAuth } | null;
  readonly jiraTimeoutMs: number;
  readonly jiraMaxAttempts: number;
  readonly jiraWebhookSecret: string | null;
  readonly databaseUrl: string | undefined;
  readonly slack: { readonly token: string; readonly apiUrl: string | undefined } | null;
  /** SLACK_SIGNING_SECRET: verifies POST /slack/interactions (deploy approvals); null: that route answers 404. */
  readonly slackSigningSecret: string | null;
  /** Sign-in for the report pages (src/web/web-auth-config.ts: WEB_AUTH, GITHUB_CLIENT_ID/SECRET, SESSION_SECRET). */
  readonly web: WebAuthConfig;
  readonly queueConcurrency: number;
  readonly queueMaxPending: number;
  /** How often the reconciler looks for missed webhooks and interrupted checks; 0 turns it off. */
  readonly reconcileIntervalMs: number;
  /** Pending is posted only for evaluations that take longer than this (0: at once). */
  readonly statusPendingDelayMs: number;
  /** How often recorded status intents are driven to a final status (posts retried, orphans re-evaluated); 0 off. */
  readonly statusSweepIntervalMs: number;
  /** How often waiting deployment protection reviews are evaluated again (0: never, tests). */
  readonly protectionRecheckIntervalMs: number;
  /** How long an evaluation or a post holds its status intent (renewed while it runs); a dead replica's work is taken over after it. */
  readonly statusLeaseMs: number;
  /** Evaluations older than this many days that were superseded and never shipped lose their commit lists. */
  readonly retentionDays: number;
  readonly logLevel: string;
  /** GitHub web and API base URLs (github.com, or GitHub Enterprise Server via GHE_HOST / GHE_PROTOCOL). */
  readonly githubWebUrl: string;
  readonly githubApiUrl: string;
}

const url = z.url({ protocol: /^https?$/ });
const optional = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const schema = z.object({
  APP_ID: z.coerce.number().int().positive('must be the numeric id of the GitHub App').optional(),
  WEBHOOK_SECRET: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().default('localhost'),
  WEBHOOK_PATH: z.string().startsWith('/', 'must start with /').default('/api/github/webhooks'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PUBLIC_URL: url.optional(),
  JIRA_BASE_URL: url.optional(),
  JIRA_EMAIL: z.string().optional(),
  JIRA_API_TOKEN: z.string().optional(),
  JIRA_PAT: z.string().optional(),
  JIRA_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  JIRA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  JIRA_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: url.optional(),
  SLACK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  QUEUE_MAX_PENDING: z.coerce.number().int().min(1).default(1000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
  STATUS_PENDING_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  STATUS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  PROTECTION_RECHECK_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  STATUS_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  RETENTION_DAYS: z.coerce.number().int().min(1, 'must be a whole number of days, at least 1').default(180),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(['http', 'https']).default('https'),
});

export class EnvError extends Error {
  override name = 'EnvError';
}

/** The App's private key (PRIVATE_KEY, PEM or base64, or PRIVATE_KEY_PATH), as Probot reads it; null when unset. */
function readPrivateKey(env: Readonly<Record<string, string | undefined>>, cwd: string): string | null {
  if (!optional(env['PRIVATE_KEY']) && !optional(env['PRIVATE_KEY_PATH'])) return null;
  try {
    return getPrivateKey({ env: { PRIVATE_KEY: optional(env['PRIVATE_KEY']), PRIVATE_KEY_PATH: optional(env['PRIVATE_KEY_PATH']) }, cwd }) ?? null;
  } catch {
    // The library's message may quote the variable's content: say only which variable is wrong.
    throw new EnvError(
      optional(env['PRIVATE_KEY'])
        ? 'Invalid environment: PRIVATE_KEY: not a PEM private key (paste the .pem file, with \\n for line breaks, or use PRIVATE_KEY_PATH)'
        : 'Invalid environment: PRIVATE_KEY_PATH: no readable file there',
    );
  }
}

export function readEnvOptions(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): EnvOptions {
  const cleaned = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, optional(env[k])]));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const privateKey = readPrivateKey(env, cwd);

  let jira: EnvOptions['jira'] = null;
  if (e.JIRA_BASE_URL) {
    if (e.JIRA_PAT) jira = { baseUrl: e.JIRA_BASE_URL, auth: { kind: 'datacenter', pat: e.JIRA_PAT } };
    else if (e.JIRA_EMAIL && e.JIRA_API_TOKEN) jira = { baseUrl: e.JIRA_BASE_URL, auth: { kind: 'cloud', email: e.JIRA_EMAIL, apiToken: e.JIRA_API_TOKEN } };
    else throw new EnvError('JIRA_BASE_URL is set but neither JIRA_PAT (Data Center) nor JIRA_EMAIL + JIRA_API_TOKEN (Cloud) is');
  }

  let web: WebAuthConfig;
  try {
    web = webAuthFromEnv(env);
  } catch (error) {
    if (error instanceof WebAuthConfigError) throw new EnvError(`Invalid environment: ${error.message}`);
    throw error;
  }

  const { githubWebUrl, githubApiUrl } = githubUrlsFromEnv({ GHE_HOST: e.GHE_HOST, GHE_PROTOCOL: e.GHE_PROTOCOL });

  return {
    server: {
      appId: e.APP_ID ?? null,
      privateKey,
      webhookSecret: e.WEBHOOK_SECRET ?? null,
      port: e.PORT,
      host: e.HOST,
      webhookPath: e.WEBHOOK_PATH,
      logFormat: e.LOG_FORMAT ?? null,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      metricsToken: e.METRICS_TOKEN ?? null,
    },
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    jira,
    jiraTimeoutMs: e.JIRA_TIMEOUT_MS,
    jiraMaxAttempts: e.JIRA_MAX_ATTEMPTS,
    jiraWebhookSecret: e.JIRA_WEBHOOK_SECRET ?? null,
    databaseUrl: e.DATABASE_URL,
    slack: e.SLACK_BOT_TOKEN ? { token: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL } : null,
    slackSigningSecret: e.SLACK_SIGNING_SECRET ?? null,
    web,
    queueConcurrency: e.QUEUE_CONCURRENCY,
    queueMaxPending: e.QUEUE_MAX_PENDING,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    statusPendingDelayMs: e.STATUS_PENDING_DELAY_MS,
    statusSweepIntervalMs: e.STATUS_SWEEP_INTERVAL_MS,
    protectionRecheckIntervalMs: e.PROTECTION_RECHECK_INTERVAL_MS,
    statusLeaseMs: e.STATUS_LEASE_MS,
    retentionDays: e.RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    githubWebUrl,
    githubApiUrl,
  };
}
