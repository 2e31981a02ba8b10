/**
 * Deploy approval: the seam between the deployment protection rule (src/app/…protection…, which owns the
 * review record and answers GitHub) and Slack (which shows the request and relays an approver's decision from
 * POST /slack/interactions). Pure types; each side receives the other as this interface.
 */
import type { RepoRef } from '../domain.js';

export type ApprovalState = 'waiting' | 'approved' | 'rejected';

/** One protection-rule request that waits for a decision. */
export interface PendingApproval {
  /** Id of the recorded protection review (the Slack buttons carry it). */
  readonly reviewId: number;
  readonly repo: RepoRef;
  readonly environment: string;
  readonly sha: string;
  /** Slack user ids (U…/W…) or user group ids (S…) allowed to decide. */
  readonly approvers: readonly string[];
  readonly state: ApprovalState;
  /** Where the approval request was posted, once it was. */
  readonly slackMessage: { readonly channel: string; readonly ts: string } | null;
}

export interface ApprovalDecision {
  readonly reviewId: number;
  readonly state: 'approved' | 'rejected';
  readonly slackUserId: string;
  readonly slackUserName: string | null;
  /** ISO 8601. */
  readonly at: string;
}

/** Implemented by the protection-rule side; called by the Slack interactions route. */
export interface DeployApprovals {
  get(reviewId: number): Promise<PendingApproval | null>;
  /**
   * Applies the first decision only (a double click or a second approver gets applied: false) and answers the
   * protection rule on GitHub. Returns the approval as it now stands.
   *
   * Who rewrites the Slack message: this implementation, when it applies a decision (ApprovalRequestPoster.update
   * on `slackMessage`). The Slack interactions route (src/web/slack-interactions-route.ts) only calls `get` and
   * `decide`, has already checked that `slackUserId` is an approver, and never updates the message itself; on
   * applied: false it tells the clicker "already decided" in an ephemeral note.
   */
  decide(decision: ApprovalDecision): Promise<{ readonly applied: boolean; readonly approval: PendingApproval }>;
}

/** A status or check run of the SHA being deployed, as the approval request lists them (CI included). */
export interface ShaCheck {
  readonly name: string;
  /** success | failure | pending | error | neutral | skipped | cancelled | timed_out | action_required | in_progress | queued … */
  readonly state: string;
  readonly url: string | null;
}

/** What the approval request shows; built by the protection-rule side, rendered by the Slack side. */
export interface ApprovalRequestContent {
  readonly reviewId: number;
  readonly repo: RepoRef;
  readonly environment: string;
  readonly sha: string;
  /** GitHub login that started the deployment, when known. */
  readonly requestedBy: string | null;
  readonly reportUrl: string;
  /** Stories (high-risk first is the renderer's job), with their post-deploy checks as plain lines. */
  readonly stories: readonly {
    readonly key: string;
    readonly summary: string | null;
    readonly url: string | null;
    readonly highRisk: boolean;
    readonly postDeployChecks: readonly string[];
  }[];
  /** Problem summaries of the evaluation (empty when clean). */
  readonly problems: readonly string[];
  readonly checks: readonly ShaCheck[];
  /** Why it waits: "problems" (onProblems: wait) or "approval" (the environment lists approvers). */
  readonly reason: 'problems' | 'approval';
  readonly approvers: readonly string[];
}

/** Implemented by the Slack side; called by the protection-rule side when a request starts to wait. */
export interface ApprovalRequestPoster {
  /**
   * Posts the request with Approve / Reject buttons; returns where it went. The buttons carry `reviewId` as their
   * value (action ids deploy_approval_approve / deploy_approval_reject). Implemented by
   * src/slack/approval-request-poster.ts; throws (a short reason, never the token) when Slack refuses.
   */
  post(channel: string, content: ApprovalRequestContent): Promise<{ readonly channel: string; readonly ts: string }>;
  /**
   * Rewrites the message in place once decided (buttons removed, who decided and when, or why it was rejected).
   * `by` is shown as a mention when it is a Slack user id (U…/W…), as text otherwise. Called by DeployApprovals.decide's
   * implementation, not by the Slack route.
   */
  update(
    message: { readonly channel: string; readonly ts: string },
    content: ApprovalRequestContent,
    outcome: { readonly state: 'approved' | 'rejected'; readonly by: string; readonly at: string; readonly reason: string | null },
  ): Promise<void>;
}
