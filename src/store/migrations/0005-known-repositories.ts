/**
 * Migration 0005: every repository a webhook was received for, so that the reconciler also re-checks repositories
 * that have no stored report yet (a push whose job was only queued when the process died).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createKnownRepositoriesMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('known_repositories')
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('installation_id', 'integer')
        .addColumn('last_seen_at', time, (col) => col.notNull())
        .addPrimaryKeyConstraint('known_repositories_pk', ['owner', 'repo'])
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('known_repositories').ifExists().execute();
    },
  };
}
