/**
 * Versioned migrations, provided in code (no directory scanning, so they work the same under tsx, a bundle or
 * tests). Applied at start by `createReportStore`.
 *
 * Concurrency: on PostgreSQL kysely's Migrator holds a session-level advisory lock (`pg_advisory_lock`) around the
 * whole run and applies the pending migrations in one transaction, so replicas starting together on one database
 * run them once, one after the other (the bookkeeping tables are created with "if not exists" plus a re-check).
 * SQLite has no such lock in kysely: one SQLite file is meant for one process.
 */
import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Logger } from 'pino';
import type { StoreDatabase, StoreDialect } from '../store-database.js';
import { createInitialMigration } from './0001-initial.js';
import { createWebSessionsMigration } from './0002-web-sessions.js';
import { createDeliveriesMigration } from './0003-deliveries.js';
import { createStatusIntentsMigration } from './0004-status-intents.js';
import { createKnownRepositoriesMigration } from './0005-known-repositories.js';
import { createEvaluationHistoryMigration } from './0006-evaluation-history-and-shipments.js';
import { createReportJsonNeutralNamesMigration } from './0007-report-json-neutral-names.js';
import { createProtectionReviewsMigration } from './0008-protection-reviews.js';

/** Every migration by name; names sort in the order they apply. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': createInitialMigration(dialect),
    '0002-web-sessions': createWebSessionsMigration(dialect),
    '0003-deliveries': createDeliveriesMigration(dialect),
    '0004-status-intents': createStatusIntentsMigration(dialect),
    '0005-known-repositories': createKnownRepositoriesMigration(dialect),
    '0006-evaluation-history-and-shipments': createEvaluationHistoryMigration(dialect),
    '0007-report-json-neutral-names': createReportJsonNeutralNamesMigration(dialect),
    '0008-protection-reviews': createProtectionReviewsMigration(dialect),
  };
}

export async function runStoreMigrations(db: Kysely<StoreDatabase>, dialect: StoreDialect, logger: Logger): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => storeMigrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') {
      logger.info({ migration: result.migrationName, dialect }, 'store migration applied');
    } else if (result.status === 'Error') {
      logger.error({ migration: result.migrationName, dialect }, 'store migration failed');
    }
  }
  if (error !== undefined) {
    throw new Error(`store migrations failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
