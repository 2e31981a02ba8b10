/** What the Probot app function receives: every edge, built once at start (src/main.ts) or by a test. */
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import type { TicketSource } from '../core/ports.js';
import type { ReportStore } from '../store/report-store.js';
import type { SlackPoster } from '../slack/slack-poster.js';
import type { JiraWriter } from '../core/slack-announcement/jira-writer.js';
import type { EnvOptions } from './read-env-options.js';
import type { WorkQueue } from './work-queue.js';
import type { AppMetrics } from './app-metrics.js';
import { CheckFailure } from '../core/check-failure.js';
import { reportUrl } from '../core/report-path.js';

export interface AppServices {
  readonly env: EnvOptions;
  readonly tickets: TicketSource;
  readonly store: ReportStore | null;
  readonly queue: WorkQueue;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Null: no SLACK_BOT_TOKEN, no announcements. Announcements also need the store (exactly once). */
  readonly slack?: SlackPoster | null;
  /** For `jira.onDeploy` write-back; null without JIRA settings. */
  readonly jiraWriter?: JiraWriter | null;
  /** How often recorded but unannounced deploys are retried (default one minute). */
  readonly announcementResumeIntervalMs?: number;
  /** Aborted when the server shuts down: background loops stop. */
  readonly shutdown?: AbortSignal;
  /** Prometheus metrics (src/app/app-metrics.ts); absent in tests that do not look at them. */
  readonly metrics?: AppMetrics;
}

/** The report page URL for a SHA, or null without PUBLIC_URL. */
export function reportUrlFor(env: EnvOptions): (repo: RepoRef, sha: string) => string | null {
  return (repo, sha) => (env.publicUrl ? reportUrl(env.publicUrl, repo, sha) : null);
}

/** Stand-in TicketSource when the server has no JIRA settings: every check ends in a clear error status. */
export const unconfiguredTicketSource: TicketSource = {
  listProjectKeys: () => Promise.reject(new CheckFailure('JIRA is not configured on this deploy-checker server (JIRA_BASE_URL)', 'jira')),
  fetchTickets: () => Promise.reject(new CheckFailure('JIRA is not configured on this deploy-checker server (JIRA_BASE_URL)', 'jira')),
};
