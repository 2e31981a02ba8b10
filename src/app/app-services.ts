/** What the Probot app function receives: every edge, built once at start (src/main.ts) or by a test. */
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import type { StatusDelivery, TicketSource } from '../core/ports.js';
import type { ReportStore } from '../store/report-store.js';
import type { SlackPoster } from '../slack/slack-poster.js';
import type { JiraWriter } from '../core/slack-announcement/jira-writer.js';
import type { EnvOptions } from './read-env-options.js';
import type { WorkQueue } from './work-queue.js';
import type { AppMetrics } from './app-metrics.js';
import type { ApprovalRequestPoster } from '../core/approval/deploy-approval-port.js';
import type { ApprovalSlackClient } from '../core/slack-approval/approval-slack-port.js';
import { CheckFailure } from '../core/check-failure.js';
import { reportUrl } from '../core/report-path.js';
import type { GitHubEdge } from '../github/github-edge.js';
import { createGitHubStatusSink } from '../github/github-status-sink.js';
import type { StatusSubject } from '../store/status-intent-store.js';
import {
  createDirectStatusOutbox,
  createIntentStatusOutbox,
  createLeaseOwners,
  defaultStatusTiming,
  type ClosableStatusOutbox,
  type StatusTiming,
} from './status-outbox.js';

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
  /** Status outbox timing (default: pending after STATUS_PENDING_DELAY_MS, 60 s leases, 2 s…60 s retries). */
  readonly statusTiming?: StatusTiming;
  /** Lease owner names of this process (one replica id); created by the app when absent. */
  readonly leaseOwners?: () => string;
  /** Posts deployment approval requests to Slack (protection rule environments); absent: none are posted. */
  readonly approvalPoster?: ApprovalRequestPoster | null;
  /** Slack calls of the interactions route (user-group members, ephemeral notes); absent: POST /slack/interactions is not served. */
  readonly approvalSlack?: ApprovalSlackClient | null;
}

/** What a job knows about where it runs: the installation's GitHub edge and id. */
export interface JobGitHub {
  readonly edge: GitHubEdge;
  readonly installationId: number | null;
}

/** Outbox timing: the services' own (tests), else the defaults with the environment's delay and lease. */
export function statusTimingOf(services: AppServices): StatusTiming {
  return services.statusTiming ?? { ...defaultStatusTiming, pendingDelayMs: services.env.statusPendingDelayMs, leaseMs: services.env.statusLeaseMs };
}

/** The status outbox of one job: recorded intents with a store, straight to GitHub without; `delivery` is the repo's `status.kind`. */
export function statusOutboxFor(
  services: AppServices,
  github: JobGitHub,
  repo: RepoRef,
  subject: StatusSubject,
  delivery: StatusDelivery = 'status',
): ClosableStatusOutbox {
  const timing = statusTimingOf(services);
  const sink = createGitHubStatusSink(github.edge, repo);
  if (!services.store) return createDirectStatusOutbox(sink, { pendingDelayMs: timing.pendingDelayMs, logger: services.logger, delivery });
  return createIntentStatusOutbox({
    store: services.store,
    sink,
    repo,
    installationId: github.installationId,
    subject,
    delivery,
    now: services.now,
    timing,
    newOwner: services.leaseOwners ?? createLeaseOwners(),
    logger: services.logger,
  });
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
