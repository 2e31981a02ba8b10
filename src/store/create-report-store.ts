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
import { runStoreMigrations, storeMigrations } from './migrations/run-store-migrations.js';
import type { ReportStore, StoreHealth } from './report-store.js';
import { assertNotLost, guardSqliteFile, type SqliteFileGuard } from './sqlite-file-guard.js';
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
  let fileGuard: SqliteFileGuard | null = null;

  if (target.dialect === 'sqlite') {
    dialect = 'sqlite';
    const inMemory = isInMemorySqlite(target.filename);
    if (!inMemory) {
      mkdirSync(sqliteDirectoryOf(target.filename), { recursive: true });
      assertNotLost(target.filename);
    }
    const database = new Database(target.filename);
    try {
      if (!inMemory) fileGuard = guardSqliteFile(target.filename, database);
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
  const expectedMigrations = Object.keys(storeMigrations(dialect)).length;
  const checkHealth = async (): Promise<StoreHealth> => {
    try {
      const file = fileGuard?.check() ?? { ok: true };
      if (!file.ok) return file;
      const row = await db
        .selectFrom('kysely_migration' as never)
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('applied'))
        .executeTakeFirstOrThrow();
      const applied = Number((row as { applied: number | string | bigint }).applied);
      return applied >= expectedMigrations ? { ok: true } : { ok: false, reason: `${applied} of ${expectedMigrations} migrations applied` };
    } catch (error) {
      return { ok: false, reason: `store unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  return { ...createKyselyReportStore(db, options.now ? { now: options.now } : {}), checkHealth };
}
