/**
 * Deployment protection reviews: one record per (repository, workflow run, environment) that GitHub asked
 * deploy-checker to gate. Recorded before anything is evaluated, so a redelivered request is answered once; every
 * answer is recorded (state, who decided, when, the comment, the evaluation) before it is sent to GitHub, and
 * stays "decided, not delivered" until GitHub accepted it (like the status outbox).
 */
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';

/** A stored time: text (ISO 8601) on SQLite, a Date from a timestamptz on PostgreSQL → ISO 8601. */
const storedTime = z.union([z.string(), z.date()]).transform((value) => (value instanceof Date ? value : new Date(value)).toISOString());
const storedId = z.union([z.number(), z.string(), z.bigint()]).transform((value) => Number(value));

export const protectionReviewStates = ['waiting', 'approved', 'rejected'] as const;
export const protectionWaitReasons = ['problems', 'approval', 'error', 'config'] as const;

/** One row of `protection_reviews` as the database returns it, mapped to the record the app uses. */
export const protectionReviewRowSchema = z
  .object({
    id: storedId,
    owner: z.string(),
    repo: z.string(),
    run_id: storedId,
    environment: z.string(),
    sha: z.string(),
    ref: z.string().nullable(),
    installation_id: storedId.nullable(),
    requested_by: z.string().nullable(),
    requested_at: storedTime,
    state: z.enum(protectionReviewStates),
    wait_reason: z.enum(protectionWaitReasons).nullable(),
    wait_detail: z.string().nullable(),
    report_id: storedId.nullable(),
    approvers: z.string().transform((text) => z.array(z.string()).parse(JSON.parse(text))),
    decided_by: z.string().nullable(),
    decided_at: storedTime.nullable(),
    comment: z.string().nullable(),
    delivered_at: storedTime.nullable(),
    delivery_attempts: storedId,
    last_error: z.string().nullable(),
    next_attempt_at: storedTime.nullable(),
    slack_channel: z.string().nullable(),
    slack_ts: z.string().nullable(),
  })
  .transform((row) => ({
    id: row.id,
    repo: { owner: row.owner, repo: row.repo } satisfies RepoRef,
    runId: row.run_id,
    environment: row.environment,
    sha: row.sha,
    ref: row.ref,
    installationId: row.installation_id,
    /** GitHub login that started the deployment. */
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    state: row.state,
    /** While waiting: why ('problems', 'approval', 'error', 'config') and the detail (problems, error). */
    waitReason: row.wait_reason,
    waitDetail: row.wait_detail,
    /** The newest evaluation (reports.id) the review is based on. */
    reportId: row.report_id,
    approvers: row.approvers,
    /** "deploy-checker" or the Slack user who decided. */
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    comment: row.comment,
    /** When GitHub accepted the answer; null while waiting or not yet delivered. */
    deliveredAt: row.delivered_at,
    deliveryAttempts: row.delivery_attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    slackMessage: row.slack_channel && row.slack_ts ? { channel: row.slack_channel, ts: row.slack_ts } : null,
  }));

export type ProtectionReview = z.output<typeof protectionReviewRowSchema>;
export type ProtectionReviewState = ProtectionReview['state'];
export type ProtectionWaitReason = (typeof protectionWaitReasons)[number];

export interface NewProtectionReview {
  readonly repo: RepoRef;
  readonly runId: number;
  readonly environment: string;
  readonly sha: string;
  readonly ref: string | null;
  readonly installationId: number | null;
  readonly requestedBy: string | null;
  readonly requestedAt: Date;
}

export interface ProtectionDecisionRecord {
  readonly state: 'approved' | 'rejected';
  readonly decidedBy: string;
  readonly at: Date;
  readonly comment: string;
  /** The evaluation behind the answer (unchanged when null). */
  readonly reportId: number | null;
}

export interface ProtectionReviewStore {
  /** Records a request; unique per (repo, run id, environment): `created` is false for a repeated request. */
  createProtectionReview(input: NewProtectionReview): Promise<{ review: ProtectionReview; created: boolean }>;
  getProtectionReview(id: number): Promise<ProtectionReview | null>;
  /** Every review still waiting for an answer, oldest first. */
  listWaitingProtectionReviews(): Promise<ProtectionReview[]>;
  /** Decided reviews GitHub has not accepted yet whose retry time has come, oldest first. */
  listUndeliveredProtectionReviews(now: Date): Promise<ProtectionReview[]>;
  /** Every review of a deployed SHA (the report page), newest first. */
  listProtectionReviewsForSha(repo: RepoRef, sha: string): Promise<ProtectionReview[]>;
  /** Records why a waiting review waits (no effect once decided). */
  recordProtectionWait(
    id: number,
    wait: { reason: ProtectionWaitReason; detail: string; reportId: number | null; approvers: readonly string[] },
    now: Date,
  ): Promise<void>;
  recordProtectionSlackMessage(id: number, message: { channel: string; ts: string }, now: Date): Promise<void>;
  /**
   * The answer, applied only while the review waits (one conditional UPDATE … RETURNING): of two workers or a
   * double click exactly one gets the review back; the other gets null.
   */
  decideProtectionReview(id: number, decision: ProtectionDecisionRecord): Promise<ProtectionReview | null>;
  markProtectionReviewDelivered(id: number, at: Date): Promise<void>;
  markProtectionDeliveryFailed(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<void>;
}
