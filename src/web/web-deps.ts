/** What the web handler is built from (createWebHandler's deps) and its tunables. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import type { ReportStore } from '../store/report-store.js';
import type { WebSessionStore } from '../store/session-store.js';
import type { WebAuthConfig } from './web-auth-config.js';

/** The store methods the web pages use: report, shipment and protection review reads, JIRA delivery de-duplication, sessions and rate limits. */
export type WebReportStore = Pick<
  ReportStore,
  | 'getReport'
  | 'reportShasWithPrefix'
  | 'listRepositories'
  | 'listReports'
  | 'reportsForTicket'
  | 'announcementsForTicket'
  | 'announcementsForSha'
  | 'recordJiraDelivery'
  | 'listEvaluationsForSha'
  | 'getReportById'
  | 'listRepositoryOverviews'
  | 'listShipments'
  | 'shipmentsForSha'
  | 'shipmentsForTicket'
  | 'listProtectionReviewsForSha'
> &
  WebSessionStore;

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RecheckLimits {
  /** Re-checks of one deploy SHA, by anyone. Default 1 per minute. */
  readonly perSha: RateLimit;
  /** Re-checks by one signed-in user (all anonymous visitors share one budget with WEB_AUTH=off). Default 10 per 10 minutes. */
  readonly perUser: RateLimit;
}

export interface WebHandlerOptions {
  /** Reports per history page. Default 50. */
  readonly pageSize?: number;
  /** How long "Re-check now" waits for the re-check before redirecting anyway. Default 25 s. */
  readonly recheckTimeoutMs?: number;
  /** How long a "can this visitor read / push to this repository" answer is kept. Default 5 min. */
  readonly accessCacheTtlMs?: number;
  /** Session lifetime (capped by the GitHub token's own expiry). Default 8 h. */
  readonly sessionTtlMs?: number;
  /** Largest accepted JIRA webhook body. Default BODY_LIMITS.jiraWebhook (1 MiB). */
  readonly maxWebhookBodyBytes?: number;
  readonly recheckLimits?: Partial<RecheckLimits>;
}

export interface WebHandlerDeps {
  readonly store: WebReportStore;
  readonly auth: WebAuthConfig;
  /** The app's public base URL, e.g. https://deploys.example.com (its scheme decides the cookies' Secure flag). */
  readonly publicUrl: string;
  /** JIRA_WEBHOOK_SECRET; null disables POST /jira/webhook (404). */
  readonly jiraWebhookSecret: string | null;
  /** Re-evaluates a deploy and stores the new report. */
  recheck(repo: RepoRef, sha: string): Promise<void>;
  /** Called (not awaited) for each accepted JIRA ticket change. */
  onTicketChanged(key: string): void;
  /** POST /slack/interactions (createSlackInteractionsRoute); absent: the path is not served (404). */
  readonly slackInteractions?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly options?: WebHandlerOptions;
}
