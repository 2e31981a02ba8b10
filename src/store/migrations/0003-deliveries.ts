/**
 * Migration 0003: GitHub webhook deliveries (deduplicated by X-GitHub-Delivery), and the body hash of JIRA webhook
 * deliveries (a signed body replayed with a fresh or no identifier is still a duplicate).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createDeliveriesMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('github_deliveries')
        .addColumn('delivery_id', 'text', (col) => col.primaryKey())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('received_at', time, (col) => col.notNull())
        .execute();
      await db.schema.createIndex('github_deliveries_by_time').on('github_deliveries').column('received_at').execute();
      // Null for deliveries recorded before this migration (and unique among the others).
      await db.schema.alterTable('jira_deliveries').addColumn('body_hash', 'text').execute();
      await db.schema.createIndex('jira_deliveries_by_body_hash').unique().on('jira_deliveries').column('body_hash').execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropIndex('jira_deliveries_by_body_hash').ifExists().execute();
      await db.schema.alterTable('jira_deliveries').dropColumn('body_hash').execute();
      await db.schema.dropTable('github_deliveries').ifExists().execute();
    },
  };
}
