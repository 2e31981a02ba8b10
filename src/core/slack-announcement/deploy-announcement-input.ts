/**
 * What a deploy announcement says, as plain JSON-serialisable data. The caller computes it (commits, tickets,
 * reverts) from GitHub and JIRA; `buildDeployAnnouncement` turns it into a Slack message without any I/O.
 */
import type { RepoRef, TicketSnapshot } from '../domain.js';

/** One story (JIRA ticket) the deploy ships, or for a rollback, removes. */
export interface AnnouncedStory {
  readonly key: string;
  /** Null when JIRA does not know the key (or could not be asked). */
  readonly ticket: TicketSnapshot | null;
  /** Commits of the range that reference the key. */
  readonly commitCount: number;
}

/** A ticket whose change the deploy takes out (a revert commit in the range). */
export interface AnnouncedRevert {
  readonly key: string;
  readonly ticket: TicketSnapshot | null;
  readonly commitCount: number;
}

export interface DeployAnnouncementInput {
  readonly repo: RepoRef;
  /** Production before the deploy (last announced production SHA, or the push's `before`). */
  readonly fromSha: string;
  /** Production after the deploy. */
  readonly toSha: string;
  /** GitHub login (or name) of whoever pushed or deployed; null when unknown. */
  readonly deployedBy: string | null;
  /** ISO 8601 time of the deploy (push or deployment status time). */
  readonly deployedAt: string;
  /** True when production moved backwards: `stories` are then the stories the deploy removes. */
  readonly rollback: boolean;
  /** In the order the caller wants them shown (high-risk ones are moved first by the builder). */
  readonly stories: readonly AnnouncedStory[];
  /** Commits in the range (shipped, or for a rollback removed). */
  readonly commitCount: number;
  /** Commits of the range that reference no ticket (exempt or not). */
  readonly commitsWithoutTicket: number;
  readonly reverted: readonly AnnouncedRevert[];
  /** GitHub compare page of the range, when known. */
  readonly compareUrl: string | null;
  /** The deploy report page of deploy-checker, when known. */
  readonly reportUrl: string | null;
  /** JIRA base URL, to link keys JIRA did not return a ticket for. */
  readonly jiraBaseUrl: string | null;
  /** Config `jira.highRiskValues`. */
  readonly highRiskValues: readonly string[];
  /**
   * The deploy check that was current for `toSha` when it shipped: its problems (summaries) when it failed, an
   * error it ended in, or `never-checked`. Absent: not known (the announcement says nothing about it).
   */
  readonly shippedCheck?: ShippedCheck;
  /** Config `slack.mention`: Slack user group / user ids to mention when the deploy is high-risk or has problems. */
  readonly mention?: readonly string[];
}

export type ShippedCheck =
  | { readonly state: 'success' }
  | { readonly state: 'failure'; readonly problems: readonly string[] }
  | { readonly state: 'error'; readonly error: string }
  | { readonly state: 'never-checked' };
