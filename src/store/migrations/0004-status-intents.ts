/**
 * Migration 0004: status intents — the outbox of commit statuses. One row per (repository, head SHA, status
 * context) records, before anything is posted, that the head owes a final status: which installation and subject
 * (the deploy, or a pull request) it belongs to, the desired final status once evaluated (null while evaluating),
 * what GitHub last accepted, and a lease plus retry schedule so that exactly one worker posts it.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createStatusIntentsMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const withId = (db: AnyDb) =>
    dialect === 'postgres'
      ? db.schema.createTable('status_intents').addColumn('id', 'serial', (col) => col.primaryKey())
      : db.schema.createTable('status_intents').addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());

  return {
    async up(db: AnyDb): Promise<void> {
      await withId(db)
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('sha', 'text', (col) => col.notNull())
        .addColumn('context', 'text', (col) => col.notNull())
        .addColumn('installation_id', 'bigint')
        /** JSON: {"kind":"deploy"} or {"kind":"pull_request","number":n}. */
        .addColumn('subject', 'text', (col) => col.notNull())
        /** JSON {state, description, targetUrl} of the final status this head must show; null while evaluating. */
        .addColumn('desired', 'text')
        .addColumn('desired_fingerprint', 'text')
        .addColumn('desired_evaluated_at', time)
        /** JSON of the last final status GitHub accepted (same shape as `desired`), or null. */
        .addColumn('posted', 'text')
        .addColumn('posted_fingerprint', 'text')
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', time)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        .addColumn('created_at', time, (col) => col.notNull())
        .addColumn('updated_at', time, (col) => col.notNull())
        .addUniqueConstraint('status_intents_identity', ['owner', 'repo', 'sha', 'context'])
        .execute();
      await db.schema.createIndex('status_intents_by_due').on('status_intents').columns(['next_attempt_at', 'lease_until']).execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('status_intents').ifExists().execute();
    },
  };
}
