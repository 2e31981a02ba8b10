/**
 * StatusIntentStore over kysely, the same statements on SQLite and PostgreSQL. Every change is one statement;
 * taking an intent is one conditional UPDATE … RETURNING, so two replicas can never both hold it. Desired and
 * posted statuses are stored as canonical JSON text (fixed key order), so "posted equals desired" is a text
 * comparison in SQL.
 */
import { sql } from 'kysely';
import type { ColumnType, ExpressionBuilder, Generated, Kysely, Selectable } from 'kysely';
import type { StoreDatabase } from './store-database.js';
import {
  finalStatusSchema,
  statusSubjectSchema,
  type FinalStatus,
  type StatusIntent,
  type StatusIntentStore,
  type StatusSubject,
} from './status-intent-store.js';
import type { z } from 'zod';

type StoredTime = ColumnType<string | Date, string, string>;
type NullableStoredTime = ColumnType<string | Date | null, string | null, string | null>;

export interface StatusIntentsTable {
  id: Generated<number>;
  owner: string;
  repo: string;
  sha: string;
  context: string;
  installation_id: ColumnType<number | string | null, number | null, number | null>;
  subject: string;
  desired: string | null;
  desired_fingerprint: string | null;
  desired_evaluated_at: NullableStoredTime;
  posted: string | null;
  posted_fingerprint: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: NullableStoredTime;
  lease_owner: string | null;
  lease_until: NullableStoredTime;
  created_at: StoredTime;
  updated_at: StoredTime;
}

type IntentRow = Selectable<StatusIntentsTable>;
type IntentDatabase = StoreDatabase & { status_intents: StatusIntentsTable };
const MAX_ERROR_LENGTH = 2000;

export function createKyselyStatusIntentStore(storeDb: Kysely<StoreDatabase>): StatusIntentStore {
  const db: Kysely<IntentDatabase> = storeDb.withTables<{ status_intents: StatusIntentsTable }>();
  const leaseFree = (nowIso: string) => (eb: ExpressionBuilder<IntentDatabase, 'status_intents'>) =>
    eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]);

  async function byId(id: number): Promise<StatusIntent> {
    const row = await db.selectFrom('status_intents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toIntent(row);
  }

  return {
    async beginStatusEvaluation(input, lease, now) {
      const nowIso = iso(now);
      const row = await db
        .insertInto('status_intents')
        .values({
          owner: input.repo.owner,
          repo: input.repo.repo,
          sha: input.sha,
          context: input.context,
          installation_id: input.installationId,
          subject: JSON.stringify(statusSubjectSchema.parse(input.subject)),
          desired: null,
          desired_fingerprint: null,
          desired_evaluated_at: null,
          posted: null,
          posted_fingerprint: null,
          attempts: 0,
          last_error: null,
          next_attempt_at: null,
          lease_owner: lease.owner,
          lease_until: iso(lease.until),
          created_at: nowIso,
          updated_at: nowIso,
        })
        .onConflict((oc) =>
          oc.columns(['owner', 'repo', 'sha', 'context']).doUpdateSet((eb) => {
            // Another worker holding a live lease on a recorded outcome may be posting it right now: the new
            // evaluation leaves that lease alone (taking it would let both post the same status). It still runs,
            // and its outcome is posted by whoever holds the intent next (its own settle, or the sweep).
            const posting = sql<boolean>`(status_intents.desired is not null and status_intents.lease_until is not null and status_intents.lease_until > ${nowIso})`;
            return {
              installation_id: eb.fn.coalesce(eb.ref('excluded.installation_id'), eb.ref('status_intents.installation_id')),
              subject: eb.ref('excluded.subject'),
              desired: null,
              desired_fingerprint: null,
              next_attempt_at: null,
              lease_owner: sql<string | null>`case when ${posting} then status_intents.lease_owner else excluded.lease_owner end`,
              lease_until: sql<string | null>`case when ${posting} then status_intents.lease_until else excluded.lease_until end`,
              updated_at: eb.ref('excluded.updated_at'),
            };
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toIntent(row);
    },

    async renewStatusIntentLease(id, lease) {
      const renewed = await db
        .updateTable('status_intents')
        .set({ lease_until: iso(lease.until) })
        .where('id', '=', id)
        .where('lease_owner', '=', lease.owner)
        .returning('id')
        .executeTakeFirst();
      return renewed !== undefined;
    },

    async recordDesiredStatus(id, desired, now) {
      const evaluatedAt = iso(desired.evaluatedAt);
      await db
        .updateTable('status_intents')
        .set({
          desired: finalStatusText(desired.status),
          desired_fingerprint: desired.fingerprint,
          desired_evaluated_at: evaluatedAt,
          attempts: 0,
          last_error: null,
          next_attempt_at: null,
          updated_at: iso(now),
        })
        .where('id', '=', id)
        // An older evaluation finishing late does not replace a newer outcome.
        .where((eb) => eb.or([eb('desired_evaluated_at', 'is', null), eb('desired_evaluated_at', '<=', evaluatedAt)]))
        .execute();
      return byId(id);
    },

    async claimStatusPost(id, lease, now, options = {}) {
      const nowIso = iso(now);
      let query = db
        .updateTable('status_intents')
        .set({ lease_owner: lease.owner, lease_until: iso(lease.until), updated_at: nowIso })
        .where('id', '=', id)
        .where('desired', 'is not', null)
        .where((eb) => eb.or([eb('posted', 'is', null), eb('posted', '<>', eb.ref('desired'))]))
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso), eb('lease_owner', '=', lease.owner)]));
      if (!options.ignoreSchedule) {
        query = query.where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]));
      }
      const row = await query.returningAll().executeTakeFirst();
      return row === undefined ? null : toIntent(row);
    },

    async markStatusPosted(id, owner, posted, now) {
      await db
        .updateTable('status_intents')
        .set({
          posted: finalStatusText(posted.status),
          posted_fingerprint: posted.fingerprint,
          attempts: 0,
          last_error: null,
          next_attempt_at: null,
          updated_at: iso(now),
        })
        .where('id', '=', id)
        .execute();
      await db.updateTable('status_intents').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
    },

    async markStatusAttemptFailed(id, owner, error, nextAttemptAt, now) {
      await db
        .updateTable('status_intents')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, MAX_ERROR_LENGTH),
          next_attempt_at: iso(nextAttemptAt),
          lease_owner: null,
          lease_until: null,
          updated_at: iso(now),
        }))
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute();
    },

    async claimStatusEvaluation(id, lease, now) {
      const nowIso = iso(now);
      const row = await db
        .updateTable('status_intents')
        .set({ lease_owner: lease.owner, lease_until: iso(lease.until), updated_at: nowIso })
        .where('id', '=', id)
        .where('desired', 'is', null)
        .where(leaseFree(nowIso))
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : toIntent(row);
    },

    async releaseStatusIntent(id, owner, now) {
      await db
        .updateTable('status_intents')
        .set({ lease_owner: null, lease_until: null, updated_at: iso(now) })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute();
    },

    async releaseAllStatusLeases(now) {
      const released = await db
        .updateTable('status_intents')
        .set({ lease_owner: null, lease_until: null, updated_at: iso(now) })
        .where('lease_owner', 'is not', null)
        .returning('id')
        .execute();
      return released.length;
    },

    async pruneFinishedStatusIntents(before, batchSize) {
      const due = db
        .selectFrom('status_intents')
        .select('id')
        .where('desired', 'is not', null)
        .whereRef('posted', '=', 'desired')
        .where('lease_owner', 'is', null)
        .where('updated_at', '<', iso(before))
        .orderBy('id')
        .limit(batchSize);
      const deleted = await db.deleteFrom('status_intents').where('id', 'in', due).returning('id').execute();
      return deleted.length;
    },

    async abandonStatusIntent(id, owner) {
      const deleted = await db
        .deleteFrom('status_intents')
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('desired', 'is', null)
        .returning('id')
        .executeTakeFirst();
      return deleted !== undefined;
    },

    async getStatusIntent(key) {
      const row = await db
        .selectFrom('status_intents')
        .selectAll()
        .where('owner', '=', key.repo.owner)
        .where('repo', '=', key.repo.repo)
        .where('sha', '=', key.sha)
        .where('context', '=', key.context)
        .executeTakeFirst();
      return row === undefined ? null : toIntent(row);
    },

    async listDueStatusIntents(now, limit) {
      const nowIso = iso(now);
      const rows = await db
        .selectFrom('status_intents')
        .selectAll()
        .where((eb) => eb.or([eb('desired', 'is', null), eb('posted', 'is', null), eb('posted', '<>', eb.ref('desired'))]))
        .where(leaseFree(nowIso))
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toIntent);
    },
  };
}

/** Canonical JSON (fixed key order), so equal statuses are equal text. */
function finalStatusText(status: FinalStatus): string {
  const parsed = finalStatusSchema.parse(status);
  // Statuses without a check run keep the text they had before check runs existed (rows stay comparable).
  const delivery = parsed.delivery === undefined || parsed.delivery === 'status' ? {} : { delivery: parsed.delivery };
  const checkRun = parsed.checkRun === undefined ? {} : { checkRun: { title: parsed.checkRun.title, summary: parsed.checkRun.summary } };
  return JSON.stringify({ state: parsed.state, description: parsed.description, targetUrl: parsed.targetUrl, ...delivery, ...checkRun });
}

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`stored ${what} is not valid: ${parsed.error.message}`);
  return parsed.data;
}

function iso(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`not a valid time: ${String(value)}`);
  return date.toISOString();
}

const optionalIso = (value: string | Date | null): string | null => (value === null ? null : iso(value));

function toIntent(row: IntentRow): StatusIntent {
  return {
    id: Number(row.id),
    repo: { owner: row.owner, repo: row.repo },
    sha: row.sha,
    context: row.context,
    installationId: row.installation_id === null ? null : Number(row.installation_id),
    subject: parseJson<StatusSubject>(statusSubjectSchema, row.subject, 'status subject'),
    desired: row.desired === null ? null : parseJson<FinalStatus>(finalStatusSchema, row.desired, 'desired status'),
    desiredFingerprint: row.desired_fingerprint,
    desiredEvaluatedAt: optionalIso(row.desired_evaluated_at),
    posted: row.posted === null ? null : parseJson<FinalStatus>(finalStatusSchema, row.posted, 'posted status'),
    postedFingerprint: row.posted_fingerprint,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    nextAttemptAt: optionalIso(row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseUntil: optionalIso(row.lease_until),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
