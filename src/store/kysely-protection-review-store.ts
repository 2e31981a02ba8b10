/**
 * ProtectionReviewStore over kysely (SQLite and PostgreSQL). The request is one INSERT … ON CONFLICT DO NOTHING on
 * (owner, repo, run_id, environment); the answer is one conditional UPDATE … WHERE state = 'waiting' RETURNING, so
 * two workers (or two clicks) can never both answer a review.
 */
import type { Generated, Kysely } from 'kysely';
import { protectionReviewRowSchema, type ProtectionReview, type ProtectionReviewStore } from './protection-review-store.js';

type Time = string | Date;

interface ProtectionReviewsTable {
  id: Generated<number>;
  owner: string;
  repo: string;
  run_id: number | string;
  environment: string;
  sha: string;
  ref: string | null;
  installation_id: number | string | null;
  requested_by: string | null;
  requested_at: Time;
  state: string;
  wait_reason: string | null;
  wait_detail: string | null;
  report_id: number | null;
  approvers: string;
  decided_by: string | null;
  decided_at: Time | null;
  comment: string | null;
  delivered_at: Time | null;
  delivery_attempts: number;
  last_error: string | null;
  next_attempt_at: Time | null;
  slack_channel: string | null;
  slack_ts: string | null;
  created_at: Time;
  updated_at: Time;
}

/** Longest error text kept for a failed delivery. */
const MAX_ERROR_LENGTH = 2000;

const toReview = (row: unknown): ProtectionReview => protectionReviewRowSchema.parse(row);

export function createKyselyProtectionReviewStore(anyDb: Kysely<unknown>): ProtectionReviewStore {
  const db = anyDb as unknown as Kysely<{ protection_reviews: ProtectionReviewsTable }>;
  const table = () => db.selectFrom('protection_reviews').selectAll();

  async function byId(id: number): Promise<ProtectionReview | null> {
    const row = await table().where('id', '=', id).executeTakeFirst();
    return row ? toReview(row) : null;
  }

  return {
    async createProtectionReview(input) {
      const at = input.requestedAt.toISOString();
      const inserted = await db
        .insertInto('protection_reviews')
        .values({
          owner: input.repo.owner,
          repo: input.repo.repo,
          run_id: input.runId,
          environment: input.environment,
          sha: input.sha,
          ref: input.ref,
          installation_id: input.installationId,
          requested_by: input.requestedBy,
          requested_at: at,
          state: 'waiting',
          approvers: '[]',
          delivery_attempts: 0,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(['owner', 'repo', 'run_id', 'environment']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { review: toReview(inserted), created: true };
      const existing = await table()
        .where('owner', '=', input.repo.owner)
        .where('repo', '=', input.repo.repo)
        .where('run_id', '=', input.runId)
        .where('environment', '=', input.environment)
        .executeTakeFirstOrThrow();
      return { review: toReview(existing), created: false };
    },

    getProtectionReview: byId,

    async listWaitingProtectionReviews() {
      const rows = await table().where('state', '=', 'waiting').orderBy('id').execute();
      return rows.map(toReview);
    },

    async listUndeliveredProtectionReviews(now) {
      const rows = await table()
        .where('state', '!=', 'waiting')
        .where('delivered_at', 'is', null)
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now.toISOString())]))
        .orderBy('id')
        .execute();
      return rows.map(toReview);
    },

    async listProtectionReviewsForSha(repo, sha) {
      const rows = await table().where('owner', '=', repo.owner).where('repo', '=', repo.repo).where('sha', '=', sha).orderBy('id', 'desc').execute();
      return rows.map(toReview);
    },

    async recordProtectionWait(id, wait, now) {
      await db
        .updateTable('protection_reviews')
        .set({
          wait_reason: wait.reason,
          wait_detail: wait.detail,
          approvers: JSON.stringify(wait.approvers),
          updated_at: now.toISOString(),
          ...(wait.reportId !== null ? { report_id: wait.reportId } : {}),
        })
        .where('id', '=', id)
        .where('state', '=', 'waiting')
        .execute();
    },

    async recordProtectionSlackMessage(id, message, now) {
      await db
        .updateTable('protection_reviews')
        .set({ slack_channel: message.channel, slack_ts: message.ts, updated_at: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },

    async decideProtectionReview(id, decision) {
      const at = decision.at.toISOString();
      const row = await db
        .updateTable('protection_reviews')
        .set({
          state: decision.state,
          decided_by: decision.decidedBy,
          decided_at: at,
          comment: decision.comment,
          next_attempt_at: null,
          updated_at: at,
          ...(decision.reportId !== null ? { report_id: decision.reportId } : {}),
        })
        .where('id', '=', id)
        .where('state', '=', 'waiting')
        .returningAll()
        .executeTakeFirst();
      return row ? toReview(row) : null;
    },

    async markProtectionReviewDelivered(id, at) {
      await db
        .updateTable('protection_reviews')
        .set({ delivered_at: at.toISOString(), last_error: null, next_attempt_at: null, updated_at: at.toISOString() })
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .execute();
    },

    async markProtectionDeliveryFailed(id, error, nextAttemptAt, now) {
      await db
        .updateTable('protection_reviews')
        .set((eb) => ({
          delivery_attempts: eb('delivery_attempts', '+', 1),
          last_error: error.slice(0, MAX_ERROR_LENGTH),
          next_attempt_at: nextAttemptAt.toISOString(),
          updated_at: now.toISOString(),
        }))
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .execute();
    },
  };
}
