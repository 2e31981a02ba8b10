/**
 * Migration 0001: reports with their ticket index, announcements with theirs, JIRA webhook deliveries.
 *
 * The ticket side tables are maintained by triggers from the `ticket_keys` JSON column, so saving a report or an
 * announcement is a single statement: atomic on both backends, and on SQLite no lock is ever held across an await
 * (better-sqlite3 is synchronous; a transaction left open between awaits would make another connection's busy wait
 * block the very event loop that has to finish it).
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

export function createInitialMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const bool = dialect === 'postgres' ? 'boolean' : 'integer';

  const addId = (db: AnyDb, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (col) => col.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());

  return {
    async up(db: AnyDb): Promise<void> {
      await addId(db, 'reports')
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('pr_number', 'integer', (col) => col.notNull())
        .addColumn('deploy_sha', 'text', (col) => col.notNull())
        .addColumn('production_sha', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('trigger', 'text', (col) => col.notNull())
        .addColumn('evaluated_at', time, (col) => col.notNull())
        .addColumn('ticket_count', 'integer', (col) => col.notNull())
        .addColumn('problem_count', 'integer', (col) => col.notNull())
        .addColumn('commit_count', 'integer', (col) => col.notNull())
        .addColumn('status_description', 'text', (col) => col.notNull())
        .addColumn('ticket_keys', 'text', (col) => col.notNull())
        .addColumn('report_json', 'text', (col) => col.notNull())
        .addColumn('created_at', time, (col) => col.notNull())
        .addColumn('updated_at', time, (col) => col.notNull())
        .addUniqueConstraint('reports_identity', ['owner', 'repo', 'kind', 'pr_number', 'deploy_sha'])
        .execute();
      await db.schema.createIndex('reports_by_repo_time').on('reports').columns(['owner', 'repo', 'evaluated_at']).execute();
      await db.schema.createIndex('reports_by_repo_sha').on('reports').columns(['owner', 'repo', 'deploy_sha']).execute();

      await db.schema
        .createTable('report_tickets')
        .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id').onDelete('cascade'))
        .addColumn('ticket_key', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('report_tickets_pk', ['report_id', 'ticket_key'])
        .execute();
      await db.schema.createIndex('report_tickets_by_key').on('report_tickets').column('ticket_key').execute();

      await addId(db, 'announcements')
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('from_sha', 'text', (col) => col.notNull())
        .addColumn('to_sha', 'text', (col) => col.notNull())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('is_rollback', bool, (col) => col.notNull())
        .addColumn('ticket_keys', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('message_ts', 'text')
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('lease_until', time)
        .addColumn('next_attempt_at', time)
        .addColumn('created_at', time, (col) => col.notNull())
        .addColumn('updated_at', time, (col) => col.notNull())
        // A deploy is a move from one production SHA to another: a rollback to a SHA announced before is a new one.
        .addUniqueConstraint('announcements_identity', ['owner', 'repo', 'from_sha', 'to_sha', 'channel'])
        .execute();
      await db.schema.createIndex('announcements_by_repo_time').on('announcements').columns(['owner', 'repo', 'created_at']).execute();
      await db.schema.createIndex('announcements_by_state').on('announcements').columns(['state', 'next_attempt_at']).execute();

      await db.schema
        .createTable('announcement_tickets')
        .addColumn('announcement_id', 'integer', (col) => col.notNull().references('announcements.id').onDelete('cascade'))
        .addColumn('ticket_key', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('announcement_tickets_pk', ['announcement_id', 'ticket_key'])
        .execute();
      await db.schema.createIndex('announcement_tickets_by_key').on('announcement_tickets').column('ticket_key').execute();

      await db.schema
        .createTable('jira_deliveries')
        .addColumn('delivery_id', 'text', (col) => col.primaryKey())
        .addColumn('received_at', time, (col) => col.notNull())
        .execute();
      await db.schema.createIndex('jira_deliveries_by_time').on('jira_deliveries').column('received_at').execute();

      if (dialect === 'postgres') {
        await createPostgresTicketIndexTriggers(db);
      } else {
        await createSqliteTicketIndexTriggers(db);
      }
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of ['announcement_tickets', 'announcements', 'report_tickets', 'reports', 'jira_deliveries']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      if (dialect === 'postgres') {
        await sql`DROP FUNCTION IF EXISTS reports_ticket_index()`.execute(db);
        await sql`DROP FUNCTION IF EXISTS announcements_ticket_index()`.execute(db);
      }
    },
  };
}

/** Mirrors `<table>.ticket_keys` (a JSON array of strings) into `<sideTable>` on every insert and update. */
async function createPostgresTicketIndexTriggers(db: AnyDb): Promise<void> {
  for (const [table, sideTable, idColumn] of [
    ['reports', 'report_tickets', 'report_id'],
    ['announcements', 'announcement_tickets', 'announcement_id'],
  ] as const) {
    const fn = sql.id(`${table}_ticket_index`);
    await sql`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM ${sql.id(sideTable)} WHERE ${sql.id(idColumn)} = NEW.id;
        END IF;
        INSERT INTO ${sql.id(sideTable)} (${sql.id(idColumn)}, ticket_key)
          SELECT DISTINCT NEW.id, k.ticket_key FROM jsonb_array_elements_text(NEW.ticket_keys::jsonb) AS k(ticket_key);
        RETURN NULL;
      END
      $body$`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_ticket_index`)}
      AFTER INSERT OR UPDATE OF ticket_keys ON ${sql.id(table)}
      FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(db);
  }
}

async function createSqliteTicketIndexTriggers(db: AnyDb): Promise<void> {
  for (const [table, sideTable, idColumn] of [
    ['reports', 'report_tickets', 'report_id'],
    ['announcements', 'announcement_tickets', 'announcement_id'],
  ] as const) {
    const insertKeys = sql`
      INSERT INTO ${sql.id(sideTable)} (${sql.id(idColumn)}, ticket_key)
        SELECT DISTINCT NEW.id, value FROM json_each(NEW.ticket_keys) WHERE type = 'text';`;
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_ticket_index_insert`)} AFTER INSERT ON ${sql.id(table)}
      BEGIN ${insertKeys} END`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_ticket_index_update`)} AFTER UPDATE OF ticket_keys ON ${sql.id(table)}
      BEGIN
        DELETE FROM ${sql.id(sideTable)} WHERE ${sql.id(idColumn)} = NEW.id;
        ${insertKeys}
      END`.execute(db);
  }
}
