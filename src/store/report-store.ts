/**
 * The store's interface: what the app, the web pages and the announcer need. One implementation lives beside it
 * (kysely-report-store.ts, opened by create-report-store.ts), on two backends: SQLite by default, PostgreSQL with
 * DATABASE_URL=postgres://…, with versioned migrations (migrations/).
 */
import type { DeployReport, ReportState, RepoRef } from '../core/domain.js';
import type { WebSessionStore } from './session-store.js';
import type { DeliveryStore } from './delivery-store.js';
import type { StatusIntentStore } from './status-intent-store.js';
import type { KnownRepositoryStore } from './known-repository-store.js';
import type { ShipmentStore } from './shipment-store.js';
import type { ProtectionReviewStore } from './protection-review-store.js';
import type { ShipmentRecord } from '../core/records/shipment-record.js';

/** A report without its bulky parts, for lists. */
export interface ReportListItem {
  readonly id: number;
  readonly kind: DeployReport['kind'];
  readonly repo: RepoRef;
  readonly headSha: string;
  readonly baseSha: string | null;
  readonly pullRequestNumber: number | null;
  readonly trigger: DeployReport['trigger'];
  readonly evaluatedAt: string;
  readonly state: ReportState;
  readonly ticketCount: number;
  readonly problemCount: number;
  readonly commitCount: number;
  readonly statusDescription: string;
  /** Tickets of the evaluation that are high risk (jira.highRiskValues). */
  readonly highRiskCount: number;
}

export interface RepoSummary {
  readonly repo: RepoRef;
  readonly latest: ReportListItem;
}

/** One repository on /deploys: what is pending and what last shipped. */
export interface RepositoryOverview {
  readonly repo: RepoRef;
  /** Newest evaluation of any kind. */
  readonly latest: ReportListItem;
  /** Newest deploy evaluation whose head production has not reached (what would ship next), or null. */
  readonly pendingDeploy: ReportListItem | null;
  readonly lastShipment: ShipmentRecord | null;
}

export interface RepositoryFilter {
  /** State of the pending deploy; 'shipped-with-problems': the last shipment was flagged. */
  readonly state?: ReportState | 'shipped-with-problems';
  /** Case-insensitive substring of "owner/repo". */
  readonly repoContains?: string;
  readonly limit: number;
  readonly offset: number;
}

export type AnnouncementState = 'pending' | 'posted' | 'failed';

export interface AnnouncementRecord {
  readonly id: number;
  readonly repo: RepoRef;
  readonly fromSha: string;
  readonly toSha: string;
  readonly channel: string;
  readonly rollback: boolean;
  /** Keys the deploy ships (or, for a rollback, removes). */
  readonly ticketKeys: readonly string[];
  readonly state: AnnouncementState;
  readonly messageTs: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** ISO time before which no other worker may take it. */
  readonly leaseUntil: string | null;
  /** ISO time of the next retry, for failed ones. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Whether the store can serve: reachable, migrated, and (SQLite) still the file that was opened. */
export type StoreHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ReportStore extends WebSessionStore, DeliveryStore, StatusIntentStore, KnownRepositoryStore, ShipmentStore, ProtectionReviewStore {
  /** Reachability, migrations and file identity; never throws. For /readyz and the health watch. */
  checkHealth(): Promise<StoreHealth>;

  /**
   * Saves an evaluation; evaluations are immutable. Identity: (repo, kind, pull request number, head SHA, base SHA,
   * content digest — the report without evaluatedAt, trigger and statusDescription). The same identity again is a
   * no-op returning the stored row's id (the row is not touched); anything else is a new row. Concurrent writers
   * never duplicate. An evaluation equal to an earlier one that a different one has followed since (A, B, A again)
   * is a new row too, so the newest always is the head's current outcome. Returns the row id.
   */
  saveReport(report: DeployReport): Promise<number>;
  /** The newest evaluation of this head SHA (deploy kind first, else the newest pull-request one), or null. */
  getReport(repo: RepoRef, sha: string): Promise<DeployReport | null>;
  /**
   * The full SHAs of the repository's reports that start with `prefix` (lower-case hex), at most `limit` of them:
   * one means a short SHA names a report, two or more that it is ambiguous.
   */
  reportShasWithPrefix(repo: RepoRef, prefix: string, limit: number): Promise<string[]>;
  /** Every evaluation of this head SHA (any kind), newest first: the page shows the newest and links the others. */
  listEvaluationsForSha(repo: RepoRef, sha: string): Promise<ReportListItem[]>;
  getReportById(id: number): Promise<DeployReport | null>;
  /** /deploys: repositories with their pending deploy and last shipment, filtered, newest activity first. */
  listRepositoryOverviews(filter: RepositoryFilter): Promise<{ items: RepositoryOverview[]; total: number }>;
  /**
   * Retention: evaluations evaluated before `before` that are neither the newest for their SHA nor referenced by a
   * shipment lose their commit lists (the summary stays). At most `batchSize` rows per call; returns how many.
   */
  pruneEvaluationCommits(before: Date, batchSize: number): Promise<number>;
  /** Every repository with its newest report, newest first. */
  listRepositories(): Promise<RepoSummary[]>;
  /** Report history of a repository: every evaluation, newest first. */
  listReports(repo: RepoRef, page: { limit: number; offset: number }): Promise<{ items: ReportListItem[]; total: number }>;
  /** Every report that contains the ticket (shipped or reverted), newest first: the newest evaluation per kind, pull request and head. */
  reportsForTicket(key: string): Promise<ReportListItem[]>;
  /** The newest deploy report of each repository that contains the ticket, and the newest report of each pull request. */
  latestReportsForTicket(key: string): Promise<ReportListItem[]>;

  /**
   * Records a deploy to announce; unique per (repo, fromSha, toSha, channel), so a rollback to a SHA announced
   * before is a deploy of its own. `created` is false when it already existed.
   */
  createAnnouncement(input: {
    repo: RepoRef;
    fromSha: string;
    toSha: string;
    channel: string;
    rollback: boolean;
    ticketKeys: readonly string[];
  }): Promise<{ record: AnnouncementRecord; created: boolean }>;
  /**
   * Atomically takes an announcement for posting: succeeds only when it is not posted and no live lease is held
   * by someone else. Returns the record with the new lease, or null.
   */
  claimAnnouncement(id: number, leaseUntil: Date, now: Date): Promise<AnnouncementRecord | null>;
  markAnnouncementPosted(id: number, messageTs: string): Promise<void>;
  markAnnouncementFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** Announcements not yet posted whose lease has expired and whose retry time has come. */
  listDueAnnouncements(now: Date): Promise<AnnouncementRecord[]>;
  /** The newest announcement of the repository (any channel), to find the previous production SHA. */
  latestAnnouncement(repo: RepoRef): Promise<AnnouncementRecord | null>;
  /** Announcements (posted or not) whose deploy contains the ticket, newest first. */
  announcementsForTicket(key: string): Promise<AnnouncementRecord[]>;
  announcementsForSha(repo: RepoRef, toSha: string): Promise<AnnouncementRecord[]>;

  close(): Promise<void>;
}
