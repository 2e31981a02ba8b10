/**
 * The small interfaces the orchestrator receives. Edges (src/github, src/jira, src/store…) implement them.
 */
import type { CommitInfo, DeployRange, DeployReport, RepoRef, TicketSnapshot } from './domain.js';

/** Git history of one repository (GitHub's API in the app, local git in the CLI). */
export interface HistorySource {
  /** Head SHA of a branch (or any ref the source understands), or null when it does not exist. */
  resolveRef(ref: string): Promise<string | null>;
  /**
   * Every commit reachable from `headSha` and not from `baseSha`, oldest first, all pages read. `onTotal` is called
   * once as soon as the total is known (to post "Checking N commits…").
   */
  compare(
    baseSha: string,
    headSha: string,
    onTotal?: (total: number) => Promise<void> | void,
  ): Promise<Pick<DeployRange, 'status' | 'aheadBy' | 'behindBy'> & { commits: CommitInfo[] }>;
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** Where a head's result is shown (repo config `status.kind`): a commit status, a check run, or both. */
export type StatusDelivery = 'status' | 'check-run' | 'both';

/** A check run's `output`: the title (the status line) and the Markdown summary (≤65,535 characters). */
export interface CheckRunOutput {
  readonly title: string;
  readonly summary: string;
}

/**
 * Shows a head's result on GitHub under `context`: a commit status, a check run named `context`, or both
 * (`delivery`, default `status`). Pending is a pending status / an `in_progress` check run; a final state completes
 * the check run with `checkRun` as its output (the description when absent), the report page as `details_url` and
 * the "Re-check JIRA" action. A check run that already shows exactly that is left alone.
 */
export interface StatusSink {
  setStatus(
    sha: string,
    status: {
      state: CommitState;
      description: string;
      context: string;
      targetUrl: string | null;
      delivery?: StatusDelivery | undefined;
      checkRun?: CheckRunOutput | undefined;
    },
  ): Promise<void>;
}

export type FinalCommitState = Exclude<CommitState, 'pending'>;

/**
 * The status outbox: a head's owed final status is recorded before anything is evaluated or posted, so a crash or
 * an outage never leaves it pending (the app's sweep finishes what was recorded).
 */
export interface StatusOutbox {
  /** Records that `sha` owes a final status under `context`; call before evaluating. */
  open(sha: string, context: string): Promise<OwedStatus>;
}

export interface OwedStatus {
  /**
   * Progress ("Checking N commits…"): shown as `pending` only when the evaluation outlasts a short delay and no
   * final status was posted for the head yet (a final status is never turned back to pending). Never waits for GitHub.
   */
  progress(description: string, targetUrl: string | null): void;
  /**
   * The outcome: recorded, then posted unless GitHub already shows exactly this. `fingerprint` names the inputs
   * (e.g. production and deploy SHAs), `evaluatedAt` orders evaluations (an older one never replaces a newer one).
   */
  settle(
    status: {
      state: FinalCommitState;
      description: string;
      targetUrl: string | null;
      /** The check run's output, built only when the result goes to a check run. */
      checkRun?: () => CheckRunOutput;
    },
    fingerprint: string | null,
    evaluatedAt: string,
  ): Promise<void>;
}

export interface TicketFieldConfig {
  readonly riskAssessment: string;
  readonly postDeployChecks: string;
  readonly riskLevel?: string | undefined;
}

export interface TicketSource {
  /** Upper-case keys of every project in the JIRA instance (cached by the implementation). */
  listProjectKeys(): Promise<string[]>;
  /** The tickets JIRA knows among `keys`; keys it does not return are absent from the map. */
  fetchTickets(keys: readonly string[], fields: TicketFieldConfig): Promise<Map<string, TicketSnapshot>>;
}

export interface ReportSink {
  saveReport(report: DeployReport): Promise<unknown>;
  /** The stored evaluation of a head (deploy kind first), to keep a shipped head's pre-ship evaluation. */
  getReport?(repo: RepoRef, sha: string): Promise<DeployReport | null>;
}
