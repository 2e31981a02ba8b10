/**
 * Migration 0006: immutable evaluations and shipments.
 *
 * - reports: an evaluation is identified by what it compared — (owner, repo, kind, pr_number, deploy_sha,
 *   production_sha, content_digest) — instead of one row per deploy SHA. `content_digest` is a SHA-256 of the
 *   report's canonical JSON without its time, trigger and status text (src/store/evaluation-digest.ts). Rows from
 *   before get the placeholder digest `legacy:<id>`, unique per row (the old identity already made them unique), so
 *   they keep loading and listing; a new evaluation of such a head is a new row. `high_risk_count` (0 for old rows)
 *   feeds the lists; `commits_pruned` marks evaluations whose commit list retention emptied.
 *   PostgreSQL drops the old unique constraint; SQLite cannot drop a table constraint, so the table is rebuilt the
 *   documented way (foreign keys off, copy, drop, rename, indexes and ticket triggers again, foreign key check).
 * - shipments: production moves, unique per (owner, repo, from_sha, to_sha) with '' for an unknown from; their
 *   ticket keys are mirrored into shipment_tickets by a trigger, like announcements.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

const REPORT_IDENTITY = ['owner', 'repo', 'kind', 'pr_number', 'deploy_sha', 'production_sha', 'content_digest'];

export function createEvaluationHistoryMigration(dialect: StoreDialect): Migration {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const bool = dialect === 'postgres' ? 'boolean' : 'integer';
  const withId = (db: AnyDb, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (col) => col.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());

  return {
    async up(db: AnyDb): Promise<void> {
      if (dialect === 'postgres') {
        await db.schema.alterTable('reports').addColumn('content_digest', 'text').execute();
        await sql`UPDATE reports SET content_digest = 'legacy:' || id`.execute(db);
        await sql`ALTER TABLE reports ALTER COLUMN content_digest SET NOT NULL`.execute(db);
        await db.schema
          .alterTable('reports')
          .addColumn('high_risk_count', 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('reports')
          .addColumn('commits_pruned', 'boolean', (col) => col.notNull().defaultTo(false))
          .execute();
        await db.schema.alterTable('reports').dropConstraint('reports_identity').execute();
        await db.schema.dropIndex('reports_by_repo_sha').execute();
      } else {
        await rebuildSqliteReports(db, time);
      }
      await db.schema.createIndex('reports_identity').unique().on('reports').columns(REPORT_IDENTITY).execute();
      // Newest evaluation per head (getReport, listEvaluationsForSha, retention).
      await db.schema.createIndex('reports_by_repo_sha_time').on('reports').columns(['owner', 'repo', 'deploy_sha', 'evaluated_at']).execute();
      await db.schema.createIndex('reports_by_time').on('reports').columns(['evaluated_at']).execute();

      await withId(db, 'shipments')
        .addColumn('owner', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        /** '' when production's previous SHA is unknown, so that the unique constraint treats it as one value. */
        .addColumn('from_sha', 'text', (col) => col.notNull())
        .addColumn('to_sha', 'text', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('environment', 'text')
        .addColumn('shipped_by', 'text')
        .addColumn('shipped_at', time, (col) => col.notNull())
        .addColumn('evaluation_id', 'integer')
        .addColumn('check_state', 'text', (col) => col.notNull())
        .addColumn('problem_count', 'integer', (col) => col.notNull())
        .addColumn('with_problems', bool, (col) => col.notNull())
        .addColumn('is_rollback', bool, (col) => col.notNull())
        /** JSON array of problem summaries (capped). */
        .addColumn('problems', 'text', (col) => col.notNull())
        /** JSON array of ticket keys; a trigger mirrors it into shipment_tickets. */
        .addColumn('ticket_keys', 'text', (col) => col.notNull())
        .addColumn('high_risk_keys', 'text', (col) => col.notNull())
        .addColumn('created_at', time, (col) => col.notNull())
        .addUniqueConstraint('shipments_identity', ['owner', 'repo', 'from_sha', 'to_sha'])
        .execute();
      await db.schema.createIndex('shipments_by_repo_time').on('shipments').columns(['owner', 'repo', 'shipped_at']).execute();
      await db.schema.createIndex('shipments_by_repo_to').on('shipments').columns(['owner', 'repo', 'to_sha']).execute();
      await db.schema.createIndex('shipments_by_time').on('shipments').columns(['shipped_at']).execute();
      await db.schema.createIndex('shipments_by_evaluation').on('shipments').columns(['evaluation_id']).execute();
      await db.schema
        .createTable('shipment_tickets')
        .addColumn('shipment_id', 'integer', (col) => col.notNull().references('shipments.id').onDelete('cascade'))
        .addColumn('ticket_key', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('shipment_tickets_pk', ['shipment_id', 'ticket_key'])
        .execute();
      await db.schema.createIndex('shipment_tickets_by_key').on('shipment_tickets').column('ticket_key').execute();

      if (dialect === 'postgres') {
        await sql`
          CREATE FUNCTION shipments_ticket_index() RETURNS trigger LANGUAGE plpgsql AS $body$
          BEGIN
            INSERT INTO shipment_tickets (shipment_id, ticket_key)
              SELECT DISTINCT NEW.id, k.ticket_key FROM jsonb_array_elements_text(NEW.ticket_keys::jsonb) AS k(ticket_key);
            RETURN NULL;
          END
          $body$`.execute(db);
        await sql`
          CREATE TRIGGER shipments_ticket_index AFTER INSERT ON shipments
          FOR EACH ROW EXECUTE FUNCTION shipments_ticket_index()`.execute(db);
      } else {
        await sql`
          CREATE TRIGGER shipments_ticket_index_insert AFTER INSERT ON shipments
          BEGIN
            INSERT INTO shipment_tickets (shipment_id, ticket_key)
              SELECT DISTINCT NEW.id, value FROM json_each(NEW.ticket_keys) WHERE type = 'text';
          END`.execute(db);
      }
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('shipment_tickets').ifExists().execute();
      await db.schema.dropTable('shipments').ifExists().execute();
      if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS shipments_ticket_index()`.execute(db);
      // The reports history cannot be folded back into one row per SHA without losing data: not reversible.
    },
  };
}

/** SQLite: the reports table again, without the old unique constraint, with the new columns; rows, ids and tickets kept. */
async function rebuildSqliteReports(db: AnyDb, time: 'text' | 'timestamptz'): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction, so the pragma takes effect before this one begins: dropping
  // the old table must not cascade into report_tickets.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  await sql`BEGIN`.execute(db);
  try {
    await db.schema
      .createTable('reports_0006')
      .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
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
      .addColumn('content_digest', 'text', (col) => col.notNull())
      .addColumn('high_risk_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('commits_pruned', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await sql`
      INSERT INTO reports_0006 (id, owner, repo, kind, pr_number, deploy_sha, production_sha, state, trigger, evaluated_at,
        ticket_count, problem_count, commit_count, status_description, ticket_keys, report_json, created_at, updated_at,
        content_digest, high_risk_count)
      SELECT id, owner, repo, kind, pr_number, deploy_sha, production_sha, state, trigger, evaluated_at,
        ticket_count, problem_count, commit_count, status_description, ticket_keys, report_json, created_at, updated_at,
        'legacy:' || id, 0
      FROM reports`.execute(db);
    // Drops the table's indexes and triggers with it.
    await sql`DROP TABLE reports`.execute(db);
    await sql`ALTER TABLE reports_0006 RENAME TO reports`.execute(db);
    await db.schema.createIndex('reports_by_repo_time').on('reports').columns(['owner', 'repo', 'evaluated_at']).execute();
    const insertKeys = sql`
      INSERT INTO report_tickets (report_id, ticket_key)
        SELECT DISTINCT NEW.id, value FROM json_each(NEW.ticket_keys) WHERE type = 'text';`;
    await sql`CREATE TRIGGER reports_ticket_index_insert AFTER INSERT ON reports BEGIN ${insertKeys} END`.execute(db);
    await sql`
      CREATE TRIGGER reports_ticket_index_update AFTER UPDATE OF ticket_keys ON reports
      BEGIN
        DELETE FROM report_tickets WHERE report_id = NEW.id;
        ${insertKeys}
      END`.execute(db);
    const broken = await sql<Record<string, unknown>>`PRAGMA foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error(`rebuilding reports left ${broken.rows.length} dangling foreign keys`);
    await sql`COMMIT`.execute(db);
  } catch (error) {
    await sql`ROLLBACK`.execute(db);
    throw error;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
