/**
 * The status outbox's store interface. A status intent records, before anything is posted, that a head (SHA) of a
 * repository owes a final commit status under a context. It is done only when GitHub accepted the desired final
 * status (`posted` equals `desired`). Workers take an intent with a lease (one conditional UPDATE … RETURNING), so
 * of several replicas exactly one posts; an expired lease (a crash) lets any replica's sweep take over.
 */
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';

export const statusSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy') }),
  z.object({ kind: z.literal('pull_request'), number: z.number().int().positive() }),
]);
/** What the status is about: the evaluation to run again when the intent is orphaned. */
export type StatusSubject = z.infer<typeof statusSubjectSchema>;

export const finalStatusSchema = z.object({
  state: z.enum(['success', 'failure', 'error']),
  description: z.string(),
  targetUrl: z.string().nullable(),
  /** Absent: a commit status only (as before check runs existed). */
  delivery: z.enum(['status', 'check-run', 'both']).optional(),
  /** The check run's output (with a delivery that includes a check run). */
  checkRun: z.object({ title: z.string(), summary: z.string() }).optional(),
});
/** A final result as posted to GitHub: a commit status, a check run or both (`delivery`). */
export type FinalStatus = z.infer<typeof finalStatusSchema>;

export interface StatusIntentKey {
  readonly repo: RepoRef;
  readonly sha: string;
  readonly context: string;
}

export interface StatusIntent extends StatusIntentKey {
  readonly id: number;
  readonly installationId: number | null;
  readonly subject: StatusSubject;
  /** The final status the head must show; null while it is being evaluated. */
  readonly desired: FinalStatus | null;
  readonly desiredFingerprint: string | null;
  readonly desiredEvaluatedAt: string | null;
  /** The last final status GitHub accepted, or null. */
  readonly posted: FinalStatus | null;
  readonly postedFingerprint: string | null;
  /** Failed posting (or evaluation) attempts since the last success. */
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly leaseOwner: string | null;
  readonly leaseUntil: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Lease {
  readonly owner: string;
  readonly until: Date;
}

/** Whether the intent still owes GitHub a status: not evaluated yet, or evaluated to something not posted. */
export function isUnfinished(intent: Pick<StatusIntent, 'desired' | 'posted'>): boolean {
  return intent.desired === null || !sameFinalStatus(intent.desired, intent.posted);
}

export function sameFinalStatus(a: FinalStatus | null, b: FinalStatus | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.state === b.state &&
    a.description === b.description &&
    a.targetUrl === b.targetUrl &&
    (a.delivery ?? 'status') === (b.delivery ?? 'status') &&
    a.checkRun?.title === b.checkRun?.title &&
    a.checkRun?.summary === b.checkRun?.summary
  );
}

export interface StatusIntentStore {
  /**
   * An evaluation of the head starts: creates the intent (or reopens it: `desired` becomes null, what was posted
   * stays) and gives the lease to `lease.owner`. Recorded before anything is posted or computed.
   */
  beginStatusEvaluation(input: StatusIntentKey & { installationId: number | null; subject: StatusSubject }, lease: Lease, now: Date): Promise<StatusIntent>;
  /** Extends a lease the owner still holds; false when it lost it. */
  renewStatusIntentLease(id: number, lease: Lease): Promise<boolean>;
  /**
   * Records the evaluation's outcome, unless a newer evaluation (by `evaluatedAt`) already recorded one; the retry
   * schedule restarts. Returns the intent as stored afterwards.
   */
  recordDesiredStatus(id: number, desired: { status: FinalStatus; fingerprint: string | null; evaluatedAt: string }, now: Date): Promise<StatusIntent>;
  /**
   * Takes the intent for posting: only when its desired status differs from the posted one, no one else holds a
   * live lease (the owner may re-take its own) and its retry time has come — or `ignoreSchedule` for the owner that
   * just evaluated it. Null otherwise.
   */
  claimStatusPost(id: number, lease: Lease, now: Date, options?: { ignoreSchedule?: boolean }): Promise<StatusIntent | null>;
  /** GitHub accepted `status` for the owner's claim: it becomes `posted`, the lease is released. */
  markStatusPosted(id: number, owner: string, posted: { status: FinalStatus; fingerprint: string | null }, now: Date): Promise<void>;
  /** Posting (or re-evaluating) failed: lease released, retried at `nextAttemptAt`. */
  markStatusAttemptFailed(id: number, owner: string, error: string, nextAttemptAt: Date, now: Date): Promise<void>;
  /**
   * Retention: deletes at most `batchSize` finished intents (GitHub shows what was desired, no lease) last touched
   * before `before`; returns how many. A later evaluation of such a head simply creates a new intent.
   */
  pruneFinishedStatusIntents(before: Date, batchSize: number): Promise<number>;
  /** Takes an intent whose evaluation was orphaned (no desired status, lease expired) to evaluate it again. */
  claimStatusEvaluation(id: number, lease: Lease, now: Date): Promise<StatusIntent | null>;
  /** Releases the owner's lease without changing anything else. */
  releaseStatusIntent(id: number, owner: string, now: Date): Promise<void>;
  /** Drops an intent that is no longer owed (the pull request closed, the branch is gone), if `owner` still holds it unevaluated. */
  abandonStatusIntent(id: number, owner: string): Promise<boolean>;
  getStatusIntent(key: StatusIntentKey): Promise<StatusIntent | null>;
  /** Unfinished intents with no live lease whose retry time has come, oldest first. */
  listDueStatusIntents(now: Date, limit: number): Promise<StatusIntent[]>;
  /**
   * Releases every lease (returns how many were held). Only for a store no other process can use (a SQLite file):
   * at start, a lease still held belonged to this process's predecessor, which died.
   */
  releaseAllStatusLeases(now: Date): Promise<number>;
}
