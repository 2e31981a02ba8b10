/**
 * The domain model shared by the core and every edge. Plain data only (JSON-serialisable), so a report can be
 * stored, served as JSON and rendered without conversion.
 */

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface CommitInfo {
  readonly sha: string;
  /** Full commit message: subject and body. Attacker-controlled text. */
  readonly message: string;
  readonly authorLogin: string | null;
  readonly authorName: string | null;
  /** ISO 8601 author date, when known. */
  readonly date: string | null;
  readonly parents: readonly string[];
  /** Link to the commit on GitHub, when known. */
  readonly url?: string | null;
}

/** The result of comparing production with the deploy head, all pages read. */
export interface DeployRange {
  readonly baseBranch: string;
  readonly headBranch: string;
  readonly baseSha: string;
  readonly headSha: string;
  /** GitHub compare status. */
  readonly status: 'ahead' | 'behind' | 'diverged' | 'identical';
  readonly aheadBy: number;
  readonly behindBy: number;
  /** Commits on the deploy side that production lacks, oldest first. */
  readonly commits: readonly CommitInfo[];
}

/**
 * Rich text reduced to a portable block list, from Atlassian Document Format (API v3), wiki markup (API v2),
 * plain strings, select options or arrays. Inline formatting is dropped; link targets are kept as text.
 */
export type RichBlock =
  | { readonly type: 'paragraph'; readonly text: string }
  | { readonly type: 'heading'; readonly text: string }
  | { readonly type: 'list'; readonly ordered: boolean; readonly items: readonly string[] }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'quote'; readonly text: string };
export type RichDoc = readonly RichBlock[];

/** What the report keeps of a JIRA ticket: only the fields the rules and pages use. */
export interface TicketSnapshot {
  readonly key: string;
  readonly summary: string;
  readonly type: string | null;
  readonly status: string | null;
  readonly assignee: string | null;
  readonly riskAssessment: RichDoc;
  readonly postDeployChecks: RichDoc;
  /** Value of the optional `jira.fields.riskLevel` field, as text. */
  readonly riskLevel: string | null;
  /** Browse URL of the ticket in JIRA. */
  readonly url: string;
}

export type RuleId =
  | 'commit-without-ticket'
  | 'unknown-ticket'
  | 'ticket-status'
  | 'risk-assessment'
  | 'post-deploy-checks'
  | 'branch-behind'
  | 'pull-request-without-ticket';

/** One problem found by a rule. `summary` is short (it can end up in a 140-char status); `fix` says what to do. */
export interface Finding {
  readonly rule: RuleId;
  readonly summary: string;
  readonly fix: string;
  readonly ticketKey?: string;
  readonly commitSha?: string;
}

export type ReportState = 'success' | 'failure' | 'error';

/** What caused an evaluation; 'reconcile': the periodic sweep that catches missed webhooks and interrupted checks. */
export type ReportTrigger = 'push' | 'pull_request' | 'recheck' | 'jira' | 'reconcile' | 'cli';

export interface ReportTicket {
  readonly key: string;
  /** Null when JIRA does not know the key (or ticket checks were skipped). */
  readonly ticket: TicketSnapshot | null;
  /** Commits that ship this ticket, oldest first. */
  readonly commitShas: readonly string[];
}

/** A deploy report: everything one evaluation saw and concluded. */
export interface DeployReport {
  readonly kind: 'deploy' | 'pull_request';
  readonly repo: RepoRef;
  /** For kind 'pull_request' (and release PRs checked as deploys): the pull request. */
  readonly pullRequest: { readonly number: number; readonly title: string; readonly url: string | null } | null;
  readonly baseBranch: string;
  readonly headBranch: string;
  /** What the head was compared with (production for a deploy, the base branch for a pull request); null when unknown. */
  readonly baseSha: string | null;
  readonly headSha: string;
  readonly trigger: ReportTrigger;
  /** ISO 8601 time of the evaluation. */
  readonly evaluatedAt: string;
  readonly state: ReportState;
  /** When state is 'error': why nothing could be concluded. */
  readonly error: string | null;
  readonly compare: { readonly status: DeployRange['status']; readonly aheadBy: number; readonly behindBy: number } | null;
  readonly commits: readonly CommitInfo[];
  readonly tickets: readonly ReportTicket[];
  /** Tickets whose change the deploy takes out, with the reverting commits. */
  readonly reverted: readonly { readonly key: string; readonly commitShas: readonly string[] }[];
  /** Commits that reference no ticket (exempt or not). */
  readonly commitsWithoutTicket: readonly { readonly sha: string; readonly exemptReason: string | null }[];
  readonly findings: readonly Finding[];
  /** True when ticket lookups were skipped (no JIRA configured: CLI only). */
  readonly ticketChecksSkipped: boolean;
  /** Commit status description that was (or would be) posted. */
  readonly statusDescription: string;
  /**
   * Commits whose message was longer than the scan limit (64 KB): only its start was read for keys, reverts and
   * exemptions. Absent when there are none.
   */
  readonly truncatedMessages?: readonly string[];
  /** Keys of the tickets whose risk level is one of jira.highRiskValues (absent in reports stored before it existed). */
  readonly highRiskKeys?: readonly string[];
  /** Set by retention: the commit list of this (superseded, old) evaluation was emptied; the counts stay. */
  readonly commitsPruned?: boolean;
}
