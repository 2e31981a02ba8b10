/**
 * Migration 0008: deployment protection reviews (src/store/protection-review-store.ts). One row per (repository,
 * workflow run, environment) GitHub asked deploy-checker to gate: the request, why it waits, the answer (who,
 * when, comment, evaluation) and its delivery to GitHub (retried until accepted), and the Slack approval message.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createProtectionReviewsMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const withId = (db: AnyDb) =>
    dialect === 'postgres'
      ? db.schema.createTable('protection_reviews').addColumn('id', 'serial', (col) => col.primaryKey())
      : db.schema.createTable('protection_reviews').addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());
  return {
    async up(db: AnyDb): Promise<void> {
      await withId(db)
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('run_id', 'bigint', (col) => col.notNull())
        .addColumn('environment', 'text', (col) => col.notNull())
        .addColumn('sha', 'text', (col) => col.notNull())
        .addColumn('ref', 'text')
        .addColumn('installation_id', 'bigint')
        .addColumn('requested_by', 'text')
        .addColumn('requested_at', time, (col) => col.notNull())
        /** waiting | approved | rejected */
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('wait_reason', 'text')
        .addColumn('wait_detail', 'text')
        .addColumn('report_id', 'integer')
        /** JSON list of Slack user or group ids. */
        .addColumn('approvers', 'text', (col) => col.notNull().defaultTo('[]'))
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', time)
        .addColumn('comment', 'text')
        .addColumn('delivered_at', time)
        .addColumn('delivery_attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', time)
        .addColumn('slack_channel', 'text')
        .addColumn('slack_ts', 'text')
        .addColumn('created_at', time, (col) => col.notNull())
        .addColumn('updated_at', time, (col) => col.notNull())
        .addUniqueConstraint('protection_reviews_identity', ['owner', 'repo', 'run_id', 'environment'])
        .execute();
      await db.schema.createIndex('protection_reviews_by_state').on('protection_reviews').columns(['state', 'delivered_at']).execute();
      await db.schema.createIndex('protection_reviews_by_sha').on('protection_reviews').columns(['owner', 'repo', 'sha']).execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('protection_reviews').ifExists().execute();
    },
  };
}
