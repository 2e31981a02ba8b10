/**
 * Opens the store named by DATABASE_URL (SQLite by default, PostgreSQL for postgres:// URLs), applies the
 * migrations and returns the ReportStore. `close()` destroys the kysely instance and with it the pool / file handle.
 */
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { describePostgresTarget, isInMemorySqlite, parseDatabaseUrl, sqliteDirectoryOf } from './database-url.js';
import { createKyselyReportStore } from './kysely-report-store.js';
import { runStoreMigrations } from './migrations/run-store-migrations.js';
import type { ReportStore } from './report-store.js';
import type { StoreDatabase, StoreDialect } from './store-database.js';

/** How long a SQLite writer waits for another process's write lock before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
const POSTGRES_POOL_SIZE = 10;

export interface CreateReportStoreOptions {
  /** DATABASE_URL; absent or empty → ./data/deploy-checker.sqlite. */
  readonly databaseUrl?: string;
  readonly logger: Logger;
  /** The store's clock for created/updated times (tests inject one). */
  readonly now?: () => Date;
}

export async function createReportStore(options: CreateReportStoreOptions): Promise<ReportStore> {
  const { logger } = options;
  const target = parseDatabaseUrl(options.databaseUrl);
  let db: Kysely<StoreDatabase>;
  let dialect: StoreDialect;

  if (target.dialect === 'sqlite') {
    dialect = 'sqlite';
    if (!isInMemorySqlite(target.filename)) mkdirSync(sqliteDirectoryOf(target.filename), { recursive: true });
    const database = new Database(target.filename);
    try {
      database.pragma('journal_mode = WAL');
      database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      database.pragma('synchronous = NORMAL');
      database.pragma('foreign_keys = ON');
    } catch (error) {
      database.close();
      throw error;
    }
    db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
    logger.info({ dialect, file: target.filename }, 'store opened');
  } else {
    dialect = 'postgres';
    const pool = new pg.Pool({ connectionString: target.connectionString, max: POSTGRES_POOL_SIZE });
    // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the process.
    pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL client failed'));
    db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    logger.info({ dialect, ...describePostgresTarget(target.connectionString) }, 'store opened');
  }

  try {
    await runStoreMigrations(db, dialect, logger);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyReportStore(db, options.now ? { now: options.now } : {});
}
