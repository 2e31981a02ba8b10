/**
 * Migration 0002: server-side web sessions (revocable sign-in) and fixed-window rate-limit counters
 * (src/store/session-store.ts).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createWebSessionsMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('web_sessions')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('login', 'text', (col) => col.notNull())
        .addColumn('token_ciphertext', 'text', (col) => col.notNull())
        .addColumn('created_at', time, (col) => col.notNull())
        .addColumn('expires_at', time, (col) => col.notNull())
        .execute();
      await db.schema.createIndex('web_sessions_by_expiry').on('web_sessions').column('expires_at').execute();
      await db.schema
        .createTable('web_rate_limits')
        .addColumn('bucket', 'text', (col) => col.primaryKey())
        .addColumn('hits', 'integer', (col) => col.notNull())
        .addColumn('window_end', time, (col) => col.notNull())
        .execute();
      await db.schema.createIndex('web_rate_limits_by_window_end').on('web_rate_limits').column('window_end').execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('web_rate_limits').ifExists().execute();
      await db.schema.dropTable('web_sessions').ifExists().execute();
    },
  };
}
